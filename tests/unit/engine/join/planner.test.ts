import { describe, expect, test } from 'vitest';
import type { OracleAnswer } from '../../../../src/engine/cascade';
import { choosePlan, planCosts, runBlocking, runClassify, type JoinPairs, type PairCounts } from '../../../../src/engine/join';
import { mulberry32 } from '../../../../src/llm/mock/random';

/**
 * Issue 24: the join planner's plans on synthetic joins whose answers are known, so recall is
 * measured against the nested loop's result (every pair asked). The engine's wiring is tested in
 * tests/e2e/semantic-join.test.ts; these runs are the statistics alone.
 */

interface Synthetic {
  pairs: JoinPairs;
  similarity: Float64Array;
  rank: Int32Array;
  truth: boolean[];
}

/**
 * `left` × `right` values; each left value matches `perLeft` right values. The proxy scores a match
 * high except for `hard` of them, which it scores like non-matches (texts that share no word);
 * `useless` scores everything at random. `weights` repeats some pairs' rows.
 */
function synthetic(o: { left: number; right: number; perLeft?: number; hard?: number; useless?: boolean; seed: number; weights?: boolean }): Synthetic {
  const random = mulberry32(o.seed);
  const n = o.left * o.right;
  const leftOf = new Int32Array(n);
  const rightOf = new Int32Array(n);
  const weight = new Float64Array(n).fill(1);
  const similarity = new Float64Array(n);
  const truth: boolean[] = [];
  for (let l = 0; l < o.left; l++) {
    const matches = new Set<number>();
    while (matches.size < (o.perLeft ?? 1)) matches.add(Math.floor(random() * o.right));
    for (let r = 0; r < o.right; r++) {
      const p = l * o.right + r;
      leftOf[p] = l;
      rightOf[p] = r;
      const match = matches.has(r);
      truth.push(match);
      const hard = match && random() < (o.hard ?? 0);
      similarity[p] = o.useless ? random() : match ? (hard ? 0.2 + 0.3 * random() : 0.45 + 0.4 * random()) : 0.5 * random() ** 3;
      if (o.weights && l % 3 === 0) weight[p] = 3;
    }
  }
  const rank = new Int32Array(n);
  for (let l = 0; l < o.left; l++) {
    const ids = Array.from({ length: o.right }, (_, r) => l * o.right + r).sort((a, b) => (similarity[b] as number) - (similarity[a] as number));
    ids.forEach((p, i) => (rank[p] = i + 1));
  }
  const names = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  return { pairs: { leftOf, rightOf, weight, left: names(o.left, 'l'), right: names(o.right, 'r') }, similarity, rank, truth };
}

/** Runs blocking against the truth: calls made and recall over row pairs. */
async function block(s: Synthetic, options: { recall: number; confidence?: number; seed: number }, known: (OracleAnswer | undefined)[] = [], fail = 0) {
  let calls = 0;
  const result = await runBlocking(
    { pairs: s.pairs, similarity: s.similarity, rank: s.rank, known: s.truth.map((_, p) => known[p]) },
    async (asked) => {
      calls += asked.length;
      return asked.map((p) => (fail > 0 && p % Math.round(1 / fail) === 0 ? { error: 'timeout' } : (s.truth[p] as boolean)));
    },
    { recall: options.recall, confidence: options.confidence ?? 0.9, seed: options.seed },
  );
  let positives = 0;
  let kept = 0;
  s.truth.forEach((t, p) => {
    if (!t) return;
    positives += s.pairs.weight[p] as number;
    if (result.answers[p] === true) kept += s.pairs.weight[p] as number;
  });
  return { calls, recall: kept / positives, stats: result.stats, answers: result.answers };
}

describe('blocking', () => {
  test('a useful proxy: >= 10x fewer calls than the nested loop, recall >= 0.95 in at least 38 of 40 seeds (the certificate holds with 0.9)', async () => {
    const s = synthetic({ left: 2000, right: 100, hard: 0.005, seed: 1 });
    let calls = 0;
    let met = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const run = await block(s, { recall: 0.95, seed });
      calls += run.calls;
      if (run.recall >= 0.95) met++;
      expect(run.stats.fallback).toBeNull();
      expect(run.stats.recallBound).toBeGreaterThanOrEqual(0.95);
    }
    expect(met).toBeGreaterThanOrEqual(38);
    expect(s.truth.length / (calls / 40)).toBeGreaterThanOrEqual(10);
  }, 240_000);

  test('matches the proxy misses: k grows, and the target holds', async () => {
    const s = synthetic({ left: 1000, right: 60, perLeft: 2, hard: 0.1, seed: 2 });
    let met = 0;
    let grew = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const run = await block(s, { recall: 0.8, seed });
      if (run.recall >= 0.8) met++;
      if (run.stats.k.last > run.stats.k.first) grew++;
    }
    expect(met).toBe(10);
    expect(grew).toBeGreaterThan(0);
  }, 120_000);

  test('many matches per left value: k grows as far as the sampled matches say, and the target is certified', async () => {
    const s = synthetic({ left: 2000, right: 80, perLeft: 6, seed: 11 });
    for (let seed = 1; seed <= 3; seed++) {
      const run = await block(s, { recall: 0.95, seed });
      expect(run.stats.fallback).toBeNull();
      expect(run.stats.k.last).toBeGreaterThan(run.stats.k.first);
      expect(run.recall).toBeGreaterThanOrEqual(0.95);
      expect(run.calls).toBeLessThan(s.truth.length / 2);
    }
  }, 120_000);

  test('a useless proxy falls back to every pair: the exact result, never a silent miss', async () => {
    const s = synthetic({ left: 1000, right: 60, useless: true, seed: 3 });
    for (let seed = 1; seed <= 5; seed++) {
      const run = await block(s, { recall: 0.95, seed });
      expect(run.stats.fallback).not.toBeNull();
      expect(run.recall).toBe(1);
      expect(run.calls).toBe(s.truth.length);
    }
  });

  test('the target is over row pairs: repeated rows weigh as rows', async () => {
    const s = synthetic({ left: 1500, right: 80, hard: 0.01, seed: 4, weights: true });
    let met = 0;
    for (let seed = 1; seed <= 10; seed++) if ((await block(s, { recall: 0.95, seed })).recall >= 0.95) met++;
    expect(met).toBe(10);
  }, 120_000);

  test('known answers are used and never asked again; a join known in full asks nothing', async () => {
    const s = synthetic({ left: 500, right: 40, seed: 5 });
    const all = await block(s, { recall: 0.95, seed: 1 }, s.truth.slice());
    expect(all.calls).toBe(0);
    expect(all.recall).toBe(1);
    const half = s.truth.map((t, p) => (p % 2 === 0 ? t : undefined));
    const run = await block(s, { recall: 0.95, seed: 1 }, half);
    expect(run.stats.known).toBe(Math.ceil(s.truth.length / 2));
    expect(run.calls).toBeLessThanOrEqual(s.truth.length / 2);
  });

  test('too few pairs, or no match among the candidates: every pair is asked', async () => {
    const small = synthetic({ left: 20, right: 30, seed: 6 });
    expect((await block(small, { recall: 0.9, seed: 1 })).stats.fallback).toBe('too-few-pairs');
    const none = synthetic({ left: 500, right: 40, seed: 7 });
    none.truth.fill(false);
    const run = await block(none, { recall: 0.9, seed: 1 });
    expect(run.stats.fallback).toBe('no-match-in-candidates');
    expect(run.calls).toBe(none.truth.length);
  });

  test('failed calls count against the target: one call in 50 failing still certifies or asks every pair', async () => {
    const s = synthetic({ left: 1500, right: 80, hard: 0.01, seed: 8 });
    for (let seed = 1; seed <= 3; seed++) {
      const run = await block(s, { recall: 0.9, seed }, [], 0.02);
      const answered = s.truth.filter((t, p) => t && run.answers[p] !== undefined && typeof run.answers[p] === 'boolean').length;
      expect(run.stats.fallback === null ? (run.stats.recallBound as number) >= 0.9 : run.calls === s.truth.length).toBe(true);
      expect(answered).toBeGreaterThan(0);
    }
  }, 120_000);

  test('the same seed draws the same sample', async () => {
    const s = synthetic({ left: 1000, right: 60, hard: 0.05, seed: 9 });
    const a = await block(s, { recall: 0.95, seed: 3 });
    const b = await block(s, { recall: 0.95, seed: 3 });
    expect(b.calls).toBe(a.calls);
    expect(b.answers).toEqual(a.answers);
  });
});

describe('classify into the small side', () => {
  const s = synthetic({ left: 50, right: 8, seed: 10 });

  test('one request per left value, listing its options; the set answer decides each pair', async () => {
    const asked: number[][] = [];
    const result = await runClassify(
      s.pairs,
      'right',
      s.truth.map(() => undefined),
      async (groups) =>
        groups.map((g) => {
          asked.push(g.options);
          return new Set(g.pairs.flatMap((p, i) => (s.truth[p] ? [i] : [])));
        }),
    );
    expect(result.stats.requests).toBe(50);
    expect(asked.every((options) => options.length === 8)).toBe(true);
    expect(result.answers).toEqual(s.truth);
  });

  test('known pairs are not listed, a value known in full is not asked, a failed request leaves its pairs to the pairwise question', async () => {
    const known = s.truth.map((t, p) => (s.pairs.leftOf[p] === 0 || p % 8 === 3 ? t : undefined));
    const result = await runClassify(s.pairs, 'right', known, async (groups) =>
      groups.map((g) => (g.value === 1 ? { error: 'timeout' } : new Set(g.pairs.flatMap((p, i) => (s.truth[p] ? [i] : []))))),
    );
    expect(result.stats.requests).toBe(49);
    expect(result.stats.failed).toBe(1);
    const ofValue1 = [...result.answers.keys()].filter((p) => s.pairs.leftOf[p] === 1);
    expect(ofValue1.filter((p) => result.answers[p] === undefined)).toHaveLength(7);
  });
});

describe('choosing a plan', () => {
  const counts: PairCounts = { pairs: 200_000, unknown: 200_000, left: 2000, right: 100, unknownLeft: 2000, unknownRight: 100, rowPairs: 200_000 };

  test('exact unless asked: a nested loop; classify only with a small side', () => {
    expect(choosePlan(counts, 'exact').kind).toBe('nested-loop');
    expect(choosePlan(counts, 'classify').kind).toBe('nested-loop');
    expect(choosePlan({ ...counts, right: 8, unknownRight: 8, pairs: 16_000, unknown: 16_000 }, 'classify')).toMatchObject({
      kind: 'classify',
      optionsSide: 'right',
    });
    expect(choosePlan({ ...counts, left: 8, right: 900 }, 'classify')).toMatchObject({ kind: 'classify', optionsSide: 'left' });
    expect(choosePlan(counts, { recall: 0.95, confidence: 0.9 }).kind).toBe('block');
  });

  test('what each would cost, for EXPLAIN', () => {
    const costs = planCosts(counts);
    expect(costs.nestedLoop).toBe(200_000);
    expect(costs.classify).toBeNull();
    expect(costs.block.about).toBeLessThan(20_000);
    expect(costs.block.max).toBe(200_000);
    expect(planCosts({ ...counts, right: 8, unknownRight: 8, pairs: 16_000, unknown: 16_000, rowPairs: 16_000 }).classify).toBe(2000);
  });
});
