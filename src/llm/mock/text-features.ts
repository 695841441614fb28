/**
 * Text features for the mock model: tokens, light stems, negation scope, concept hits and a
 * lexicon sentiment. Every semantic judgement of the mock is built from these, so they are computed
 * once per distinct text and memoised (aggregates compare every value of a group with the others).
 */
import { CONCEPTS } from './lexicon';
import { EMOJI_SENTIMENT, INTENSIFIERS, META_WORDS, NEGATIONS, SENTIMENT_WORDS, STOPWORDS } from './word-lists';

export interface Token {
  word: string;
  stem: string;
  /** Within three words after a negation, before the next punctuation mark. */
  negated: boolean;
}

export interface Features {
  text: string;
  tokens: Token[];
  /** Distinct stems of content words (no stopwords, no single letters), in order of appearance. */
  content: string[];
  /** Stems that occur outside a negation scope. */
  plain: ReadonlySet<string>;
  /** Stems that occur only inside a negation scope. */
  negatedOnly: ReadonlySet<string>;
  /** Concept id → strength in (0, 0.95]: more trigger words, more strength; negated hits count little. */
  concepts: ReadonlyMap<string, number>;
  /** Concepts each content stem triggered, alone or as part of a phrase. */
  conceptsOf: ReadonlyMap<string, readonly string[]>;
  hasNegation: boolean;
  sentiment: number;
}

/**
 * A light suffix stripper, not Porter: it only has to map a word and its inflections to the same
 * key, and it is applied to the lexicon too, so odd stems ("lov" for love/loving) do not matter.
 */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  const n = w.length;
  // running → runn → run; stopped → stopp → stop
  if (n > 3 && w[n - 1] === w[n - 2] && !'aeiouls'.includes(w[n - 1] ?? '')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

const URL_RE = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const WORD_OR_BREAK_RE = /[\p{L}\p{N}]+|[.,!?;:]/gu;
const EMOJI_RE = /\p{Extended_Pictographic}/gu;

/** Splits "#MachineLearning" into "Machine Learning" so hashtags count as words. */
function expandHashtags(text: string): string {
  return text.replace(/#([\p{L}\p{N}_]+)/gu, (_m, tag: string) => tag.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

/** Word tokens with negation scope. URLs and emails are dropped: their parts are not topics. */
export function tokenize(text: string): Token[] {
  const cleaned = expandHashtags(text.replace(URL_RE, ' . ').replace(EMAIL_RE, ' '))
    .replace(/n['’]t\b/gi, ' not')
    .replace(/['’]s\b/gi, '');
  const tokens: Token[] = [];
  let scope = 0;
  for (const match of cleaned.matchAll(WORD_OR_BREAK_RE)) {
    const raw = match[0];
    if (/^[.,!?;:]$/.test(raw)) {
      scope = 0;
      continue;
    }
    const word = raw.toLowerCase();
    if (word === 'but') scope = 0;
    tokens.push({ word, stem: stem(word), negated: scope > 0 });
    if (scope > 0) scope--;
    if (NEGATIONS.has(word)) scope = 3;
  }
  return tokens;
}

interface ConceptIndex {
  phrases: Map<string, string[]>;
  maxWords: number;
}

function buildConceptIndex(): ConceptIndex {
  const phrases = new Map<string, string[]>();
  let maxWords = 1;
  for (const concept of CONCEPTS) {
    for (const entry of concept.words) {
      const stems = tokenize(entry).map((t) => t.stem);
      if (stems.length === 0) continue;
      maxWords = Math.max(maxWords, stems.length);
      const key = stems.join(' ');
      const ids = phrases.get(key) ?? [];
      if (!ids.includes(concept.id)) ids.push(concept.id);
      phrases.set(key, ids);
    }
  }
  return { phrases, maxWords };
}

const CONCEPT_INDEX = buildConceptIndex();
const STEMMED_META = new Set([...META_WORDS].map(stem));
const SENTIMENT_STEMS = new Map<string, number>();
for (const [word, weight] of Object.entries(SENTIMENT_WORDS)) SENTIMENT_STEMS.set(stem(word), weight);

export function isSentimentWord(stemmed: string): boolean {
  return SENTIMENT_STEMS.has(stemmed);
}

export function isMetaWord(stemmed: string): boolean {
  return STEMMED_META.has(stemmed);
}

export function conceptLabel(id: string): string {
  return CONCEPTS.find((c) => c.id === id)?.label ?? id;
}

/** The concept a label names exactly (what themes()/topics() propose), if any. */
export function conceptOfLabel(label: string): string | undefined {
  const wanted = label.trim().toLowerCase();
  return CONCEPTS.find((c) => c.label.toLowerCase() === wanted)?.id;
}

function isContent(token: Token): boolean {
  return !STOPWORDS.has(token.word) && !NEGATIONS.has(token.word) && token.word.length > 1;
}

function detectConcepts(tokens: Token[], text: string): { strengths: Map<string, number>; conceptsOf: Map<string, string[]> } {
  const hits = new Map<string, { plain: number; negated: number }>();
  const conceptsOf = new Map<string, string[]>();
  const add = (id: string, negated: boolean) => {
    const h = hits.get(id) ?? { plain: 0, negated: 0 };
    if (negated) h.negated++;
    else h.plain++;
    hits.set(id, h);
  };
  for (let i = 0; i < tokens.length; i++) {
    for (let len = Math.min(CONCEPT_INDEX.maxWords, tokens.length - i); len >= 1; len--) {
      const span = tokens.slice(i, i + len);
      const ids = CONCEPT_INDEX.phrases.get(span.map((t) => t.stem).join(' '));
      if (ids === undefined) continue;
      // ORDER BY is SQL, not a parcel.
      if (len === 1 && span[0]?.stem === 'order' && tokens[i + 1]?.word === 'by') continue;
      // A phrase that starts with its own negation ("no response") is not negated by it.
      const negated = span[0]?.negated === true;
      for (const id of ids) add(id, negated);
      for (const t of span) {
        const list = conceptsOf.get(t.stem) ?? [];
        for (const id of ids) if (!list.includes(id)) list.push(id);
        conceptsOf.set(t.stem, list);
      }
      break;
    }
  }
  if (text.includes('?')) add('question', false);
  const strengths = new Map<string, number>();
  for (const [id, h] of hits) {
    if (h.plain > 0) strengths.set(id, Math.min(0.95, 0.5 + 0.15 * h.plain));
    else strengths.set(id, 0.15);
  }
  return { strengths, conceptsOf };
}

/** Lexicon sentiment in [-1, 1]: negation flips, intensifiers and "!" amplify, "/s" inverts. */
function lexiconSentiment(tokens: Token[], text: string): number {
  let sum = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    const weight = SENTIMENT_STEMS.get(token.stem);
    if (weight === undefined) continue;
    const boost = INTENSIFIERS.has(tokens[i - 1]?.word ?? '') ? 1.5 : 1;
    sum += weight * boost * (token.negated ? -0.6 : 1);
  }
  for (const match of text.matchAll(EMOJI_RE)) sum += EMOJI_SENTIMENT[match[0]] ?? 0;
  const bangs = Math.min(3, (text.match(/!/g) ?? []).length);
  sum *= 1 + 0.1 * bangs;
  if (/(^|\s)\/s\b|#sarcasm/i.test(text)) sum *= -0.8;
  return Math.round(Math.tanh(sum / 4) * 100) / 100;
}

const MEMO_LIMIT = 5_000;
const memo = new Map<string, Features>();

export function features(text: string): Features {
  const cached = memo.get(text);
  if (cached !== undefined) return cached;
  const tokens = tokenize(text);
  const content: string[] = [];
  const plain = new Set<string>();
  const negatedSeen = new Set<string>();
  for (const token of tokens) {
    if (!isContent(token)) continue;
    if (!content.includes(token.stem)) content.push(token.stem);
    if (token.negated) negatedSeen.add(token.stem);
    else plain.add(token.stem);
  }
  const negatedOnly = new Set([...negatedSeen].filter((s) => !plain.has(s)));
  const { strengths, conceptsOf } = detectConcepts(tokens, text);
  const result: Features = {
    text,
    tokens,
    content,
    plain,
    negatedOnly,
    concepts: strengths,
    conceptsOf,
    hasNegation: tokens.some((t) => NEGATIONS.has(t.word)),
    sentiment: lexiconSentiment(tokens, text),
  };
  // A bounded memo: plain Map insertion order makes dropping the oldest entry cheap.
  if (memo.size >= MEMO_LIMIT) {
    const oldest = memo.keys().next();
    if (oldest.done !== true) memo.delete(oldest.value);
  }
  memo.set(text, result);
  return result;
}

/** The stems of a criterion worth matching: content words minus "the author mentions ..." words. */
export function criterionTerms(f: Features, options: { dropSentiment?: boolean } = {}): string[] {
  const topical = f.content.filter((s) => !isMetaWord(s));
  // A criterion made only of meta words ("products") still has to mean something.
  const terms = topical.length > 0 ? topical : f.content;
  if (options.dropSentiment !== true) return terms;
  const neutral = terms.filter((s) => !isSentimentWord(s) || (f.conceptsOf.get(s) ?? []).some((c) => c !== 'praise' && c !== 'complaint'));
  return neutral.length > 0 ? neutral : terms;
}

/**
 * How much of the criterion's terms the text covers, 0..1. A term counts 1 when the text has the
 * same stem, or the text's strength in a concept the term belongs to (so "refund" covers
 * "complaint"); a stem the text only negates counts 0.2.
 */
export function coverage(text: Features, criterion: Features, terms: readonly string[] = criterionTerms(criterion)): number {
  if (terms.length === 0) return 0;
  let total = 0;
  for (const term of terms) {
    let best = 0;
    if (text.plain.has(term)) best = 1;
    else if (text.negatedOnly.has(term)) best = 0.2;
    for (const id of criterion.conceptsOf.get(term) ?? []) best = Math.max(best, text.concepts.get(id) ?? 0);
    total += best;
  }
  return total / terms.length;
}

/** Letter trigrams of a normalized string, for fuzzy name matching. */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const padded = `  ${s} `;
    const set = new Set<string>();
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
    return set;
  };
  const x = grams(a);
  const y = grams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** Sentences of a text; splitting only after end punctuation followed by a space keeps URLs whole. */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.length > 0);
}
