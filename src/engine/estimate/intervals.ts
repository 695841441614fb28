/**
 * Confidence intervals for running estimates over a uniform random sample drawn without replacement
 * from a finite population of inputs (the order src/engine/estimate/sample-order.ts gives).
 *
 * - A proportion: Wilson's score interval (Wilson, JASA 1927), continuity-corrected, whose coverage stays near nominal
 *   close to 0 and 1 where the normal (Wald) interval collapses, with the finite-population
 *   correction (N − n)/(N − 1) applied to the variance (so z² becomes z²·fpc): sampling without
 *   replacement, the interval shrinks to the true share once every input is answered.
 * - A mean (a score): the t interval with the same correction, only from 30 answers on; with fewer,
 *   the central limit theorem is not a safe bet for a skewed score, and no interval is given.
 *
 * tests/unit/engine/estimate/intervals.test.ts measures coverage over 1,000 seeded samples each.
 * The normal and t quantiles are written here (Acklam's rational approximation, relative error
 * below 1.2e-9, and the Cornish–Fisher expansion of t in 1/df): no dependency of ours computes
 * them, and a statistics package for two functions would be a heavier bundle in the DuckDB worker.
 */

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** (high − low) / 2 where the interval is symmetric; the larger side otherwise. */
  halfWidth: number;
}

/** Answers below which a mean has no interval (the normal approximation is not trusted). */
export const MIN_MEAN_ANSWERS = 30;

/** The finite-population correction of a variance: (N − n)/(N − 1), 0 once the sample is the population. */
export function fpc(n: number, population: number): number {
  if (population <= 1 || n >= population) return 0;
  return (population - n) / (population - 1);
}

/**
 * Wilson's interval with Yates' continuity correction (Newcombe's method 4, Statistics in Medicine
 * 1998) for `hits` of `n` drawn without replacement from `population`, at `confidence`. Without the
 * correction, Wilson's coverage dips below nominal at some n (93.8% at share 0.5 and n 100 in our
 * simulation); with it, it stays at or above 95% in every case the unit test draws. Each bound is
 * Wilson's at the share moved half an answer outwards.
 */
export function wilsonInterval(hits: number, n: number, population: number, confidence: number): Interval {
  if (n <= 0) return { estimate: Number.NaN, low: 0, high: 1, halfWidth: 0.5 };
  const p = hits / n;
  if (n >= population) return { estimate: p, low: p, high: p, halfWidth: 0 };
  const z2 = normalQuantile(1 - (1 - confidence) / 2) ** 2 * fpc(n, population);
  const shift = 1 / (2 * n);
  const low = hits === 0 ? 0 : Math.max(0, wilsonBound(p - shift, n, z2, -1));
  const high = hits === n ? 1 : Math.min(1, wilsonBound(p + shift, n, z2, 1));
  return { estimate: p, low, high, halfWidth: Math.max(p - low, high - p) };
}

/** One bound of Wilson's score interval at share `p` (clamped to [0, 1]), `side` −1 for the lower. */
function wilsonBound(p: number, n: number, z2: number, side: -1 | 1): number {
  const q = Math.min(1, Math.max(0, p));
  const denom = 1 + z2 / n;
  const centre = (q + z2 / (2 * n)) / denom;
  return centre + (side * Math.sqrt(z2) * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n))) / denom;
}

/**
 * The half-width a share's interval could have at any share inside [low, high]: the stopping rule of
 * `-- @ approximate` checks this, not the interval's own width. Stopping at the first moment the
 * own width is within E favours samples whose share strayed from ½ (they narrow sooner), and so
 * the intervals a run stops with missed the truth more often than stated: 36 of 40 seeds covered
 * at share 0.34 in bench case approximate. Bounded this way, when the run stops no longer depends
 * on which way its share strayed.
 */
export function shareHalfWidthBound(low: number, high: number, n: number, population: number, confidence: number): number {
  const worst = low <= 0.5 && 0.5 <= high ? 0.5 : Math.abs(low - 0.5) < Math.abs(high - 0.5) ? low : high;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return z * Math.sqrt((worst * (1 - worst) * fpc(n, population)) / n) + 1 / (2 * n);
}

/** The t interval of a mean of `n` values (sum and sum of squares) drawn without replacement; null below MIN_MEAN_ANSWERS. */
export function meanInterval(sum: number, sumSquares: number, n: number, population: number, confidence: number): Interval | null {
  if (n < MIN_MEAN_ANSWERS) return null;
  const mean = sum / n;
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt((variance / n) * (1 - n / population));
  return { estimate: mean, low: mean - half, high: mean + half, halfWidth: half };
}

/** The standard normal quantile (Acklam's algorithm). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: readonly number[], x: number) => k.reduce((acc, coef) => acc * x + coef, 0);
  const tail = 0.02425;
  if (p < tail || p > 1 - tail) {
    const q = Math.sqrt(-2 * Math.log(p < tail ? p : 1 - p));
    const x = poly(c, q) / (poly(d, q) * q + 1);
    return p < tail ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Student's t quantile for df ≥ 29 or so, by the Cornish–Fisher expansion (error below 1e-4 there). */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}
