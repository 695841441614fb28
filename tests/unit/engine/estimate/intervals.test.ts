import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { meanInterval, normalQuantile, tQuantile, wilsonInterval } from '../../../../src/engine/estimate/intervals';
import { sampleOrder } from '../../../../src/engine/estimate/sample-order';

const SIMULATIONS = 1_000;

/** A population of `size` 0/1 values with exactly round(share × size) ones. */
function proportionPopulation(size: number, share: number): number[] {
  const ones = Math.round(share * size);
  return Array.from({ length: size }, (_, i) => (i < ones ? 1 : 0));
}

/** Skewed scores in [0, 1] (most near 0, a long tail): the shape a criterion few rows meet gives. */
function scorePopulation(size: number, seed: number): number[] {
  const rng = xoroshiro128plus(seed);
  return Array.from({ length: size }, () => (uniformInt(rng, 0, 999) / 1000) ** 3);
}

/** Share of `SIMULATIONS` seeded samples of `n` (without replacement) whose interval covers the population's truth. */
function coverage(population: readonly number[], n: number, interval: (sample: readonly number[]) => { low: number; high: number } | null): number {
  const truth = population.reduce((a, b) => a + b, 0) / population.length;
  let covered = 0;
  for (let seed = 1; seed <= SIMULATIONS; seed++) {
    const found = interval(sampleOrder(population, seed).slice(0, n));
    if (found && found.low <= truth && truth <= found.high) covered++;
  }
  return covered / SIMULATIONS;
}

const wilson = (size: number) => (sample: readonly number[]) =>
  wilsonInterval(
    sample.reduce((a, b) => a + b, 0),
    sample.length,
    size,
    0.95,
  );

describe('intervals: 95% coverage over 1,000 seeded samples without replacement', () => {
  it.each([
    ['near 0', 0.02, 300],
    ['near 0.5', 0.5, 100],
    ['near 1', 0.97, 200],
    ['near 0, small sample', 0.05, 40],
  ])('a proportion %s (share %f, n %i of 5,000) is covered at least 94 percent of the time', (_, share, n) => {
    const population = proportionPopulation(5_000, share);
    expect(coverage(population, n, wilson(population.length))).toBeGreaterThanOrEqual(0.94);
  });

  it('a proportion with a large sampling fraction (1,500 of 2,000) is still covered: the correction does not overshrink', () => {
    const population = proportionPopulation(2_000, 0.3);
    expect(coverage(population, 1_500, wilson(population.length))).toBeGreaterThanOrEqual(0.94);
  });

  it.each([[40], [200]])('a skewed score average from %i answers is covered at least 94 percent of the time', (n) => {
    const population = scorePopulation(5_000, 11);
    const mean = (sample: readonly number[]) =>
      meanInterval(
        sample.reduce((a, b) => a + b, 0),
        sample.reduce((a, b) => a + b * b, 0),
        sample.length,
        population.length,
        0.95,
      );
    expect(coverage(population, n, mean)).toBeGreaterThanOrEqual(0.94);
  });
});

describe('intervals: edges', () => {
  it('quantiles match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(tQuantile(0.975, 100)).toBeCloseTo(1.984, 3);
  });

  it('a sample that is the whole population has no width', () => {
    expect(wilsonInterval(37, 100, 100, 0.95)).toMatchObject({ estimate: 0.37, low: 0.37, high: 0.37, halfWidth: 0 });
    expect(meanInterval(40 * 0.5, 40 * 0.5, 40, 40, 0.95)?.halfWidth).toBe(0);
  });

  it('all positives still leave room below: Wilson does not collapse at 1 as the normal interval does', () => {
    const all = wilsonInterval(50, 50, 10_000, 0.95);
    expect(all.high).toBe(1);
    expect(all.low).toBeLessThan(0.95);
  });

  it('a mean from fewer than 30 answers has no interval, and no answer gives the widest proportion', () => {
    expect(meanInterval(10, 10, 29, 1000, 0.95)).toBeNull();
    expect(wilsonInterval(0, 0, 1000, 0.95)).toMatchObject({ low: 0, high: 1 });
  });
});
