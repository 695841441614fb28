import { describe, expect, it } from 'vitest';
import { band, binomialCdf, learnThresholds, type LabelledDraw, type OracleAnswer, type ThresholdInput } from '../../../../src/engine/cascade';

/** 1,000 rows scored row/1000; every other row is drawn once, so the sample is 500 draws spread evenly. */
const ROWS = 1000;
const scores = Array.from({ length: ROWS }, (_, row) => row / ROWS);
const everyOther = Array.from({ length: ROWS / 2 }, (_, i) => 2 * i);

function input(truth: (row: number) => OracleAnswer, overrides: Partial<ThresholdInput> = {}): ThresholdInput {
  const draws: LabelledDraw[] = everyOther.map((row) => ({ row, answer: truth(row) }));
  return { scores, draws, targets: { recall: 0.95, precision: 0.95 }, delta: 0.05, grid: 20, minAuc: 0.65, ...overrides };
}

/** The proxy ranks perfectly: the top 30% are the positives. */
const perfect = (row: number) => row >= 700;

describe('learnThresholds', () => {
  it('with a perfect proxy accepts only positives and rejects at most the missed share the exact test allows', () => {
    const t = learnThresholds(input(perfect));
    expect(t.fallback).toBeNull();
    expect(t.high).not.toBeNull();
    expect(t.low).not.toBeNull();
    expect(t.high as number).toBeGreaterThanOrEqual(0.7);
    expect(t.precision).toMatchObject({ certified: true, needed: 72, alpha: 0.025 });
    expect(t.precision?.bound).toBeGreaterThanOrEqual(0.95);
    // The recall scan stops at the last miss count the test passes, given 150 sampled positives.
    let allowed = 0;
    while (binomialCdf(allowed + 1, 150, 0.05) <= 0.025) allowed++;
    expect(t.recall).toMatchObject({ certified: true, positives: 150, needed: 72 });
    expect(t.recall?.missed).toBeLessThanOrEqual(allowed);
    expect(t.recall?.bound).toBeGreaterThanOrEqual(0.95);
    // The accept band's first failing cut is below the last positive's rank, so `low` was clamped to `high`.
    expect(t.low).toBeLessThanOrEqual(t.high as number);
    expect(t.estimate.precision).toBe(1);
    expect(t.estimate.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('walks the accept band down the label-free cuts and stops at the first that fails', () => {
    const t = learnThresholds(input(perfect));
    // First cut: the top 1.5 × 72 / 500 = 21.6%; then steps of 78.4% / 20; the cut at 33.4% takes in negatives.
    expect(t.precision?.acceptedShare).toBeCloseTo(0.295, 3);
    expect(t.high).toBe(scores[ROWS - 295]);
  });

  it('rejects nothing when too few positives are sampled, and falls back when nothing else passes', () => {
    const t = learnThresholds(input((row) => row >= 980));
    expect(t.recall).toMatchObject({ certified: false, positives: 10, needed: 72, bound: null });
    expect(t.low).toBeNull();
    expect(t.precision?.certified).toBe(false);
    expect(t.high).toBeNull();
    expect(t.fallback).toBe('nothing-certified');
  });

  it('treats a proxy that ranks no better than chance as useless, before any test', () => {
    const t = learnThresholds(input((row) => (row * 7919) % 10 < 3));
    expect(t.auc?.auc).toBeGreaterThan(0.35);
    expect(t.auc?.auc).toBeLessThan(0.65);
    expect(t).toMatchObject({ fallback: 'useless-proxy', low: null, high: null, recall: null, precision: null });
  });

  it('counts a failed row against both targets: as a missed positive and as a negative', () => {
    const clean = learnThresholds(input(perfect));
    const failing = (rows: number[]) => (row: number) => (rows.includes(row) ? { error: 'timeout' } : perfect(row));
    // A sampled negative at the bottom fails: it is counted as a positive the reject band missed.
    const bottom = learnThresholds(input(failing([0])));
    expect(bottom.recall).toMatchObject({ certified: true, positives: 151 });
    // The miss it adds leaves room for one fewer positive below the threshold.
    expect(bottom.low as number).toBeLessThan(clean.low as number);
    // A sampled positive at the very top fails: as a negative, it is one more than the first cut's
    // 108 draws may hold at 0.95 (P(Bin(108, 0.95) ≥ 107) = 0.026 > 0.025), so nothing is accepted.
    const top = learnThresholds(input(failing([998])));
    expect(clean.precision?.certified).toBe(true);
    expect(top.precision).toMatchObject({ certified: false, bound: null });
    expect(top.high).toBeNull();
    // Ten failures are more misses than 160 sampled "positives" may hold: nothing is rejected.
    const many = learnThresholds(input(failing(Array.from({ length: 10 }, (_, i) => 2 * i))));
    expect(many.recall).toMatchObject({ certified: false, positives: 160, bound: null });
    expect(many.low).toBeNull();
  });

  it('with only a recall target spends all of δ on it and accepts nothing', () => {
    const t = learnThresholds(input(perfect, { targets: { recall: 0.95 } }));
    expect(t.high).toBeNull();
    expect(t.precision).toBeNull();
    expect(t.recall).toMatchObject({ alpha: 0.05, certified: true, needed: 59 });
  });

  it('with only a precision target rejects nothing', () => {
    const t = learnThresholds(input(perfect, { targets: { precision: 0.95 } }));
    expect(t.low).toBeNull();
    expect(t.recall).toBeNull();
    expect(t.precision).toMatchObject({ alpha: 0.05, certified: true });
  });

  it('keeps tied scores in one band', () => {
    const tied = scores.map((s) => (s >= 0.7 ? 0.9 : 0.1));
    const t = learnThresholds(input(perfect, { scores: tied }));
    expect(t.low).toBe(0.9);
    expect(t.high).toBe(0.9);
    expect(new Set(tied.filter((s) => s === 0.9).map((s) => band(s, t))).size).toBe(1);
    expect(new Set(tied.filter((s) => s === 0.1).map((s) => band(s, t))).size).toBe(1);
  });
});

describe('band', () => {
  it('accepts at or above high, rejects below low, and leaves the rest to the model', () => {
    const t = { low: 0.3, high: 0.8 };
    expect([0.1, 0.3, 0.5, 0.8, 0.9].map((s) => band(s, t))).toEqual(['reject', 'ask', 'ask', 'accept', 'accept']);
    expect(band(0.99, { low: null, high: null })).toBe('ask');
  });
});
