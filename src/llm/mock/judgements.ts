/**
 * The mock's judgements about meaning: relevance, matching, agreement, entailment, contradiction,
 * similarity, identity, sentiment and classification. All lexical (stems + concept lexicon), all
 * deterministic; small hash jitter keeps scores from looking machine-made without reordering them.
 */
import { conceptOfLabel, coverage, criterionTerms, features, trigramSimilarity, type Features } from './text-features';
import { hash32, unitHash } from './random';

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** ±0.02 of jitter fixed by the inputs. */
function jitter(...parts: string[]): number {
  return (unitHash(parts.join('\u0000')) - 0.5) * 0.04;
}

/** Relevance of `text` to `topic`, 0..1: unrelated texts land in 0.02–0.12, a full match near 0.95. */
export function relevance(text: string, topic: string): number {
  const cov = coverage(features(text), features(topic));
  if (cov === 0) return round2(0.02 + 0.1 * unitHash(`${text}\u0000${topic}`));
  return round2(clamp(0.15 + 0.8 * cov + jitter(text, topic), 0, 1));
}

/** Splits a leading negation off a criterion: "not a complaint" → { negated: true, rest: "a complaint" }. */
function splitNegation(criterion: string): { negated: boolean; rest: string } {
  const m = /^\s*(?:is\s+|does\s+)?(?:not|no|never|isn't|doesn't|non-?)\s*(.*)$/i.exec(criterion);
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

export function matches(text: string, criterion: string, threshold = 0.5): boolean {
  const { negated, rest } = splitNegation(criterion);
  const hit = relevance(text, rest) >= threshold;
  return negated ? !hit : hit;
}

/** Polarity of a statement as −1, 0 or 1. */
function polarity(f: Features): number {
  if (f.sentiment >= 0.15) return 1;
  if (f.sentiment <= -0.15) return -1;
  return 0;
}

/**
 * Agreement with a statement, 0..1: topical overlap (sentiment words aside) scaled by stance —
 * the text's sentiment against the statement's. Off-topic texts score near 0.05.
 */
export function aligns(text: string, statement: string): number {
  const t = features(text);
  const s = features(statement);
  const rel = coverage(t, s, criterionTerms(s, { dropSentiment: true }));
  if (rel === 0) return round2(0.03 + 0.06 * unitHash(`${text}\u0000${statement}`));
  const sp = polarity(s);
  // Lexicon sentiment is timid (one "dead" is only -0.46), so stance is amplified before use.
  let agreement = sp === 0 ? 0.2 + t.sentiment : sp * 1.8 * t.sentiment;
  if (t.hasNegation !== s.hasNegation && sp === 0) agreement -= 0.4;
  agreement = clamp(agreement, -1, 1);
  return round2(clamp(0.05 + rel * (0.45 + 0.5 * agreement) + jitter(text, statement), 0, 1));
}

export function implies(premise: string, conclusion: string): boolean {
  if (normalize(premise) === normalize(conclusion)) return true;
  const p = features(premise);
  const c = features(conclusion);
  const cov = coverage(p, c, criterionTerms(c, { dropSentiment: true }));
  if (cov < 0.7) return false;
  if (p.hasNegation !== c.hasNegation) return false;
  const pp = polarity(p);
  const cp = polarity(c);
  return !(pp !== 0 && cp !== 0 && pp !== cp);
}

export function contradicts(text: string, claim: string): boolean {
  const t = features(text);
  const c = features(claim);
  const rel = coverage(t, c, criterionTerms(c, { dropSentiment: true }));
  if (rel < 0.5) return false;
  const tp = polarity(t);
  const cp = polarity(c);
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
  const spaced = text.replace(/^@/, '').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
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

export function sentiment(text: string): number {
  return features(text).sentiment;
}

const SENTIMENT_LABELS = new Set(['positive', 'negative', 'neutral', 'mixed']);
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

/** The best-fitting label and its score; ties go to a hash of the text so they spread evenly. */
export function bestLabel(text: string, labels: readonly string[]): { label: string; score: number } | undefined {
  if (labels.length === 0) return undefined;
  const lower = labels.map((l) => l.toLowerCase());
  if (lower.every((l) => SENTIMENT_LABELS.has(l))) {
    const s = sentiment(text);
    const want = s >= 0.2 ? 'positive' : s <= -0.2 ? 'negative' : lower.includes('neutral') ? 'neutral' : 'mixed';
    const i = lower.indexOf(want);
    if (i >= 0) return { label: labels[i] ?? want, score: Math.abs(s) };
  }
  const f = features(text);
  // A label that is one of the mock's own concept labels (from themes/topics) scores by that concept
  // alone, so "Bugs and crashes" does not win a refund tweet through the shared word "crash".
  const scoreOf = (label: string) => {
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
