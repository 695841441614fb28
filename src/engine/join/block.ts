import { cpUpper, isRowError, rowDrawer, type OracleAnswer } from '../cascade';
import { BLOCK_DEFAULTS, type BlockFallback, type BlockOptions, type BlockResult, type JoinPairs, type PairOracle } from './types';

/**
 * Block, then verify (docs/semantic-joins.md): the model is asked about the candidate pairs (each left
 * value's top k right values by the proxy's similarity, and every pair above a floor) and about a
 * seeded uniform sample of the other pairs; the sample bounds the matches outside the candidates, so
 * the recall target is certified, k grows, or every pair is asked. Pairs it did not ask are not
 * matches for this query.
 *
 * The test, at k: with D_k the candidates of k and the pairs known before, P_k the matches in D_k, F_k
 * the failed calls in D_k's candidates, and x_k the sampled draws outside D_k that are matches or
 * failed, k passes when F_k + W·u(x_k) ≤ P_k·(1 − R)/R, where W is the row pairs not known before and
 * u the exact one-sided Clopper–Pearson upper limit at level δ on the share of them that are misses
 * (src/engine/cascade/clopper-pearson.ts). The smallest passing k is certified. Candidates only grow
 * with k, so P_k grows and x_k shrinks: if any k below the largest k whose recall is under target
 * passes, that one passes too, which happens with probability at most δ. So no correction is needed
 * for trying every k, nor for choosing how far to grow from the sample (the cascade's recall scan
 * rests on the same argument). A failed call counts against the target, as in cascades.
 */
export async function runBlocking(
  input: { pairs: JoinPairs; similarity: Float64Array; rank: Int32Array; known: readonly (OracleAnswer | undefined)[] },
  oracle: PairOracle,
  options: BlockOptions,
): Promise<BlockResult> {
  const o = { ...BLOCK_DEFAULTS, ...definedOnly(options) };
  const { pairs, similarity, rank } = input;
  const count = pairs.leftOf.length;
  const answers = input.known.slice();
  const unknown = [...answers.keys()].filter((p) => answers[p] === undefined);
  let asked = 0;
  let candidates = 0;
  const ask = async (wanted: readonly number[]) => {
    const fresh = [...new Set(wanted)].filter((p) => answers[p] === undefined);
    if (fresh.length === 0) return;
    const got = await oracle(fresh);
    fresh.forEach((p, i) => (answers[p] = got[i]));
    asked += fresh.length;
  };
  const maxRank = rank.reduce((m, r) => Math.max(m, r), 0);
  const entry = entryRanks(rank, similarity, o.floor, Math.min(o.k, maxRank) * pairs.left.length);
  const inCandidates = (p: number, k: number) => (entry[p] as number) <= k;
  const weightOf = (p: number) => pairs.weight[p] as number;
  const rowPairs = sum([...answers.keys()], weightOf);
  const stats = {
    pairs: count, rowPairs, known: count - unknown.length, asked: 0, candidates: 0, sampled: 0, sampleDraws: 0,
    k: { first: Math.min(o.k, maxRank), last: Math.min(o.k, maxRank), certified: null as number | null }, recallBound: null as number | null, fallback: null as BlockFallback | null, matches: 0,
  };
  const finish = (): BlockResult => {
    stats.asked = asked;
    stats.candidates = candidates;
    stats.matches = sum([...answers.keys()].filter((p) => answers[p] === true), weightOf);
    return { answers, stats };
  };
  const askEverything = async (reason: BlockFallback | null) => {
    stats.fallback = reason;
    await ask(unknown);
    return finish();
  };
  if (unknown.length === 0) return finish();
  if (count < o.minPairs) return askEverything('too-few-pairs');

  let k = stats.k.first;
  const candidatesOf = (kk: number) => unknown.filter((p) => inCandidates(p, kk));
  await ask(candidatesOf(k));
  candidates = asked;
  if (unknown.every((p) => answers[p] !== undefined)) return finish();

  const known = new Set(input.known.flatMap((a, p) => (a === undefined ? [] : [p])));
  const alpha = 1 - options.confidence;
  const share = (1 - options.recall) / options.recall;
  const population = sum(unknown, weightOf);
  // Matches (or failures) in D_k for every k at once: by the smallest k whose D_k holds the pair, cumulated.
  const byRank = (pick: (a: OracleAnswer) => boolean) => {
    const at = new Float64Array(maxRank + 2);
    answers.forEach((a, p) => {
      if (a === undefined || !pick(a)) return;
      const r = known.has(p) ? 0 : (entry[p] as number);
      at[r] = (at[r] as number) + weightOf(p);
    });
    for (let r = 1; r < at.length; r++) at[r] = (at[r] as number) + (at[r - 1] as number);
    return (kk: number) => at[Math.min(kk, maxRank + 1)] as number;
  };
  const allowed0 = byRank((a) => a === true)(k) * share;
  if (allowed0 <= 0) return askEverything('no-match-in-candidates');
  const draws = sampleSize(population, allowed0, alpha, o.allowedMisses, o.maxDraws);
  const outside = unknown.filter((p) => !inCandidates(p, k));
  const drawsOutside = draws === null ? 0 : draws * (sum(outside, weightOf) / population);
  if (draws === null || asked + expectedDistinct(drawsOutside, outside.length) >= unknown.length * o.fullShare) return askEverything('sample-too-large');
  const sample = weightedDraws(unknown, weightOf, population, draws, options.seed);
  const before = asked;
  await ask(sample);
  stats.sampled = asked - before;
  stats.sampleDraws = sample.length;

  for (let round = 0; round < o.rounds; round++) {
    const matches = byRank((a) => a === true);
    const failures = byRank((a) => isRowError(a));
    // Sampled draws that are misses outside D_k, per entry rank (a draw of entry rank r is outside D_k for k < r).
    const missAt = new Float64Array(maxRank + 2);
    for (const p of sample) if (answers[p] === true || (answers[p] !== undefined && isRowError(answers[p] as OracleAnswer))) missAt[entry[p] as number] = (missAt[entry[p] as number] as number) + 1;
    const misses = (kk: number) => {
      let x = 0;
      for (let r = kk + 1; r < missAt.length; r++) x += missAt[r] as number;
      return x;
    };
    const bound = (kk: number) => population * cpUpper(misses(kk), draws, alpha);
    const passes = (kk: number, matchesAt: number) => failures(kk) + bound(kk) <= matchesAt * share;
    for (let kk = 1; kk <= k; kk++) {
      if (!passes(kk, matches(kk))) continue;
      stats.k.certified = kk;
      stats.recallBound = matches(kk) / (matches(kk) + failures(kk) + bound(kk));
      stats.k.last = k;
      return finish();
    }
    // Grow to the smallest k the sample would let pass, its matches projected from the sampled ones
    // between k and it (each draw stands for W/n row pairs). Only where to grow comes from the sample;
    // whether a k passes is the exact test above, once its candidates are asked.
    const sampledAt = new Float64Array(maxRank + 2);
    for (const p of sample) if (answers[p] === true) sampledAt[entry[p] as number] = (sampledAt[entry[p] as number] as number) + 1;
    let next: number | undefined;
    let projected = matches(k);
    for (let kk = k + 1; kk <= maxRank && next === undefined; kk++) {
      projected += ((sampledAt[kk] as number) * population) / draws;
      if (passes(kk, projected)) next = kk;
    }
    if (next === undefined || candidatesOf(next).length + asked >= count * o.fullShare) return askEverything('proxy-not-useful');
    k = next;
    stats.k.last = k;
    const grown = asked;
    await ask(candidatesOf(k));
    candidates += asked - grown;
  }
  return askEverything('proxy-not-useful');
}

/**
 * Per pair, the smallest k whose candidates hold it: 0 for a pair above the floor (the `cap` most
 * similar of them at most, so a proxy that scores everything high cannot make every pair a
 * candidate), else its rank among its left value's right values.
 */
function entryRanks(rank: Int32Array, similarity: Float64Array, floor: number, cap: number): Int32Array {
  const above = [...similarity.keys()].filter((p) => (similarity[p] as number) >= floor).sort((a, b) => (similarity[b] as number) - (similarity[a] as number)).slice(0, cap);
  const entry = Int32Array.from(rank);
  for (const p of above) entry[p] = 0;
  return entry;
}

/**
 * The fewest draws with which `allowedMisses` sampled misses still pass: population × u(x, n, α) ≤
 * allowed. Null when more than `maxDraws` would be needed.
 */
export function sampleSize(population: number, allowed: number, alpha: number, allowedMisses: number, maxDraws: number): number | null {
  const fits = (n: number) => population * cpUpper(allowedMisses, n, alpha) <= allowed;
  if (!fits(maxDraws)) return null;
  let lo = allowedMisses + 1;
  let hi = maxDraws;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Expected distinct items hit by `draws` uniform draws over `items` (with replacement). */
const expectedDistinct = (draws: number, items: number) => (items <= 0 ? 0 : items * (1 - (1 - 1 / items) ** draws));

/** `draws` pairs drawn with replacement, each with probability proportional to its weight (uniform over row pairs). */
function weightedDraws(population: readonly number[], weightOf: (p: number) => number, total: number, draws: number, seed: number): number[] {
  const ends = new Float64Array(population.length);
  let acc = 0;
  population.forEach((p, i) => (ends[i] = acc += weightOf(p)));
  return rowDrawer(seed)
    .draw(total, draws)
    .map((row) => {
      let lo = 0;
      let hi = ends.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((ends[mid] as number) > row) hi = mid;
        else lo = mid + 1;
      }
      return population[lo] as number;
    });
}

function sum(items: readonly number[], f: (p: number) => number): number {
  let s = 0;
  for (const p of items) s += f(p);
  return s;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
