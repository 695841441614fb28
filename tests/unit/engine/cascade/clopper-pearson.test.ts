import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialTail, cpLower, cpUpper } from '../../../../src/engine/cascade';

/**
 * Reference limits from @stdlib/math-base-special-betaincinv 0.2.3 (a port of Boost's inverse
 * incomplete beta): upper = I⁻¹(1 − α; x + 1, n − x), lower = I⁻¹(α; x, n − x + 1). The first two are
 * the design notes' checks against scipy's beta.ppf (0.0981 and 0.1242).
 */
const UPPER: [x: number, n: number, alpha: number, limit: number][] = [
  [0, 29, 0.05, 0.0981446276772957],
  [3, 60, 0.05, 0.12418721047743611],
  [10, 100, 0.025, 0.17622259774002266],
  [0, 72, 0.025, 0.049944083705854674],
  [50, 1000, 0.01, 0.06840489369563102],
  [7, 2000, 0.05, 0.006563954853350077],
];
const LOWER: [x: number, n: number, alpha: number, limit: number][] = [
  [95, 100, 0.025, 0.8871650888945373],
  [29, 29, 0.05, 0.9018553723227043],
  [108, 108, 0.025, 0.9664204497813456],
  [500, 520, 0.05, 0.944600043218068],
];

describe('Clopper–Pearson limits', () => {
  it.each(UPPER)('upper limit for %i of %i at α=%f matches the inverse incomplete beta', (x, n, alpha, limit) => {
    expect(cpUpper(x, n, alpha)).toBeCloseTo(limit, 10);
  });

  it.each(LOWER)('lower limit for %i of %i at α=%f matches the inverse incomplete beta', (x, n, alpha, limit) => {
    expect(cpLower(x, n, alpha)).toBeCloseTo(limit, 10);
  });

  it('with no successes the upper limit is the closed form 1 − α^(1/n)', () => {
    for (const n of [1, 5, 29, 300, 4000]) expect(cpUpper(0, n, 0.05)).toBeCloseTo(1 - 0.05 ** (1 / n), 12);
  });

  it('each limit is where the observed tail has probability α', () => {
    for (const [x, n, alpha] of [
      [4, 40, 0.05],
      [17, 250, 0.025],
      [300, 1500, 0.01],
    ] as const) {
      expect(binomialCdf(x, n, cpUpper(x, n, alpha))).toBeCloseTo(alpha, 9);
      expect(binomialTail(x, n, cpLower(x, n, alpha))).toBeCloseTo(alpha, 9);
    }
  });

  it('covers the true proportion with probability at least 1 − α, summed exactly over outcomes', () => {
    const n = 40;
    const alpha = 0.05;
    for (const p of [0.02, 0.1, 0.37, 0.8, 0.95]) {
      let upperMisses = 0;
      let lowerMisses = 0;
      for (let x = 0; x <= n; x++) {
        const px = binomialCdf(x, n, p) - binomialCdf(x - 1, n, p);
        if (cpUpper(x, n, alpha) < p) upperMisses += px;
        if (cpLower(x, n, alpha) > p) lowerMisses += px;
      }
      expect(upperMisses).toBeLessThanOrEqual(alpha);
      expect(lowerMisses).toBeLessThanOrEqual(alpha);
    }
  });

  it('has the trivial limits when the data rule nothing out', () => {
    expect(cpUpper(0, 0, 0.05)).toBe(1);
    expect(cpUpper(12, 12, 0.05)).toBe(1);
    expect(cpLower(0, 12, 0.05)).toBe(0);
    expect(cpLower(0, 0, 0.05)).toBe(0);
  });

  it('splits the binomial distribution into two tails that add up to 1, also where terms underflow', () => {
    // ln(5000!) ≈ 37,592 holds only about 12 significant digits after the point, hence 10 here.
    for (const [x, n, p] of [
      [3, 10, 0.3],
      [0, 50, 0.9],
      [4000, 5000, 0.2],
      [1, 5000, 0.999],
    ] as const) {
      expect(binomialCdf(x, n, p) + binomialTail(x + 1, n, p)).toBeCloseTo(1, 10);
    }
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialTail(0, 10, 0.5)).toBe(1);
  });
});
