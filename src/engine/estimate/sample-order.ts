import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded uniformly random order of `items` (Fisher–Yates over pure-rand's unbiased integer draws):
 * asked in this order, the answers settled so far are at every moment a simple random sample
 * without replacement of the inputs, which is what the intervals of intervals.ts assume. Seeded by
 * the statement, so a rerun asks in the same order.
 */
export function sampleOrder<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rng = xoroshiro128plus(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
