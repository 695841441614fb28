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
  const stats = startStats(count, rowPairs, count - unknown.length, Math.min(o.k, maxRank));
  const finish = (): BlockResult => {
    const matched = [...answers.keys()].filter((p) => answers[p] === true);
    Object.assign(stats, { asked, candidates, matches: sum(matched, weightOf) });
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
  const ranks: RankedPairs = { answers, known, entry, weightOf, maxRank };
  const allowed0 = byRank(ranks, (a) => a === true)(k) * share;
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
    const test = recallTest(ranks, { sample, draws, population, alpha, share });
    const kk = smallestPassing(test, k);
    if (kk !== undefined) {
      stats.k.certified = kk;
      stats.recallBound = test.matches(kk) / (test.matches(kk) + test.failures(kk) + test.bound(kk));
      stats.k.last = k;
      return finish();
    }
    const next = growTo(test, k, maxRank);
    if (next === undefined || candidatesOf(next).length + asked >= count * o.fullShare) return askEverything('proxy-not-useful');
    k = next;
    stats.k.last = k;
    candidates -= asked;
    await ask(candidatesOf(k));
    candidates += asked;
  }
  return askEverything('proxy-not-useful');
}

/** The smallest k up to `k` whose candidates pass the recall test, if any. */
function smallestPassing(test: ReturnType<typeof recallTest>, k: number): number | undefined {
  for (let kk = 1; kk <= k; kk++) if (test.passes(kk, test.matches(kk))) return kk;
  return undefined;
}

function startStats(pairs: number, rowPairs: number, known: number, k: number): BlockResult['stats'] {
  return {
    pairs,
    rowPairs,
    known,
    asked: 0,
    candidates: 0,
    sampled: 0,
    sampleDraws: 0,
    k: { first: k, last: k, certified: null },
    recallBound: null,
    fallback: null,
    matches: 0,
  };
}

/** The pairs by the smallest k whose candidates hold them, and what is known of them so far. */
interface RankedPairs {
  answers: readonly (OracleAnswer | undefined)[];
  /** Pairs known before the plan ran: in every D_k. */
  known: ReadonlySet<number>;
  entry: Int32Array;
  weightOf(p: number): number;
  maxRank: number;
}

/** The row pairs in D_k whose answer `pick`s, for every k at once: by entry rank, cumulated. */
function byRank(r: RankedPairs, pick: (a: OracleAnswer) => boolean): (k: number) => number {
  const at = new Float64Array(r.maxRank + 2);
  r.answers.forEach((a, p) => {
    if (a === undefined || !pick(a)) return;
    const rank = r.known.has(p) ? 0 : (r.entry[p] as number);
    at[rank] = (at[rank] as number) + r.weightOf(p);
  });
  for (let i = 1; i < at.length; i++) at[i] = (at[i] as number) + (at[i - 1] as number);
  return (k) => at[Math.min(k, r.maxRank + 1)] as number;
}

/** Sampled draws whose answer `pick`s, per entry rank (a draw of entry rank r is outside D_k for k < r). */
function sampledByRank(r: RankedPairs, sample: readonly number[], pick: (a: OracleAnswer) => boolean): Float64Array {
  const at = new Float64Array(r.maxRank + 2);
  for (const p of sample) {
    const a = r.answers[p];
    if (a !== undefined && pick(a)) at[r.entry[p] as number] = (at[r.entry[p] as number] as number) + 1;
  }
  return at;
}

interface RecallTest {
  matches(k: number): number;
  failures(k: number): number;
  /** The upper limit on the row pairs outside D_k that are misses. */
  bound(k: number): number;
  /** The test at k, with `matchesAt` the matches in D_k (measured, or projected when growing). */
  passes(k: number, matchesAt: number): boolean;
  /** Sampled matches per entry rank: each stands for population/draws row pairs. */
  sampledMatches: Float64Array;
  perDraw: number;
}

/** The test of runBlocking's comment, on the answers known now. */
function recallTest(r: RankedPairs, s: { sample: readonly number[]; draws: number; population: number; alpha: number; share: number }): RecallTest {
  const matches = byRank(r, (a) => a === true);
  const failures = byRank(r, (a) => isRowError(a));
  const missAt = sampledByRank(r, s.sample, (a) => a === true || isRowError(a));
  const misses = (k: number) => {
    let x = 0;
    for (let i = k + 1; i < missAt.length; i++) x += missAt[i] as number;
    return x;
  };
  const bound = (k: number) => s.population * cpUpper(misses(k), s.draws, s.alpha);
  return {
    matches,
    failures,
    bound,
    passes: (k, matchesAt) => failures(k) + bound(k) <= matchesAt * s.share,
    sampledMatches: sampledByRank(r, s.sample, (a) => a === true),
    perDraw: s.population / s.draws,
  };
}

/**
 * The smallest k above `k` the sample would let pass, its matches projected from the sampled ones
 * between k and it. Only where to grow comes from the sample; whether a k passes is the exact test,
 * once its candidates are asked.
 */
function growTo(test: RecallTest, k: number, maxRank: number): number | undefined {
  let projected = test.matches(k);
  for (let kk = k + 1; kk <= maxRank; kk++) {
    projected += (test.sampledMatches[kk] as number) * test.perDraw;
    if (test.passes(kk, projected)) return kk;
  }
  return undefined;
}

/**
 * Per pair, the smallest k whose candidates hold it: 0 for a pair above the floor (the `cap` most
 * similar of them at most, so a proxy that scores everything high cannot make every pair a
 * candidate), else its rank among its left value's right values.
 */
function entryRanks(rank: Int32Array, similarity: Float64Array, floor: number, cap: number): Int32Array {
  const above = [...similarity.keys()]
    .filter((p) => (similarity[p] as number) >= floor)
    .sort((a, b) => (similarity[b] as number) - (similarity[a] as number))
    .slice(0, cap);
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
