/**
 * The mock's record aggregates: best, coalesce_smart, compare, golden_record, merge_records,
 * merge_texts. One answer for a group (its values decoded in order).
 */
import { arg, groupValues, isMissing, json, type Handler } from '../args';
import { valid } from '../extract';
import { relevance, similarity } from '../judgements';
import { condense } from '../language';
import type { Nlp } from '../nlp/load-nlp';
import { inferType } from '../value-types';

/** Addresses people type to test a form: never the best value. */
const DUMMY = /^(?:test|foo|bar|asdf|example|sample|dummy)@|@(?:test|example|foo)\.(?:com|org)$|^(?:test|sample|dummy)$/i;

/** How good a value is as data: valid for its kind, not shouted, not a dummy, reasonably complete. */
function valueScore(value: string, nlp: Nlp | undefined): number {
  const v = value.trim();
  if (isMissing(v) || DUMMY.test(v)) return 0;
  const kind = nlp === undefined ? (/@/.test(v) ? 'email' : 'text') : inferType(v, nlp);
  let score = kind === 'text' ? 0.5 : valid(v, kind, () => true, nlp) ? 0.9 : 0.3;
  if (/@/.test(v) && !valid(v, 'email', () => false, nlp)) score = 0.2;
  if (v === v.toUpperCase() && /[A-Z]{3,}/.test(v)) score -= 0.2;
  score += Math.min(0.1, v.length / 200);
  // A short local part ("j@...") says less than a full one.
  if (/^[^@]{1,2}@/.test(v)) score -= 0.15;
  return score;
}

function best(values: readonly string[], criteria: string, nlp: Nlp | undefined): string | null {
  const c = criteria.toLowerCase();
  const generic = c === '' || /quality|complete|best|valid|clean/.test(c);
  let top: { value: string; score: number } | undefined;
  for (const v of values) {
    const score = generic ? valueScore(v, nlp) : relevance(v, criteria) + valueScore(v, nlp) / 4;
    if (top === undefined || score > top.score) top = { value: v, score };
  }
  return top?.value ?? null;
}

function coalesceSmart(values: readonly string[], preference: string, nlp: Nlp | undefined): string | null {
  const usable = values.filter((v) => !isMissing(v) && !DUMMY.test(v.trim()));
  if (usable.length === 0) return null;
  const wanted = preference.trim() !== '' && !/most complete|usable/i.test(preference);
  return wanted ? (best(usable, preference, nlp) ?? usable[0] ?? null) : (usable[0] as string);
}

const words = (v: string) => new Set(v.toLowerCase().match(/[\p{L}\p{N}$.]+/gu) ?? []);

function compare(values: readonly string[], focus: string): string {
  const sets = values.map(words);
  const shared = [...(sets[0] ?? new Set<string>())].filter((w) => sets.every((s) => s.has(w)) && w.length > 2);
  const differences = values.map((v, i) => ({ value: v, unique: [...(sets[i] ?? [])].filter((w) => sets.filter((s) => s.has(w)).length === 1) }));
  const numbers = values.map((v) => Number(/[-+]?\d+(?:\.\d+)?/.exec(v.replace(/,/g, ''))?.[0] ?? NaN));
  const ranked = numbers.every((n) => Number.isFinite(n)) && values.length > 1;
  const lowest = ranked ? values[numbers.indexOf(Math.min(...numbers))] : undefined;
  return json({
    value_count: values.length,
    focus: focus || 'all',
    similarities: shared,
    differences: differences.map((d) => `${condense(d.value, 8)}: ${d.unique.slice(0, 6).join(', ') || 'nothing of its own'}`),
    recommendation: lowest === undefined ? 'The values are comparable; choose by the differences above.' : `Lowest first figure: ${lowest}`,
  });
}

/** A record given as JSON text, or as `key: value` pairs. */
function recordOf(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON
  }
  const out: Record<string, unknown> = {};
  for (const m of text.matchAll(/([\p{L}_ ]+?)\s*[:=]\s*([^,;\n]+)/gu)) out[(m[1] ?? '').trim()] = (m[2] ?? '').trim();
  return Object.keys(out).length > 0 ? out : { value: text };
}

/** Field by field, the best value the records hold; and how many fields had rival values. */
function merged(records: readonly string[], nlp: Nlp | undefined): { record: Record<string, unknown>; conflicts: number } {
  const parsed = records.map(recordOf);
  const keys = [...new Set(parsed.flatMap((r) => Object.keys(r)))];
  const record: Record<string, unknown> = {};
  let conflicts = 0;
  for (const key of keys) {
    const candidates = parsed.map((r) => r[key]).filter((v) => v !== null && v !== undefined && !isMissing(String(v)));
    if (new Set(candidates.map((c) => String(c).toLowerCase())).size > 1) conflicts++;
    const choice = best(candidates.map(String), 'quality', nlp);
    record[key] = candidates.find((c) => String(c) === choice) ?? null;
  }
  return { record, conflicts };
}

function mergeTexts(texts: readonly string[], mode: string): string {
  const m = mode.toLowerCase();
  const distinct: string[] = [];
  for (const t of texts) if (!distinct.some((d) => similarity(d, t) >= 0.6)) distinct.push(t.trim());
  const joined = (m.includes('concat') ? texts.map((t) => t.trim()) : distinct).map((t) => (/[.!?]$/.test(t) ? t : `${t}.`)).join(' ');
  const text = /summar|synthes/.test(m) ? condense(joined, 30) : joined;
  return json({ merged: text, input_count: texts.length, mode_used: mode || 'deduplicate' });
}

export const RECORDS: Readonly<Record<string, Handler>> = {
  best: (r, nlp) => best(groupValues(r), arg(r, 1), nlp),
  coalesce_smart: (r, nlp) => coalesceSmart(groupValues(r), arg(r, 1), nlp),
  compare: (r) => compare(groupValues(r), arg(r, 1)),
  golden_record: (r, nlp) => {
    const values = groupValues(r);
    return json({ ...merged(values, nlp).record, _source_count: values.length });
  },
  merge_records: (r, nlp) => {
    const values = groupValues(r);
    const { record, conflicts } = merged(values, nlp);
    return json({
      merged: record,
      _merge_stats: { records: values.length, fields: Object.keys(record).length, conflicts, strategy: arg(r, 1) || 'best_quality' },
    });
  },
  merge_texts: (r) => mergeTexts(groupValues(r), arg(r, 1)),
};
