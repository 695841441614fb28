import type { OracleAnswer } from '../cascade';

/**
 * The vocabulary of the join planner (docs/semantic-joins.md). A join's pairs are the distinct
 * argument lists its condition is asked about once the other conditions apply; each stands for
 * `weight` pairs of rows. Left and right are the two sides, by position in the condition.
 */
export interface JoinPairs {
  /** Index of each pair's left value and right value (into `left` and `right`). */
  leftOf: Int32Array;
  rightOf: Int32Array;
  /** Row pairs each stands for (≥ 1). */
  weight: Float64Array;
  left: readonly string[];
  right: readonly string[];
}

export type PlanKind = 'nested-loop' | 'classify' | 'block';

/** Why blocking asked every pair after all (each is the exact answer, never a silent miss). */
export type BlockFallback =
  /** Too few pairs for a sample to save anything. */
  | 'too-few-pairs'
  /** The sample the target needs would cost about as much as every pair. */
  | 'sample-too-large'
  /** The candidates hold no match, so no share of the matches can be certified. */
  | 'no-match-in-candidates'
  /** The sample found matches the candidates miss and growing k would reach most pairs: the proxy is not useful. */
  | 'proxy-not-useful';

export interface BlockOptions {
  recall: number;
  /** 1 − δ: the recall target holds with at least this probability. */
  confidence: number;
  seed: number;
  /** Right values kept per left value at first (the proxy's top k). */
  k?: number;
  /** Pairs at or above this similarity are kept too (at most k per left value of them, the most similar). */
  floor?: number;
  /** Fewer pairs than this: ask every pair. */
  minPairs?: number;
}

export const BLOCK_DEFAULTS = {
  k: 2,
  floor: 0.75,
  minPairs: 1_000,
  /** Sampled misses the first sample size allows (more are absorbed by growing k). */
  allowedMisses: 2,
  /** Growing k to cover more than this share of the pairs asks every pair instead. */
  fullShare: 0.6,
  rounds: 4,
  maxDraws: 200_000,
} as const;

/** Answers the model (the pairwise question) for pairs by index; row errors as OracleRowError. */
export type PairOracle = (pairs: readonly number[]) => Promise<OracleAnswer[]>;

export interface BlockStats {
  pairs: number;
  /** Row pairs in all (the population the target is over). */
  rowPairs: number;
  /** Pairs whose answers were known before (cache), and those this plan asked. */
  known: number;
  asked: number;
  /** Pairs asked as candidates, and distinct pairs asked for the sample (beyond the candidates). */
  candidates: number;
  sampled: number;
  sampleDraws: number;
  /** k the candidates started with and ended with; the smallest k that passed the test (null: none). */
  k: { first: number; last: number; certified: number | null };
  /** Lower confidence limit on recall at the certified k (null when every pair was asked). */
  recallBound: number | null;
  fallback: BlockFallback | null;
  /** Matches found (row pairs), and how many of them the sample found outside the candidates. */
  matches: number;
}

export interface BlockResult {
  /** Per pair: its answer when known or asked, undefined when the plan did not ask (not a match, for this query). */
  answers: (OracleAnswer | undefined)[];
  stats: BlockStats;
}
