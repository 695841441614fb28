/**
 * The mock's judgements about meaning: relevance, matching, agreement, entailment, contradiction,
 * similarity, identity, sentiment and classification. Topics are lexical (stems + concept lexicon);
 * sentiment comes from the NLP libraries when they are loaded (nlp/sentiment.ts) and from the mock's
 * own lexicon otherwise. All deterministic; small hash jitter keeps scores from looking machine-made
 * without reordering them.
 */
import type { Nlp } from './nlp/load-nlp';
import { NEUTRAL_BAND, sentimentScore } from './nlp/sentiment';
import { polarLabel, sentimentIntent, type Polarity } from './sentiment-intent';
import { conceptOfLabel, coverage, criterionTerms, features, sentences, trigramSimilarity, type Features } from './text-features';
import { hash32, unitHash } from './random';
import { taxonomyFit } from './taxonomy';

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** ±0.02 of jitter fixed by the inputs. */
function jitter(...parts: string[]): number {
  return (unitHash(parts.join('\u0000')) - 0.5) * 0.04;
}

/** Relevance of `text` to `topic`, 0..1: unrelated texts land in 0.02–0.12, a full match near 0.95. */
export function relevance(text: string, topic: string): number {
  // A kind of product or a department (issue 24): the taxonomy knows boots are footwear and not kitchen.
  const fit = taxonomyFit(text, topic);
  if (fit !== undefined) return round2(fit === 'fits' ? 0.86 + jitter(text, topic) : 0.08 + jitter(text, topic));
  const cov = coverage(features(text), features(topic));
  if (cov === 0) return round2(0.02 + 0.1 * unitHash(`${text}\u0000${topic}`));
  return round2(clamp(0.15 + 0.8 * cov + jitter(text, topic), 0, 1));
}

/** Splits a leading negation off a criterion: "not a complaint" → { negated: true, rest: "a complaint" }. */
function splitNegation(criterion: string): { negated: boolean; rest: string } {
  // Whole words only: "notebook" and "nonstick" are not negations (they were, before issue 24).
  const m = /^\s*(?:is\s+|does\s+)?(?:non-|(?:not|no|never|isn't|doesn't|non)\b)\s*(.*)$/i.exec(criterion);
  if (m === null || m[1] === undefined || m[1].trim() === '') return { negated: false, rest: criterion };
  return { negated: true, rest: m[1] };
}

/** `-- @ be strict ...` raises the bar, `-- @ be lenient ...` lowers it. */
export function thresholdFor(instructions: readonly string[]): number {
  const all = instructions.join(' ').toLowerCase();
  if (/\b(?:strict|precise|conservative)/.test(all)) return 0.72;
  if (/\b(?:lenient|loose|generous|broad)/.test(all)) return 0.4;
  return 0.5;
}

/**
 * How well a sentiment score fits a wanted polarity, 0..1, with 0.5 as the cut: for "positive" any
 * score above 0 passes the default threshold (a score of exactly 0, no sentiment at all, does not),
 * and a strict threshold (0.72) needs a clear lean (> 0.44).
 */
function polarityFit(score: number, polarity: Polarity, band: number): number {
  if (polarity === 0) return clamp(1 - Math.abs(score) / (2 * band), 0, 1);
  const lean = score * polarity;
  return lean > 0 ? 0.5 + lean / 2 : 0.45 + lean * 0.45;
}

/**
 * How well `text` meets a criterion, 0..1: relevance to its topic, or for a criterion that asks for a
 * polarity ("a positive review", "complains about a delivery") the fit of the text's sentiment, and
 * of its topic when it names one.
 */
export function criterionScore(text: string, criterion: string, nlp?: Nlp): number {
  const intent = sentimentIntent(criterion);
  if (intent === undefined) return relevance(text, criterion);
  const fit = round2(polarityFit(sentiment(text, nlp), intent.polarity, neutralBand(nlp)));
  return intent.topic === '' ? fit : Math.min(fit, relevance(text, intent.topic));
}

export function matches(text: string, criterion: string, threshold = 0.5, nlp?: Nlp): boolean {
  const { negated, rest } = splitNegation(criterion);
  const hit = criterionScore(text, rest, nlp) >= threshold;
  return negated ? !hit : hit;
}

/** Polarity of a statement as −1, 0 or 1. */
function polarity(text: string, nlp: Nlp | undefined): Polarity {
  const s = sentiment(text, nlp);
  const band = nlp === undefined ? 0.15 : NEUTRAL_BAND;
  if (s >= band) return 1;
  if (s <= -band) return -1;
  return 0;
}

/**
 * The part of a text that takes a stance on a topic: its sentences that mention the topic, so
 * "SQL is the best interface for agents. Declarative and verifiable." is read by its first sentence
 * (sentiment 0.53) rather than diluted by the second (0.27 for the whole text).
 */
function stanceText(text: string, topic: Features, terms: readonly string[]): string {
  const all = sentences(text);
  const onTopic = all.filter((sentence) => coverage(features(sentence), topic, terms) > 0);
  return onTopic.length > 0 && onTopic.length < all.length ? onTopic.join(' ') : text;
}

/**
 * Agreement with a statement, 0..1: topical overlap (sentiment words aside) scaled by stance —
 * the text's sentiment against the statement's. Off-topic texts score 0.02–0.07; on-topic ones at
 * least 0.08, so that a text that argues against a statement still ranks above one that ignores it.
 */
export function aligns(text: string, statement: string, nlp?: Nlp): number {
  const t = features(text);
  const s = features(statement);
  const terms = criterionTerms(s, { dropSentiment: true });
  const rel = coverage(t, s, terms);
  if (rel === 0) return round2(0.02 + 0.05 * unitHash(`${text}\u0000${statement}`));
  const sp = polarity(statement, nlp);
  const st = sentiment(stanceText(text, s, terms), nlp);
  // Lexicon sentiment is timid (one "dead" is only -0.46), so stance is amplified before use; the
  // libraries' scores are bolder and need less.
  let agreement = sp === 0 ? 0.2 + st : sp * (nlp === undefined ? 1.8 : 1.5) * st;
  if (t.hasNegation !== s.hasNegation && sp === 0) agreement -= 0.4;
  agreement = clamp(agreement, -0.8, 1);
  return round2(clamp(0.1 + rel * (0.4 + 0.5 * agreement) + jitter(text, statement), 0, 1));
}

export function implies(premise: string, conclusion: string, nlp?: Nlp): boolean {
  if (normalize(premise) === normalize(conclusion)) return true;
  const p = features(premise);
  const c = features(conclusion);
  const cov = coverage(p, c, criterionTerms(c, { dropSentiment: true }));
  if (cov < 0.7) return false;
  if (p.hasNegation !== c.hasNegation) return false;
  const pp = polarity(premise, nlp);
  const cp = polarity(conclusion, nlp);
  return !(pp !== 0 && cp !== 0 && pp !== cp);
}

/**
 * Words whose pairing across two texts about the same thing is a contradiction ("open" / "closed").
 * Hand-written: the NLP libraries here have no antonym data, and these few pairs cover what a model
 * is most often asked about (states, directions, outcomes).
 */
const OPPOSITES: readonly [RegExp, RegExp][] = [
  [/\bopen(?:s|ed)?\b/i, /\bclosed?\b|\bshut\b/i],
  [
    /\b(?:up|rose|risen|rise|rising|increased?|grew|higher)\b/i,
    /\b(?:down|fell|fallen|fall|dropped|decreased?|shrank|lower|stayed the same|unchanged|flat|stable)\b/i,
  ],
  [/\bcancel(?:l?ed)?\b|\bcalled off\b/i, /\btook place\b|\bwent ahead\b|\bhappened\b|\bwas held\b/i],
  [/\b(?:won|wins?|winning)\b/i, /\b(?:lost|loses?|losing)\b/i],
  [/\balways\b/i, /\bnever\b/i],
  [/\b(?:true|correct)\b/i, /\b(?:false|wrong|incorrect)\b/i],
  [/\b(?:alive|lives)\b/i, /\b(?:dead|died)\b/i],
];

/** The two texts say opposite things about the same subject: an opposite pair across them, and most other words shared. */
function opposed(a: string, b: string): boolean {
  const pair = OPPOSITES.find(([x, y]) => (x.test(a) && y.test(b) && !y.test(a) && !x.test(b)) || (y.test(a) && x.test(b) && !x.test(a) && !y.test(b)));
  if (pair === undefined) return false;
  const subject = (text: string) => new Set(features(text.replace(pair[0], ' ').replace(pair[1], ' ')).content);
  const sa = subject(a);
  const sb = subject(b);
  const shared = [...sb].filter((w) => sa.has(w)).length;
  return shared > 0 && shared / Math.min(sa.size, sb.size) >= 0.5;
}

export function contradicts(text: string, claim: string, nlp?: Nlp): boolean {
  const t = features(text);
  const c = features(claim);
  const rel = coverage(t, c, criterionTerms(c, { dropSentiment: true }));
  if (opposed(text, claim)) return true;
  if (rel < 0.5) return false;
  const tp = polarity(text, nlp);
  const cp = polarity(claim, nlp);
  if (tp !== 0 && cp !== 0) return tp !== cp;
  return t.hasNegation !== c.hasNegation;
}

export function similarity(a: string, b: string): number {
  if (normalize(a) === normalize(b)) return a.trim() === '' ? 0 : 1;
  const fa = features(a);
  const fb = features(b);
  const cov = (coverage(fa, fb) + coverage(fb, fa)) / 2;
  if (cov === 0) return round2(0.02 + 0.08 * unitHash(`${a}\u0000${b}`));
  return round2(clamp(0.1 + 0.85 * cov + jitter(a, b), 0, 0.99));
}

/** Lower case, accents and punctuation gone, whitespace collapsed. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const NAME_NOISE = new Set(['the', 'mr', 'mrs', 'ms', 'dr', 'prof', 'inc', 'ltd', 'llc', 'corp', 'co', 'gmbh', 'sa', 'plc', 'company', 'corporation']);

function nameWords(text: string): string[] {
  // "@jane_doe" and "JaneDoe" are names too: split handles and camel case into words.
  const spaced = text
    .replace(/^@/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
  return normalize(spaced)
    .split(' ')
    .filter((w) => w !== '' && !NAME_NOISE.has(w));
}

/** Same entity: equal names, reordered names, initials, acronyms or a near-identical spelling. */
export function sameAs(a: string, b: string): boolean {
  const x = nameWords(a);
  const y = nameWords(b);
  if (x.length === 0 || y.length === 0) return false;
  const xs = x.join(' ');
  const ys = y.join(' ');
  if (xs === ys || x.join('') === y.join('')) return true;
  if ([...x].sort().join(' ') === [...y].sort().join(' ')) return true;
  const acronym = (words: string[]) => words.map((w) => w[0]).join('');
  if (x.length === 1 && y.length > 1 && x[0] === acronym(y)) return true;
  if (y.length === 1 && x.length > 1 && y[0] === acronym(x)) return true;
  if (x.length === y.length && x.length > 1) {
    // "J. Smith" ~ "John Smith": each word equal or an initial of the other.
    const fits = x.every((w, i) => {
      const v = y[i] ?? '';
      return w === v || (w.length === 1 && v.startsWith(w)) || (v.length === 1 && w.startsWith(v));
    });
    if (fits) return true;
  }
  return trigramSimilarity(xs, ys) >= 0.75;
}

/**
 * Sentiment in [-1, 1]: the NLP libraries' when loaded, else the mock's lexicon. The lexicon also
 * answers when the libraries know no sentiment word in the text (16% of the UCI sentences): it was
 * written for the sample tweets' vocabulary ("thriving", "laggy"), and on the UCI sentences the
 * change is 2 rows of 3,000.
 */
export function sentiment(text: string, nlp?: Nlp): number {
  const lexicon = () => features(text).sentiment;
  if (nlp === undefined) return lexicon();
  const score = sentimentScore(text, nlp);
  return score !== 0 ? score : lexicon();
}

/** Where a score is neither positive nor negative. The lexicon's scores are timid, so its band is wider. */
function neutralBand(nlp: Nlp | undefined): number {
  return nlp === undefined ? 0.2 : NEUTRAL_BAND;
}

export function sentimentLabel(text: string, nlp?: Nlp): 'positive' | 'negative' | 'neutral' {
  const s = sentiment(text, nlp);
  const band = neutralBand(nlp);
  return s >= band ? 'positive' : s <= -band ? 'negative' : 'neutral';
}

const CATCH_ALL = ['other', 'neutral', 'none', 'misc', 'miscellaneous', 'unknown', 'general'];

/** Labels of "a, b, c" or a JSON array; trimmed, empty ones dropped. */
export function parseLabels(list: string): string[] {
  const trimmed = list.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((v) => String(v).trim()).filter((v) => v !== '');
    } catch {
      // Not JSON after all: fall through to the comma list.
    }
  }
  return trimmed
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * For labels that are all points of a sentiment scale ("positive, negative", "Very Negative ..
 * Very Positive"): the label the text's sentiment falls on. A neutral label takes the scores inside
 * the neutral band; without one, the sign decides (0, no sentiment at all, counts as negative, as
 * in the measurement). Within a side, the label whose strength is nearest the score's size wins.
 */
function polarBestLabel(text: string, labels: readonly string[], nlp: Nlp | undefined): { label: string; score: number } | undefined {
  const polar = labels.map((label) => ({ label, scale: polarLabel(label) }));
  if (polar.some((p) => p.scale === undefined)) return undefined;
  const s = sentiment(text, nlp);
  const neutral = polar.find((p) => p.scale?.polarity === 0);
  const side = s > 0 ? 1 : -1;
  if (neutral !== undefined && Math.abs(s) < neutralBand(nlp)) return { label: neutral.label, score: 1 - Math.abs(s) };
  const onSide = polar.filter((p) => p.scale?.polarity === side);
  if (onSide.length === 0) return neutral === undefined ? undefined : { label: neutral.label, score: 1 - Math.abs(s) };
  const distance = (p: (typeof polar)[number]) => Math.abs((p.scale?.strength ?? 0) - Math.abs(s));
  const best = onSide.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  return { label: best.label, score: Math.abs(s) };
}

/** The best-fitting label and its score; ties go to a hash of the text so they spread evenly. */
export function bestLabel(text: string, labels: readonly string[], nlp?: Nlp): { label: string; score: number } | undefined {
  if (labels.length === 0) return undefined;
  const polar = polarBestLabel(text, labels, nlp);
  if (polar !== undefined) return polar;
  const f = features(text);
  // A label that is one of the mock's own concept labels (from themes/topics) scores by that concept
  // alone, so "Bugs and crashes" does not win a refund tweet through the shared word "crash".
  const scoreOf = (label: string) => {
    const fit = taxonomyFit(text, label);
    if (fit !== undefined) return fit === 'fits' ? 0.86 : 0;
    const id = conceptOfLabel(label);
    return id !== undefined ? (f.concepts.get(id) ?? 0) : coverage(f, features(label));
  };
  const scored = labels.map((label, i) => ({ label, score: scoreOf(label), tie: hash32(`${text}\u0000${i}`) }));
  scored.sort((p, q) => q.score - p.score || p.tie - q.tie);
  const top = scored[0];
  if (top === undefined) return undefined;
  if (top.score > 0) return { label: top.label, score: top.score };
  const fallback = labels.find((l) => CATCH_ALL.includes(l.toLowerCase()));
  return { label: fallback ?? top.label, score: 0 };
}
