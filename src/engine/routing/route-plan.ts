import { cpLower } from '../cascade';

/**
 * Tier routing's statistics (`-- @ model: auto(accuracy A, confidence C)`): a seeded sample of a
 * group's inputs is asked of both the cheapest and the quality tier, and the cheap tier answers the
 * rest only when the one-sided Clopper–Pearson lower limit of its agreement (the exact limit
 * cascades use, src/engine/cascade/clopper-pearson.ts) is at least A at level 1 − C.
 */

export interface RoutingTargetsInput {
  accuracy: number;
  confidence: number;
}

/** Fewest draws for which a sample where every draw agrees clears the bar: α^(1/n) ≥ A. */
export function perfectSampleSize({ accuracy, confidence }: RoutingTargetsInput): number {
  return Math.ceil(Math.log(1 - confidence) / Math.log(accuracy));
}

/**
 * Draws of the sample: three times the perfect sample's, so a cheap tier that agrees on all but a
 * few inputs still clears the bar (A 0.95, C 0.9: 135 draws, up to 3 disagreements pass; 45 would
 * allow none).
 */
export const SAMPLE_FACTOR = 3;

/**
 * Inputs a group needs before routing pays: with fewer than twice the sample, at least half of the
 * inputs would be asked of both tiers, and the quality tier answers them all at less cost.
 */
export const MIN_REST_FACTOR = 2;

export interface RoutingPlan {
  /** Distinct inputs of the group that would be called. */
  inputs: number;
  /** Draws of the sample (with replacement: each draw is one exact Bernoulli trial). */
  sampleDraws: number;
  /** Null when a sample is drawn; otherwise why the quality tier answers every input. */
  fallback: string | null;
}

export function planRouting(inputs: number, targets: RoutingTargetsInput): RoutingPlan {
  const sampleDraws = SAMPLE_FACTOR * perfectSampleSize(targets);
  if (inputs < MIN_REST_FACTOR * sampleDraws) {
    return {
      inputs,
      sampleDraws: 0,
      fallback: `too few inputs to route: ${inputs}, routing needs at least ${MIN_REST_FACTOR * sampleDraws} for a sample of ${sampleDraws}`,
    };
  }
  return { inputs, sampleDraws, fallback: null };
}

export interface AgreementVerdict {
  /** Draws where the quality tier answered (the others say nothing about agreement). */
  compared: number;
  agreed: number;
  /** Lower confidence limit of the agreement. */
  lower: number;
  /** The cheap tier may answer the rest. */
  met: boolean;
}

export function judgeAgreement(agreed: number, compared: number, targets: RoutingTargetsInput): AgreementVerdict {
  const lower = cpLower(agreed, compared, 1 - targets.confidence);
  return { compared, agreed, lower, met: compared > 0 && lower >= targets.accuracy };
}

/**
 * Whether two answers agree: equal values, strings compared trimmed and without case, numbers
 * within 0.05 of each other or 5% of the larger (a score of 0.71 and 0.74 say the same thing).
 */
export function answersAgree(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= Math.max(0.05, 0.05 * Math.max(Math.abs(a), Math.abs(b)));
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}
