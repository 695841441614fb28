import type { JoinOption } from './statement-targets';

/**
 * The value of `-- @ join: …` (docs/semantic-joins.md): `exact` (or `off`), `classify`, or targets
 * `recall R[, precision P][, confidence C][, seed S]`, each target between 0 and 1.
 */
export function parseJoinAnnotation(value: string): { ok: true; value: { join: JoinOption } } | { ok: false; expected: string } {
  const text = value.trim().toLowerCase();
  if (text === 'exact' || text === 'off') return { ok: true, value: { join: 'exact' } };
  if (text === 'classify') return { ok: true, value: { join: 'classify' } };
  const expected =
    'exact, classify, or targets such as "recall 0.95" (and optionally "precision 0.9", "confidence 0.9" and "seed 7"), each target between 0 and 1';
  const parts: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(recall|precision|confidence)\s*[:=]?\s*(0?\.\d+|1(\.0*)?)$/.exec(part) ?? /^(seed)\s*[:=]?\s*(\d{1,9})$/.exec(part);
    if (!m || m[1] === undefined || m[1] in parts) return { ok: false, expected };
    parts[m[1]] = Number(m[2]);
  }
  const { recall, precision, confidence = 0.9, seed } = parts;
  if (recall === undefined || recall >= 1 || (precision !== undefined && precision >= 1) || confidence <= 0 || confidence >= 1) return { ok: false, expected };
  return { ok: true, value: { join: { recall, confidence, ...(precision !== undefined ? { precision } : {}), ...(seed !== undefined ? { seed } : {}) } } };
}
