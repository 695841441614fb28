/**
 * Group operators of the mock: one answer for a whole group of values (already decoded). Built on
 * concept frequencies across the group, so `themes` proposes labels that `topic_label` maps back.
 */
import { bestLabel, sentiment, similarity, normalize } from './judgements';
import { condense } from './language';
import type { Nlp } from './nlp/load-nlp';
import { NEUTRAL_BAND } from './nlp/sentiment';
import { hash32 } from './random';
import { conceptLabel, coverage, features, isSentimentWord } from './text-features';
import { STOPWORDS } from './word-lists';

/** Concepts a value is "about": strong, unnegated hits only (the question mark alone does not count). */
function topicsOf(value: string): string[] {
  const found: string[] = [];
  for (const [id, strength] of features(value).concepts) if (strength >= 0.5) found.push(id);
  return found;
}

/** Symmetric closeness without the scalar operator's jitter: aggregates compare thousands of pairs. */
function closeness(a: string, b: string): number {
  const fa = features(a);
  const fb = features(b);
  return (coverage(fa, fb) + coverage(fb, fa)) / 2;
}

/** Share of content stems in common (Jaccard), a cheap first filter before `similarity`. */
function overlap(a: string, b: string): number {
  const x = features(a).content;
  const y = new Set(features(b).content);
  if (x.length === 0 || y.size === 0) return 0;
  const shared = x.filter((s) => y.has(s)).length;
  return shared / (x.length + y.size - shared);
}

interface Theme {
  label: string;
  count: number;
  covers: (value: string) => boolean;
}

/** Themes by how many values mention them: concepts first, then frequent words and hashtags. */
function rankThemes(values: readonly string[]): Theme[] {
  const conceptCounts = new Map<string, number>();
  const wordCounts = new Map<string, { count: number; word: string }>();
  for (const value of values) {
    for (const id of topicsOf(value)) conceptCounts.set(id, (conceptCounts.get(id) ?? 0) + 1);
    const f = features(value);
    const seen = new Set<string>();
    for (const token of f.tokens) {
      if (STOPWORDS.has(token.word) || token.word.length < 4 || isSentimentWord(token.stem) || /^\d+$/.test(token.word)) continue;
      if (f.conceptsOf.has(token.stem) || seen.has(token.stem)) continue;
      seen.add(token.stem);
      const entry = wordCounts.get(token.stem) ?? { count: 0, word: token.word };
      entry.count++;
      wordCounts.set(token.stem, entry);
    }
  }
  const themes: Theme[] = [...conceptCounts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, count]) => ({ label: conceptLabel(id), count, covers: (v: string) => topicsOf(v).includes(id) }));
  const minWordCount = values.length > 3 ? 2 : 1;
  const words = [...wordCounts]
    .filter(([, e]) => e.count >= minWordCount)
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([stemmed, e]) => ({ label: e.word, count: e.count, covers: (v: string) => features(v).plain.has(stemmed) }));
  return [...themes, ...words];
}

export function parseCount(arg: string | undefined, fallback: number): number {
  const n = Number.parseInt(arg ?? '', 10);
  return Number.isFinite(n) ? Math.min(20, Math.max(1, n)) : fallback;
}

/** themes(x, n): at most n labels, most common first (JSON array text). */
export function themes(values: readonly string[], n: number): string {
  return JSON.stringify(
    rankThemes(values)
      .slice(0, n)
      .map((t) => t.label),
  );
}

/** topics(x, n): like themes, but the labels must cover the group, so the last slot may become "Other". */
export function topics(values: readonly string[], n: number): string {
  const ranked = rankThemes(values);
  const chosen = ranked.slice(0, n);
  const uncovered = values.filter((v) => !chosen.some((t) => t.covers(v))).length;
  if (n >= 2 && uncovered > 0 && values.length > 0) {
    if (chosen.length >= n) chosen.pop();
    return JSON.stringify([...chosen.map((t) => t.label), 'Other']);
  }
  return JSON.stringify(chosen.map((t) => t.label));
}

function tone(values: readonly string[], nlp: Nlp | undefined): string {
  const mean = sentimentAgg(values, nlp);
  // The lexicon's scores are timid, the libraries' bolder: each gets its own bands.
  const [clear, lean] = nlp === undefined ? [0.2, 0.15] : [2 * NEUTRAL_BAND, NEUTRAL_BAND];
  const spread = values.filter((v) => Math.abs(sentiment(v, nlp)) >= clear);
  const positive = spread.filter((v) => sentiment(v, nlp) > 0).length;
  if (spread.length >= 4 && positive / spread.length > 0.3 && positive / spread.length < 0.7) return 'mixed';
  return mean >= lean ? 'mostly positive' : mean <= -lean ? 'mostly negative' : 'mostly neutral';
}

/** The value most similar to the others: a fair "typical example". Compares against a bounded sample. */
function representative(values: readonly string[]): string {
  const sample = values.length > 60 ? values.filter((_, i) => i % Math.ceil(values.length / 60) === 0) : values;
  let best = sample[0] ?? '';
  let bestScore = -1;
  for (const v of sample) {
    let total = 0;
    for (const w of sample) if (w !== v) total += closeness(v, w);
    if (total > bestScore) {
      best = v;
      bestScore = total;
    }
  }
  return best;
}

const lower = (label: string) => (/^[A-Z]{2,}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

export function summarize(values: readonly string[], nlp?: Nlp): string {
  if (values.length === 0) return 'No texts to summarize.';
  if (values.length === 1) return condense(values[0] ?? '');
  const top = rankThemes(values)
    .slice(0, 3)
    .map((t) => lower(t.label));
  const about = top.length === 0 ? 'a mix of things' : top.length === 1 ? top[0] : `${top.slice(0, -1).join(', ')} and ${top[top.length - 1]}`;
  return `${values.length} texts, mainly about ${about}; the tone is ${tone(values, nlp)}. Typical: "${condense(representative(values), 12)}"`;
}

export function consensus(values: readonly string[], nlp?: Nlp): string {
  if (values.length === 0) return 'There is nothing to agree on.';
  if (values.length === 1) return condense(values[0] ?? '');
  const top = rankThemes(values)[0];
  if (top === undefined) return `The ${values.length} texts share no common point; the tone is ${tone(values, nlp)}.`;
  const share = top.count / values.length;
  if (share >= 0.5) {
    return `Most of the texts (${top.count} of ${values.length}) are about ${lower(top.label)}, and the tone is ${tone(values, nlp)}.`;
  }
  return `The texts do not agree on much; the most common thread is ${lower(top.label)} (${top.count} of ${values.length}).`;
}

/** dedupe: keeps the first of each set of values that say the same thing (JSON array text). */
export function dedupe(values: readonly string[]): string {
  const kept: string[] = [];
  const keys = new Set<string>();
  for (const value of values) {
    const key = normalize(value);
    if (keys.has(key)) continue;
    if (kept.some((k) => overlap(k, value) >= 0.5 && similarity(k, value) >= 0.85)) continue;
    keys.add(key);
    kept.push(value);
  }
  return JSON.stringify(kept);
}

/** outliers(x, n): the values least similar to the rest, at most n and at most a quarter of the group. */
export function outliers(values: readonly string[], n: number): string {
  if (values.length < 3) return '[]';
  const limit = Math.min(n, Math.max(1, Math.floor(values.length / 4)));
  const step = Math.max(1, Math.ceil(values.length / 120));
  const distinct = [...new Set(values)];
  const scored = distinct.map((v) => {
    let total = 0;
    let count = 0;
    for (let i = 0; i < values.length; i += step) {
      const w = values[i];
      if (w === undefined || w === v) continue;
      total += closeness(v, w);
      count++;
    }
    return { v, score: count === 0 ? 1 : total / count, tie: hash32(v) };
  });
  scored.sort((a, b) => a.score - b.score || a.tie - b.tie);
  return JSON.stringify(scored.slice(0, limit).map((s) => s.v));
}

/** classify over a group: the label most values get; ties go to the higher summed score. */
export function classifyAgg(values: readonly string[], labels: readonly string[], nlp?: Nlp): string | null {
  if (labels.length === 0) return null;
  const tally = new Map<string, { count: number; score: number }>();
  for (const value of values) {
    const best = bestLabel(value, labels, nlp);
    if (best === undefined) continue;
    const t = tally.get(best.label) ?? { count: 0, score: 0 };
    t.count++;
    t.score += best.score;
    tally.set(best.label, t);
  }
  const ranked = [...tally].sort((a, b) => b[1].count - a[1].count || b[1].score - a[1].score || labels.indexOf(a[0]) - labels.indexOf(b[0]));
  return ranked[0]?.[0] ?? labels[0] ?? null;
}

export function sentimentAgg(values: readonly string[], nlp?: Nlp): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((sum, v) => sum + sentiment(v, nlp), 0) / values.length;
  return Math.round(mean * 100) / 100;
}
