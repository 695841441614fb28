import type { JoinOption } from '../../sql';
import { sampleSize } from './block';
import { CLASSIFY_MAX_OPTIONS } from './classify';
import { BLOCK_DEFAULTS, type PlanKind } from './types';

/**
 * Which plan a semantic join runs, and what each would cost (docs/semantic-joins.md). Exact by
 * default: classification asks another question than the pairwise operator, and blocking leaves
 * pairs unasked, so either runs only when a `join` annotation or setting asks for it.
 */

/** A join's pairs in numbers, before any call. */
export interface PairCounts {
  pairs: number;
  /** Pairs whose answers are not known yet (what the nested loop would call). */
  unknown: number;
  /** Distinct values on each side, and on each side among the unknown pairs. */
  left: number;
  right: number;
  unknownLeft: number;
  unknownRight: number;
  /** Row pairs the pairs stand for. */
  rowPairs: number;
}

export interface PlanChoice {
  kind: PlanKind;
  /** Why this plan, in words EXPLAIN shows. */
  reason: string;
  /** Classify: the side listed as options (the one with fewer values). */
  optionsSide?: 'left' | 'right';
}

export function choosePlan(counts: PairCounts, option: JoinOption): PlanChoice {
  if (option === 'exact') return { kind: 'nested-loop', reason: 'exact (no join annotation or setting): every pair is asked the pairwise question' };
  if (option === 'classify') {
    const optionsSide = counts.right <= counts.left ? 'right' : 'left';
    const small = Math.min(counts.left, counts.right);
    if (small > CLASSIFY_MAX_OPTIONS)
      return {
        kind: 'nested-loop',
        reason: `join: classify needs a side with at most ${CLASSIFY_MAX_OPTIONS} values; both have more (${counts.left} and ${counts.right}), so every pair is asked`,
      };
    return {
      kind: 'classify',
      optionsSide,
      reason: `join: classify: one request per ${optionsSide === 'right' ? 'left' : 'right'} value lists the ${small} ${optionsSide} values`,
    };
  }
  return {
    kind: 'block',
    reason: `join: recall ${option.recall}: the proxy's top ${BLOCK_DEFAULTS.k} per left value and pairs above ${BLOCK_DEFAULTS.floor} are asked, and a sample of the rest certifies the target`,
  };
}

export interface PlanCosts {
  nestedLoop: number;
  /** Requests, or null when neither side is small enough. */
  classify: number | null;
  /** Blocking: the candidates and the sample when each left value has about one match, up to every pair. */
  block: { about: number; max: number };
}

/** What each plan would cost, before any call: EXPLAIN shows them side by side. */
export function planCosts(counts: PairCounts, targets: { recall: number; confidence: number } = { recall: 0.95, confidence: 0.9 }): PlanCosts {
  const small = Math.min(counts.unknownLeft, counts.unknownRight);
  const classify = Math.min(counts.left, counts.right) <= CLASSIFY_MAX_OPTIONS ? Math.max(counts.unknownLeft, counts.unknownRight) * (small > 0 ? 1 : 0) : null;
  const candidates = Math.min(counts.unknown, BLOCK_DEFAULTS.k * counts.unknownLeft);
  const perPair = counts.pairs === 0 ? 1 : counts.rowPairs / counts.pairs;
  const allowed = counts.unknownLeft * perPair * ((1 - targets.recall) / targets.recall);
  const draws =
    counts.unknown < BLOCK_DEFAULTS.minPairs
      ? null
      : sampleSize(counts.rowPairs, allowed, 1 - targets.confidence, BLOCK_DEFAULTS.allowedMisses, BLOCK_DEFAULTS.maxDraws);
  const about = draws === null ? counts.unknown : Math.min(counts.unknown, candidates + Math.min(draws, counts.unknown - candidates));
  return { nestedLoop: counts.unknown, classify, block: { about, max: counts.unknown } };
}
