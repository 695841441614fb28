import { fewestPassing, FIRST_CUT_SLACK } from './thresholds';
import { resolveCascadeOptions, splitDelta, type CascadeOptions, type ResolvedCascadeOptions } from './types';

/**
 * How large a sample a cascade draws and what it may cost, before any call (for EXPLAIN and the
 * budget check). See docs/cascades.md, "Sample size".
 */

/**
 * Of the rows the proxy ranks first, the share a good proxy makes (almost) all positive, as a share
 * of the positives: the precision test's first cut must fit in it.
 */
const CLEAN_TOP_SHARE = 0.8;

/**
 * Main sample draws for `rows` rows when about `positiveRate` of them are positives: enough for
 * twice the fewest sampled positives that can pass the recall test (so a few misses are tolerated),
 * and for the precision test's first cut to fall among the positives; clamped to
 * [minDraws, min(maxDraws, rows / 4)]. For recall 0.9 at δ = 0.1 this is ⌈58/π̂⌉, the "60/π̂" of the
 * design notes; for 0.95 at δ = 0.05 it is ⌈144/π̂⌉.
 */
export function sampleSize(rows: number, positiveRate: number, options: ResolvedCascadeOptions): number {
  const { targets } = options;
  const alpha = splitDelta(targets, options.delta);
  const forRecall = targets.recall === undefined ? 0 : (2 * fewestPassing(targets.recall, alpha.recall)) / positiveRate;
  const forPrecision =
    targets.precision === undefined ? 0 : (FIRST_CUT_SLACK * fewestPassing(targets.precision, alpha.precision)) / (CLEAN_TOP_SHARE * positiveRate);
  const cap = sampleCap(rows, options);
  return Math.min(cap, Math.max(options.minDraws, Math.ceil(Math.max(forRecall, forPrecision))));
}

/** The largest main sample for `rows` rows. */
export const sampleCap = (rows: number, options: ResolvedCascadeOptions) => Math.min(options.maxDraws, Math.floor(rows / 4));

/** Expected distinct rows among `draws` uniform draws with replacement from `rows` rows. */
export const expectedDistinct = (rows: number, draws: number) => (rows <= 0 ? 0 : rows * (1 - (1 - 1 / rows) ** draws));

export interface CascadePlan {
  rows: number;
  /** Known before any call: every row will be called, and nothing is sampled. */
  fallback: 'too-few-rows' | 'targets-unreachable' | null;
  /** Pilot draws that estimate the share of positives (0 when it was given, or on fallback). */
  pilotDraws: number;
  /** Main sample draws: one number when the share of positives is given, else the range the pilot picks from. */
  sampleDraws: { min: number; max: number };
  /**
   * Model calls: at least the distinct rows the draws are expected to hit (the smallest sample),
   * at most every row. Which share of the rest the model decides is known only after the sample.
   */
  calls: { min: number; max: number };
  /**
   * Rows the proxy scores (their texts embedded): none on a fallback decided now; with a pilot, at
   * least the pilot's (when it shows a reason to stop, src/engine/cascade/pilot-stop.ts), else every row.
   */
  scored: { min: number; max: number };
  /** What each run-time test needs, for "falls back when": sampled positives for the reject band, draws for the accept band. */
  needs: { recallPositives: number | null; precisionDraws: number | null; minAuc: number };
}

export function planCascade(rows: number, options: CascadeOptions): CascadePlan {
  const o = resolveCascadeOptions(options);
  const alpha = splitDelta(o.targets, o.delta);
  const needs = {
    recallPositives: o.targets.recall === undefined ? null : fewestPassing(o.targets.recall, alpha.recall),
    precisionDraws: o.targets.precision === undefined ? null : fewestPassing(o.targets.precision, alpha.precision),
    minAuc: o.minAuc,
  };
  const cap = sampleCap(rows, o);
  const reachable = [needs.recallPositives, needs.precisionDraws].some((need) => need !== null && need <= cap);
  const fallback = rows < o.minRows ? 'too-few-rows' : reachable ? null : 'targets-unreachable';
  if (fallback !== null)
    return { rows, fallback, pilotDraws: 0, sampleDraws: { min: 0, max: 0 }, calls: { min: rows, max: rows }, scored: { min: 0, max: 0 }, needs };
  const pilotDraws = o.positiveRate === undefined ? o.pilotDraws : 0;
  const sampleDraws =
    o.positiveRate === undefined
      ? { min: sampleSize(rows, 1, o), max: cap }
      : { min: sampleSize(rows, o.positiveRate, o), max: sampleSize(rows, o.positiveRate, o) };
  const scored = { min: pilotDraws > 0 ? Math.ceil(expectedDistinct(rows, pilotDraws)) : rows, max: rows };
  return { rows, fallback, pilotDraws, sampleDraws, calls: { min: Math.ceil(expectedDistinct(rows, pilotDraws + sampleDraws.min)), max: rows }, scored, needs };
}

/**
 * Expected calls if the model is left `askedShare` of the rows the sample did not hit: the figure
 * EXPLAIN can show for an assumed proxy (the share is only measured once the sample is answered).
 * Counts the largest sample of the plan.
 */
export function expectedCalls(plan: CascadePlan, askedShare: number): number {
  if (plan.fallback !== null) return plan.rows;
  const sampled = expectedDistinct(plan.rows, plan.pilotDraws + plan.sampleDraws.max);
  return Math.min(plan.rows, Math.ceil(sampled + askedShare * (plan.rows - sampled)));
}
