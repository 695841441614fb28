/**
 * The offline mock model: a pure, deterministic answer for any ModelRequest. Built-in operators are
 * answered by name (see src/sql/operators.ts); user-defined ones by their return type, from the
 * rendered prompt. Same request, same answer: no Math.random, no clock.
 */
import type { ModelRequest } from '../../protocol/model';
import { decodeGroup } from '../../sql/group-encoding';
import { classifyAgg, consensus, dedupe, outliers, parseCount, sentimentAgg, summarize, themes, topics } from './aggregates';
import { extract, keyPhrase, parse, properNames, valid } from './extract';
import {
  aligns,
  bestLabel,
  contradicts,
  implies,
  matches,
  parseLabels,
  relevance,
  sameAs,
  sentiment,
  similarity,
  thresholdFor,
} from './judgements';
import { condense, detectLanguage, LANGUAGE_NAMES, translate } from './language';
import { pick } from './random';
import { conceptLabel, features } from './text-features';

export type MockValue = boolean | number | string | null;

const arg = (r: ModelRequest, i: number): string => r.args[i] ?? '';

/** An aggregate's values: args[0] is the encoded group when `grouped`, else a single value. */
function groupValues(r: ModelRequest): string[] {
  const first = r.args[0];
  if (first === undefined) return [];
  return r.grouped ? decodeGroup(first) : [first];
}

const sentimentWord = (s: number) => (s >= 0.2 ? 'positive' : s <= -0.2 ? 'negative' : 'neutral');
/** Lower-cases a leading capital for use mid-sentence, but leaves acronyms ("SQL", "AI") alone. */
const lowerFirst = (s: string) => (/^[A-Z]{2,}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));

/** What a text is about, in words: its strongest concepts, or a key phrase. */
function aboutPhrase(text: string): string {
  const concepts = [...features(text).concepts]
    .filter(([id, strength]) => strength >= 0.5 && id !== 'question')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([id]) => lowerFirst(conceptLabel(id)));
  if (concepts.length > 0) return concepts.join(' and ');
  return keyPhrase(text) ?? 'nothing in particular';
}

const YES_NO = /^\s*(?:is|are|does|do|did|can|could|was|were|will|would|has|have|should)\b/i;

/** ASK: answers the question's kind (who / when / how many / yes-no / ...) from the text. */
export function ask(text: string, question: string): string {
  const q = question.toLowerCase();
  if (text.trim() === '') return 'There is no text to answer from.';
  if (/\bwho\b/.test(q)) {
    const mentions = text.match(/(?<![\w.])@[A-Za-z0-9_]+/g) ?? [];
    const names = properNames(text);
    if (mentions.length > 0) return mentions.join(' and ');
    return names[0] ?? 'The author; no one else is named.';
  }
  if (/\bwhen\b|what (?:date|day|time)/.test(q)) return extract(text, 'date') ?? 'The text does not say when.';
  if (/\bwhere\b/.test(q)) return properNames(text)[0] ?? 'The text does not say where.';
  if (/how many|how much|what (?:price|number|amount)/.test(q)) return extract(text, 'amount') ?? 'No number is given.';
  if (/\bwhy\b/.test(q)) return `Because ${lowerFirst(condense(text, 14))}`;
  if (/sentiment|tone|feel|mood|happy|angry/.test(q)) return `The tone is ${sentimentWord(sentiment(text))}.`;
  if (/language/.test(q)) return `It is written in ${LANGUAGE_NAMES[detectLanguage(text)] ?? 'English'}.`;
  if (/summar|tl;?dr|gist|main point/.test(q)) return condense(text);
  if (YES_NO.test(q)) {
    const yes = relevance(text, question.replace(YES_NO, '')) >= 0.5;
    return yes ? `Yes: ${lowerFirst(condense(text, 12))}` : 'No, the text does not suggest that.';
  }
  if (/\bwhat\b|\bwhich\b/.test(q)) {
    const found = extract(text, question);
    if (found !== null) return found;
  }
  return `It is about ${aboutPhrase(text)}: "${condense(text, 12)}"`;
}

const PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g;
const PROMPT_NOISE = /\b(?:answer|respond|reply|return|output|only|yes|true|false|following|given|below|above|score|rate|scale|json|one word|from 0 to 1)\b|[:?]/gi;

/** A prompt reduced to what it asks about: placeholders, argument values and prompt boilerplate gone. */
function criterionOf(prompt: string, values: readonly string[]): string {
  return withoutValues(prompt, values).replace(PROMPT_NOISE, ' ').replace(/\s+/g, ' ').trim();
}

/** The rendered prompt minus the argument values: roughly the template the user wrote. */
function withoutValues(prompt: string, values: readonly string[]): string {
  let rest = prompt.replace(PLACEHOLDER, ' ');
  // Longest first, so a value that contains another is removed whole.
  for (const v of [...values].sort((x, y) => y.length - x.length)) if (v.trim().length > 0) rest = rest.split(v).join(' ');
  return rest;
}

/** llm(): recognise the instruction in the template, apply it to the argument values. */
export function llmAnswer(template: string, values: readonly string[], rendered: string): string {
  const t = template.toLowerCase();
  const subject = values.filter((v) => v.trim() !== '').join('\n') || rendered;
  const translateTo = /translat\w*\b.*?\b(?:in)?to\s+([A-Za-zÀ-ÿ]+)/i.exec(template)?.[1];
  if (translateTo !== undefined) return translate(subject, translateTo);
  if (/summar|condense|tl;?dr|shorten|one sentence|in brief/.test(t)) return condense(subject);
  if (/sentiment/.test(t)) return sentimentWord(sentiment(subject));
  const categories = /(?:classify|categori[sz]e|label)\b.*?(?:into|as|among|from)\s*:?\s*([^?\n.]+)/i.exec(template)?.[1];
  if (categories !== undefined) return bestLabel(subject, parseLabels(categories.replace(/\bor\b/g, ',')))?.label ?? 'other';
  const what = /(?:extract|pull out|list|find)\s+(?:the|all|any)?\s*([^.?\n{]+)/i.exec(template)?.[1];
  if (what !== undefined) return extract(subject, what) ?? 'none';
  if (/json/.test(t)) return parse(subject, template);
  if (/keywords?|key phrase|tags?\b/.test(t)) return keyPhrase(subject) ?? 'none';
  if (/rewrite|rephrase|paraphrase|more formal|politely/.test(t)) return `In other words: ${condense(subject, 20)}`;
  const thing = /^\s*(?:write|generate|create|suggest|draft|compose|give me|come up with|make)\s+(?:a|an|one|some)?\s*([\p{L} -]+?)\s+(?:for|about|of|on)\b/iu.exec(template)?.[1];
  if (thing !== undefined) {
    const name = condense(subject, 6).replace(/[.!?…]+$/, '');
    return `${name}: ${pick(['made simple', 'done right', 'without the fuss', 'for everyone', 'the easy way'], subject)}.`;
  }
  const criterion = criterionOf(template, values);
  if (YES_NO.test(template.replace(PLACEHOLDER, ' '))) return relevance(subject, criterion.replace(YES_NO, '')) >= 0.5 ? 'Yes' : 'No';
  return ask(subject, criterion || template);
}

const VALIDITY_KINDS = /\b(?:e-?mail|url|link|phone|date|json|uuid|integer|number|ip address|zip|postal code|credit card|hashtag)\b/i;

/** A user-defined operator: guess the task from the prompt's wording and answer in its type. */
function userDefined(r: ModelRequest): MockValue {
  const values = r.args;
  const [a = '', b] = values;
  const criterion = criterionOf(r.prompt, values);
  const cue = criterion.toLowerCase();
  if (r.returns === 'BOOLEAN') {
    if (b !== undefined) {
      if (/contradict|refute|oppose|disagree|deny|conflict|debunk/.test(cue)) return contradicts(a, b);
      if (/impl|entail|support|agree|confirm|follow|prove/.test(cue)) return implies(a, b);
      if (/same|equal|duplicate|identical|refer/.test(cue)) return sameAs(a, b);
      return similarity(a, b) >= 0.5;
    }
    const kind = VALIDITY_KINDS.exec(criterion)?.[0];
    if (kind !== undefined) return valid(a, kind, (text, k) => relevance(text, k) >= 0.5);
    return matches(a, criterion, thresholdFor(r.instructions));
  }
  if (r.returns === 'DOUBLE') {
    const [lo, hi] = r.range ?? [0, 1];
    let unit: number;
    if (/sentiment|positiv|negativ|happy|angry|tone/.test(cue)) unit = (sentiment(a) + 1) / 2;
    else if (b !== undefined && /align|agree|support/.test(cue)) unit = aligns(a, b);
    else if (b !== undefined) unit = similarity(a, b);
    else unit = relevance(a, criterion);
    return Math.round((lo + unit * (hi - lo)) * 100) / 100;
  }
  return llmAnswer(withoutValues(r.prompt, values), values, r.prompt);
}

type Handler = (r: ModelRequest) => MockValue;

/** One handler per built-in operator name, as named in src/sql/operators.ts. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  matches: (r) => matches(arg(r, 0), arg(r, 1), thresholdFor(r.instructions)),
  score: (r) => relevance(arg(r, 0), arg(r, 1)),
  aligns: (r) => aligns(arg(r, 0), arg(r, 1)),
  implies: (r) => implies(arg(r, 0), arg(r, 1)),
  contradicts: (r) => contradicts(arg(r, 0), arg(r, 1)),
  similar_to: (r) => similarity(arg(r, 0), arg(r, 1)),
  same_as: (r) => sameAs(arg(r, 0), arg(r, 1)),
  ask: (r) => ask(arg(r, 0), arg(r, 1)),
  extracts: (r) => extract(arg(r, 0), arg(r, 1)),
  classify: (r) => bestLabel(arg(r, 0), parseLabels(arg(r, 1)))?.label ?? null,
  sentiment: (r) => sentiment(arg(r, 0)),
  condense: (r) => condense(arg(r, 0)),
  translate: (r) => translate(arg(r, 0), arg(r, 1)),
  parse: (r) => parse(arg(r, 0), arg(r, 1)),
  valid: (r) => valid(arg(r, 0), arg(r, 1), (text, kind) => relevance(text, kind) >= thresholdFor(r.instructions)),
  llm: (r) => llmAnswer(arg(r, 0), r.args.slice(1), r.prompt),
  summarize: (r) => summarize(groupValues(r)),
  themes: (r) => themes(groupValues(r), parseCount(r.args[1], 5)),
  topics: (r) => topics(groupValues(r), parseCount(r.args[1], 5)),
  topic_label: (r) => bestLabel(arg(r, 0), parseLabels(arg(r, 1)))?.label ?? null,
  consensus: (r) => consensus(groupValues(r)),
  dedupe: (r) => dedupe(groupValues(r)),
  outliers: (r) => outliers(groupValues(r), parseCount(r.args[1], 3)),
  classify_agg: (r) => classifyAgg(groupValues(r), parseLabels(arg(r, 1))),
  sentiment_agg: (r) => sentimentAgg(groupValues(r)),
};

export const MOCK_OPERATORS: readonly string[] = Object.keys(HANDLERS);

/** Coerces a handler's value to the declared return type and range, so the answer fits the schema. */
function fit(value: MockValue, r: ModelRequest): MockValue {
  if (r.returns === 'BOOLEAN') return typeof value === 'boolean' ? value : value === 'Yes' || value === 'true';
  if (r.returns === 'DOUBLE') {
    const n = typeof value === 'number' ? value : Number(value);
    const [lo, hi] = r.range ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const safe = Number.isFinite(n) ? n : Math.max(lo, Math.min(hi, 0));
    return Math.min(hi, Math.max(lo, safe));
  }
  return value === null ? null : String(value);
}

export function mockAnswer(request: ModelRequest): MockValue {
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, request.operator) ? HANDLERS[request.operator] : undefined;
  return fit(handler !== undefined ? handler(request) : userDefined(request), request);
}
