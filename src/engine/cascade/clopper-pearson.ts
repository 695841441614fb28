/**
 * Exact binomial tails and one-sided Clopper–Pearson limits (Clopper & Pearson, Biometrika 1934).
 *
 * Written here rather than taken from npm: the exact library, stdlib's inverse incomplete beta
 * (@stdlib/math-base-special-betaincinv 0.2.3, a port of Boost's), installs 231 packages (27 MB)
 * for this one function; jStat 1.9.6 is one 73 KB CommonJS bundle without types that cannot be
 * tree-shaken out of the DuckDB worker, and its inverse is Newton's method on an approximation
 * (1e-9 off stdlib on our grid). What a cascade needs is small: the binomial CDF as a finite sum
 * of pmf terms in log space (relative error about 1e-12 for the n of a sample, a few thousand:
 * ln(n!) itself holds no more digits after the point),
 * and a bisection on p to invert it. tests/unit/engine/cascade checks both against stdlib's values.
 */

/** ln(k!) for k = 0.., grown on demand as sums of logs. */
let logFactorials = new Float64Array([0]);

function logFactorial(k: number): number {
  if (k >= logFactorials.length) {
    const grown = new Float64Array(Math.max(k + 1, logFactorials.length * 2));
    grown.set(logFactorials);
    for (let i = logFactorials.length; i < grown.length; i++) grown[i] = (grown[i - 1] as number) + Math.log(i);
    logFactorials = grown;
  }
  return logFactorials[k] as number;
}

/** Σ_{i=from..to} P(Bin(n, p) = i), summed in log space (log-sum-exp) so no term underflows early. */
function pmfSum(from: number, to: number, n: number, p: number): number {
  const lo = Math.max(0, from);
  const hi = Math.min(n, to);
  if (lo > hi) return 0;
  if (p <= 0) return lo === 0 ? 1 : 0;
  if (p >= 1) return hi === n ? 1 : 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const lnN = logFactorial(n);
  const terms = new Float64Array(hi - lo + 1);
  let max = -Infinity;
  for (let i = lo; i <= hi; i++) {
    const t = lnN - logFactorial(i) - logFactorial(n - i) + i * lp + (n - i) * lq;
    terms[i - lo] = t;
    if (t > max) max = t;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return Math.min(1, Math.exp(max) * sum);
}

/** P(Bin(n, p) ≤ x). */
export function binomialCdf(x: number, n: number, p: number): number {
  return x >= n ? 1 : pmfSum(0, x, n, p);
}

/** P(Bin(n, p) ≥ x). */
export function binomialTail(x: number, n: number, p: number): number {
  return x <= 0 ? 1 : pmfSum(x, n, n, p);
}

/** Bisection steps: the bracket [0, 1] shrinks below 1e-15, past what a double can tell apart near 1. */
const STEPS = 52;

/**
 * One-sided upper limit on a binomial proportion at level α: the p at which seeing x or fewer
 * successes in n has probability α (1 when n = 0 or x = n: nothing rules any p out).
 */
export function cpUpper(x: number, n: number, alpha: number): number {
  if (n <= 0 || x >= n) return 1;
  let lo = x / n;
  let hi = 1;
  for (let step = 0; step < STEPS; step++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(x, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** One-sided lower limit at level α, by symmetry: the failures' upper limit, from the other side. */
export function cpLower(x: number, n: number, alpha: number): number {
  if (n <= 0 || x <= 0) return 0;
  return 1 - cpUpper(n - x, n, alpha);
}
