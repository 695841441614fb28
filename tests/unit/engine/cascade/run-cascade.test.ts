import { describe, expect, it } from 'vitest';
import { band, runCascade, type CascadeOptions, type Oracle } from '../../../../src/engine/cascade';
import { countingOracle, quality, synthetic, type ProxyKind } from './synthetic';

const TARGETS = { recall: 0.95, precision: 0.95 };
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

/** Scores from a list, asked for lazily: every row scored, in the order asked. */
function countingProxy(scores: readonly number[]) {
  const scored: number[] = [];
  return { rows: scores.length, scored, score: async (rows: readonly number[]) => (scored.push(...rows), rows.map((r) => scores[r] as number)) };
}

/** Runs the cascade on 40 datasets and seeds; returns calls without ÷ calls with, and the share of runs meeting both targets. */
async function overSeeds(data: { rows: number; positiveRate: number; proxy: ProxyKind }, options: Omit<CascadeOptions, 'seed'>) {
  let calls = 0;
  let met = 0;
  for (const seed of SEEDS) {
    const { scores, truth } = synthetic({ ...data, seed: 1000 + seed });
    const { oracle } = countingOracle(truth);
    const result = await runCascade(scores, oracle, { ...options, seed });
    calls += result.stats.calls;
    const q = quality(result.decisions, truth);
    const { recall = 0, precision = 0 } = options.targets;
    if (q.recall >= recall && q.precision >= precision) met++;
  }
  return { callReduction: (data.rows * SEEDS.length) / calls, targetsMetFraction: met / SEEDS.length };
}

describe('runCascade on synthetic data', () => {
  it('with a strong proxy makes at least 3× fewer calls and meets both targets in at least 95% of 40 seeds', async () => {
    const outcome = await overSeeds({ rows: 5000, positiveRate: 0.3, proxy: { separation: 4 } }, { targets: TARGETS });
    expect(outcome.callReduction).toBeGreaterThanOrEqual(3);
    expect(outcome.targetsMetFraction).toBeGreaterThanOrEqual(0.95);
  });

  it('on clear rows mixed with ambiguous ones (90% clear) does the same at 0.9 with δ = 0.1', async () => {
    const outcome = await overSeeds({ rows: 5000, positiveRate: 0.3, proxy: { clearShare: 0.9 } }, { targets: { recall: 0.9, precision: 0.9 }, delta: 0.1 });
    expect(outcome.callReduction).toBeGreaterThanOrEqual(3);
    expect(outcome.targetsMetFraction).toBeGreaterThanOrEqual(0.95);
  });

  it('with a random proxy calls every row and returns the model’s answers, or at worst still meets the targets', async () => {
    // The sample shows random scores as useful about once in a thousand runs (z ≥ 3.09); the tests
    // then still hold the targets, so a miss is never silent.
    let fellBack = 0;
    for (const positiveRate of [0.3, 0.9]) {
      for (const seed of SEEDS) {
        const { scores, truth } = synthetic({ rows: 3000, positiveRate, proxy: 'random', seed });
        const { oracle } = countingOracle(truth);
        const { decisions, stats } = await runCascade(scores, oracle, { targets: TARGETS, seed });
        const q = quality(decisions, truth);
        expect(q.recall).toBeGreaterThanOrEqual(TARGETS.recall);
        expect(q.precision).toBeGreaterThanOrEqual(TARGETS.precision);
        expect(stats.calls).toBeGreaterThanOrEqual(0.95 * 3000);
        if (stats.fallback === 'useless-proxy') {
          fellBack++;
          expect(stats.calls).toBe(3000);
          expect(decisions.map((d) => d.answer)).toEqual(truth);
        }
      }
    }
    expect(fellBack).toBeGreaterThanOrEqual(0.95 * 2 * SEEDS.length);
  });

  it('stops after the pilot, scoring no row, when a rare predicate leaves too few positives to certify anything', async () => {
    const { scores, truth } = synthetic({ rows: 2000, positiveRate: 0.02, proxy: { separation: 4 }, seed: 7 });
    const { oracle } = countingOracle(truth);
    const proxy = countingProxy(scores);
    const { decisions, stats } = await runCascade(proxy, oracle, { targets: TARGETS, seed: 7 });
    expect(stats.fallback).toBe('rare-positives');
    expect(stats.pilotDraws).toBe(100);
    expect(stats.calls).toBe(2000);
    expect(stats.scored).toBe(0);
    expect(proxy.scored).toEqual([]);
    expect(decisions.map((d) => d.answer)).toEqual(truth);
  });

  it("stops after the pilot, scoring only the pilot's rows, when the pilot shows a useless proxy", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { scores, truth } = synthetic({ rows: 5000, positiveRate: 0.3, proxy: 'random', seed });
      const proxy = countingProxy(scores);
      const { decisions, stats } = await runCascade(proxy, countingOracle(truth).oracle, { targets: TARGETS, seed });
      expect(stats.fallback).toBe('useless-proxy');
      expect(stats.sampleDraws).toBe(0);
      expect(stats.scored).toBeLessThanOrEqual(100);
      expect(proxy.scored.length).toBe(stats.scored);
      expect(decisions.map((d) => d.answer)).toEqual(truth);
    }
  });

  it('scores every row, once, when the pilot gives no reason to stop', async () => {
    const { scores, truth } = synthetic({ rows: 5000, positiveRate: 0.3, proxy: { separation: 4 }, seed: 5 });
    const proxy = countingProxy(scores);
    const { stats } = await runCascade(proxy, countingOracle(truth).oracle, { targets: TARGETS, seed: 5 });
    expect(stats.fallback).toBeNull();
    expect(stats.scored).toBe(5000);
    expect(new Set(proxy.scored).size).toBe(proxy.scored.length);
  });

  it('calls every row, without a sample, when the targets are out of reach', async () => {
    const { scores, truth } = synthetic({ rows: 5000, positiveRate: 0.3, proxy: { separation: 4 }, seed: 3 });
    const { oracle, asked } = countingOracle(truth);
    const { decisions, stats, plan } = await runCascade(scores, oracle, { targets: { recall: 0.999, precision: 0.999 } });
    expect(plan.fallback).toBe('targets-unreachable');
    expect(stats).toMatchObject({ fallback: 'targets-unreachable', calls: 5000, sampleDraws: 0, decidedBy: { oracle: 5000, sample: 0 } });
    expect(asked).toHaveLength(5000);
    expect(decisions.map((d) => d.answer)).toEqual(truth);
  });
});

describe('runCascade', () => {
  const data = synthetic({ rows: 4000, positiveRate: 0.4, proxy: { separation: 4 }, seed: 11 });

  it('is repeatable for a seed, and draws another sample for another seed', async () => {
    const run = (seed: number) => runCascade(data.scores, countingOracle(data.truth).oracle, { targets: TARGETS, seed });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    expect(b).toEqual(a);
    expect(c.decisions.map((d) => d.source)).not.toEqual(a.decisions.map((d) => d.source));
  });

  it('asks each row at most once, counts its calls and decides every row by one stage', async () => {
    const { oracle, asked } = countingOracle(data.truth);
    const { decisions, stats } = await runCascade(data.scores, oracle, { targets: TARGETS, seed: 2 });
    expect(new Set(asked).size).toBe(asked.length);
    expect(stats.calls).toBe(asked.length);
    expect(stats.calls).toBeLessThan(4000);
    expect(stats.decidedBy.sample + stats.decidedBy.oracle).toBe(stats.calls);
    expect(Object.values(stats.decidedBy).reduce((a, b) => a + b, 0)).toBe(4000);
    const thresholds = stats.thresholds!;
    decisions.forEach((d, row) => {
      const score = data.scores[row] as number;
      if (d.source === 'proxy-accept') expect([d.answer, band(score, thresholds)]).toEqual([true, 'accept']);
      if (d.source === 'proxy-reject') expect([d.answer, band(score, thresholds)]).toEqual([false, 'reject']);
      if (d.source === 'sample' || d.source === 'oracle') expect(d.answer).toBe(data.truth[row]);
    });
  });

  it('hands each stage’s rows to the oracle together: pilot, sample, then the band the model decides', async () => {
    const waves: number[][] = [];
    let open: number[] | null = null;
    const oracle: Oracle = async (row) => {
      if (open === null) {
        const wave: number[] = [];
        open = wave;
        waves.push(wave);
        queueMicrotask(() => (open = null));
      }
      open.push(row);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return data.truth[row] as boolean;
    };
    const { stats } = await runCascade(data.scores, oracle, { targets: TARGETS, seed: 4 });
    expect(waves).toHaveLength(3);
    expect(waves.reduce((n, w) => n + w.length, 0)).toBe(stats.calls);
    expect(waves[2]).toHaveLength(stats.decidedBy.oracle);
  });

  it('keeps the model’s failures as the answers of the rows it asked about, and counts them against the targets', async () => {
    // One row in 23 fails: as missed positives and as negatives they use up what both tests allow,
    // so nothing is decided by the proxy (a cost, never a silent miss).
    const fails = (row: number) => row % 23 === 0;
    const { decisions, stats } = await runCascade(data.scores, countingOracle(data.truth, fails).oracle, { targets: TARGETS, seed: 9, positiveRate: 0.4 });
    expect(decisions.filter((d, row) => fails(row) && d.source === 'sample').length).toBeGreaterThan(0);
    expect(stats).toMatchObject({ fallback: 'nothing-certified', calls: 4000 });
    decisions.forEach((d, row) => expect(d.answer).toEqual(fails(row) ? { error: 'timeout' } : data.truth[row]));
  });

  it('counts a failed draw as a positive the reject band missed', async () => {
    const fails = (row: number) => row % 300 === 0;
    const { decisions, stats } = await runCascade(data.scores, countingOracle(data.truth, fails).oracle, { targets: TARGETS, seed: 10, positiveRate: 0.4 });
    const failedRows = decisions.filter((d, row) => fails(row) && d.source === 'sample').length;
    expect(failedRows).toBe(1);
    expect(stats.thresholds?.recall).toMatchObject({ certified: true });
    expect(stats.thresholds?.recall?.missed).toBeGreaterThanOrEqual(failedRows);
    expect(stats.decidedBy['proxy-reject']).toBeGreaterThan(0);
  });

  it('passes on a rejected oracle call (a cancellation) instead of deciding rows', async () => {
    const oracle: Oracle = async (row) => {
      if (row % 2 === 0) throw new Error('cancelled');
      return true;
    };
    await expect(runCascade(data.scores, oracle, { targets: TARGETS })).rejects.toThrow('cancelled');
  });

  it('refuses rows without a proxy score', async () => {
    const scores = [...data.scores];
    scores[17] = Number.NaN;
    await expect(runCascade(scores, countingOracle(data.truth).oracle, { targets: TARGETS })).rejects.toThrow(RangeError);
  });
});
