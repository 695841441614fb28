import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Seeded uniform draws of row indices with replacement. With replacement, draws are exactly
 * independent and uniform over the rows, which is what makes the binomial tests of thresholds.ts
 * exact; pure-rand's `uniformInt` rejects the top of the 32-bit range, so no row is favoured by a
 * modulo (a `Math.floor(random() * N)` draw is not exactly uniform either).
 */
export interface RowDrawer {
  /** `count` row indices in [0, rows), independent and uniform; successive calls continue the stream. */
  draw(rows: number, count: number): number[];
}

export function rowDrawer(seed: number): RowDrawer {
  const rng = xoroshiro128plus(seed);
  return {
    draw(rows, count) {
      if (rows <= 0) return [];
      return Array.from({ length: count }, () => uniformInt(rng, 0, rows - 1));
    },
  };
}
