/**
 * The mock's rule checks and branch picks: validate, quality, match_pair, match_template,
 * semantic_case, semantic_switch, and summarize_urls (which reads the URL: the mock fetches nothing).
 */
import { arg, isMissing, listOf, own, type Handler } from '../args';
import { extract, valid } from '../extract';
import { contradicts, implies, matches, sameAs, sentiment } from '../judgements';
import { languageOf } from '../nlp/language-id';
import type { Nlp } from '../nlp/load-nlp';
import { detectLanguage } from '../language';
import { inferType } from '../value-types';

const LANGUAGE_CODES: Record<string, string> = { english: 'en', french: 'fr', german: 'de', spanish: 'es', italian: 'it' };

const KINDS = /\b(price|pricing|cost|amount|money|date|time|email|e-mail|phone|url|link|number|digit|name|person|place|address)\b/i;

/** validate(value, rule): "contains X" by finding an X; "is positive/negative/in English" by judging; else MEANS. */
function validate(value: string, rule: string, nlp: Nlp | undefined): boolean {
  const r = rule.toLowerCase();
  const kind = KINDS.exec(r)?.[1];
  if (/\b(?:contains?|has|includes?|mentions?)\b/.test(r) && kind !== undefined) {
    const what = /pric|cost|amount|money/.test(kind) ? 'price' : kind;
    return extract(value, what, nlp) !== null;
  }
  if (/\bis (?:a |an )?valid\b/.test(r) && kind !== undefined) return valid(value, kind, () => false, nlp);
  if (/positive/.test(r)) return sentiment(value, nlp) > 0.05;
  if (/negative/.test(r)) return sentiment(value, nlp) < -0.05;
  const language = own(LANGUAGE_CODES, /\bin (english|french|german|spanish|italian)\b/.exec(r)?.[1] ?? '');
  if (language !== undefined) return (nlp === undefined ? detectLanguage(value) : languageOf(value, nlp, detectLanguage)) === language;
  const most = /(?:at most|no more than|under|fewer than|less than) (\d+) (words|characters|chars)/.exec(r);
  if (most !== undefined && most !== null) return (most[2] === 'words' ? value.trim().split(/\s+/).length : value.length) <= Number(most[1]);
  return matches(value, rule, 0.5, nlp);
}

/** quality(value, type): 0 for nothing, high for a clean value of its (expected) type, low for scraps. */
function quality(value: string, expected: string, nlp: Nlp | undefined): number {
  const v = value.trim();
  if (v === '' || isMissing(v)) return 0;
  const kind = expected === '' || /auto/i.test(expected) ? (nlp === undefined ? 'text' : inferType(v, nlp)) : expected;
  let score = kind === 'text' ? 0.6 : valid(v, kind, () => true, nlp) ? 0.9 : 0.3;
  if (/@/.test(v) && !valid(v, 'email', () => false, nlp)) score = Math.min(score, 0.2);
  if (v.length < 4) score -= 0.15;
  if (v === v.toUpperCase() && /[A-Z]{4,}/.test(v)) score -= 0.1;
  if (/\s{2,}|^\s|\s$/.test(value)) score -= 0.1;
  return Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
}

/** "J. Smith" and "John Smith": the same person when initials and surnames agree. */
function namesAgree(a: string, b: string): boolean {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\s]/gu, ' ')
      .split(/\s+/)
      .filter((w) => w !== '');
  const x = words(a);
  const y = words(b);
  if (x.length === 0 || y.length === 0 || x[x.length - 1] !== y[y.length - 1]) return false;
  return (x[0]?.[0] ?? '') === (y[0]?.[0] ?? '');
}

const CAPITALS: Record<string, string> = {
  paris: 'france',
  berlin: 'germany',
  madrid: 'spain',
  rome: 'italy',
  london: 'united kingdom',
  tokyo: 'japan',
  ottawa: 'canada',
  canberra: 'australia',
  washington: 'united states',
  beijing: 'china',
  lisbon: 'portugal',
  vienna: 'austria',
  dublin: 'ireland',
};

/**
 * Whether two values stand in a relationship. Any other relationship than identity, capitals,
 * contradiction and entailment ("belongs to the category", "is a kind of", "is a review of") is read
 * as the left value judged against the right one, as MEANS judges it: the relationship's own words
 * are no evidence (written into the text they made every pair match, issue 24).
 */
function matchPair(left: string, right: string, relationship: string, nlp: Nlp | undefined): boolean {
  const rel = relationship.toLowerCase();
  if (rel === '' || /same|duplicate|identical|equivalent/.test(rel)) return sameAs(left, right) || namesAgree(left, right);
  if (/capital/.test(rel)) return own(CAPITALS, left.trim().toLowerCase()) === right.trim().toLowerCase();
  if (/contradict|oppos|conflict/.test(rel)) return contradicts(left, right, nlp);
  if (/impl|entail|follows from/.test(rel)) return implies(left, right, nlp);
  return matches(left, right, 0.5, nlp);
}

/** A statement is taken as true unless it negates itself or says something a model would call false. */
function matchTemplate(statement: string): boolean {
  return !/\b(?:not|never|no|isn't|aren't|cannot|can't|false|impossible|made of cheese|flat earth)\b/i.test(statement);
}

/** The first branch whose condition the text meets (semantic_case and semantic_switch). */
function firstBranch(text: string, conditions: string, results: string, fallback: string, nlp: Nlp | undefined): string | null {
  const cs = listOf(conditions);
  const rs = listOf(results);
  const i = cs.findIndex((c) => matches(text, c.replace(/^(?:is|matches|about|mentions)\s+(?:an?\s+)?/i, ''), 0.5, nlp) || matches(text, c, 0.5, nlp));
  if (i >= 0 && rs[i] !== undefined) return rs[i] as string;
  return fallback === '' ? null : fallback;
}

function urlSummary(text: string): string {
  const url = /\bhttps?:\/\/[^\s,]+|\bwww\.[^\s,]+/i.exec(text)?.[0];
  if (url === undefined) return 'There is no link in the text.';
  const parsed = /^(?:https?:\/\/)?(?:www\.)?([^/?#]+)([^?#]*)/i.exec(url);
  const host = parsed?.[1] ?? url;
  const words = (parsed?.[2] ?? '').split(/[/_\-.]+/).filter((w) => /^[a-z]{3,}$/i.test(w) && !/^(?:html?|php|aspx?|index)$/i.test(w));
  return words.length === 0 ? `The home page of ${host}.` : `A page on ${host} about ${words.join(' ')}.`;
}

export const RULES: Readonly<Record<string, Handler>> = {
  validate: (r, nlp) => validate(arg(r, 0), arg(r, 1), nlp),
  quality: (r, nlp) => quality(arg(r, 0), arg(r, 1), nlp),
  match_pair: (r, nlp) => matchPair(arg(r, 0), arg(r, 1), arg(r, 2), nlp),
  match_template: (r) => matchTemplate(arg(r, 0)),
  semantic_case: (r, nlp) => firstBranch(arg(r, 0), arg(r, 1), arg(r, 2), arg(r, 3), nlp),
  semantic_switch: (r, nlp) => firstBranch(arg(r, 0), arg(r, 1), arg(r, 2), arg(r, 3), nlp),
  summarize_urls: (r) => urlSummary(arg(r, 0)),
};
