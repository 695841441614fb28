import { binomialCdf, binomialTail, cpLower, cpUpper } from './clopper-pearson';
import { sampleAuc, shownUseful, type SampleAuc } from './sample-auc';
import { isRowError, splitDelta, type CascadeTargets, type OracleAnswer } from './types';

/**
 * Thresholds from a labelled uniform sample (docs/cascades.md, "The method"). Rows scoring below
 * `low` are rejected by the proxy, rows scoring at or above `high` accepted, and the model decides
 * the band between. Because the model decides that band exactly, false negatives can only come from
 * the reject band and false positives only from the accept band, so each threshold comes from its
 * own one-sided exact binomial test, with δ split between the two (a union bound).
 */

/** One draw of the sample (duplicates kept: draws with replacement are what the tests count). */
export interface LabelledDraw {
  row: number;
  answer: OracleAnswer;
}

export interface ThresholdInput {
  /** The proxy's score of every row, the population (no NaN); only its order matters. */
  scores: readonly number[];
  draws: readonly LabelledDraw[];
  targets: CascadeTargets;
  delta: number;
  /** Label-free cuts the precision test walks. */
  grid: number;
  /** Below this sample AUC the proxy is treated as useless (and also when the sample cannot show it beats chance). */
  minAuc: number;
}

export interface RecallTest {
  target: number;
  /** The test's share of δ. */
  alpha: number;
  /** Sampled positives, rows the model failed on counted as positives the proxy missed. */
  positives: number;
  /** The fewest sampled positives that can pass: ⌈ln α / ln target⌉. */
  needed: number;
  /** Sampled positives below `low`, and the failed rows; 0 when nothing is rejected. */
  missed: number;
  /** Lower confidence limit on recall at `low`; null when nothing is rejected (recall is then the model's). */
  bound: number | null;
  certified: boolean;
}

export interface PrecisionTest {
  target: number;
  alpha: number;
  /** The fewest draws, all positive, that can pass: ⌈ln α / ln target⌉. */
  needed: number;
  /** Share of the rows in the accept band (0 when nothing is accepted). */
  acceptedShare: number;
  /** Draws in the accept band, and the positives among them (failed rows counted as negatives). */
  draws: number;
  positives: number;
  /** Lower confidence limit on the accept band's precision; null when nothing is accepted. */
  bound: number | null;
  certified: boolean;
}

export interface Thresholds {
  /** Reject rows scoring below this; null: reject nothing. */
  low: number | null;
  /** Accept rows scoring at or above this; null: accept nothing. */
  high: number | null;
  /** The proxy's AUC on the answered draws and its z against chance; null without both positives and negatives. */
  auc: SampleAuc | null;
  /** Set when neither band is used and the model must answer every row. */
  fallback: 'useless-proxy' | 'nothing-certified' | null;
  /** Null when not asked, or when the proxy was found useless before testing. */
  recall: RecallTest | null;
  precision: PrecisionTest | null;
  /** What the cascade's result would score on the sampled rows, against the model's answers. */
  estimate: { recall: number | null; precision: number | null };
}

export type Band = 'accept' | 'reject' | 'ask';

export function band(score: number, t: Pick<Thresholds, 'low' | 'high'>): Band {
  if (t.high !== null && score >= t.high) return 'accept';
  if (t.low !== null && score < t.low) return 'reject';
  return 'ask';
}

/**
 * The draws of an all-positive region the precision test wants at its first cut: 1.5× the fewest
 * that can pass, so a few negatives or a thin draw do not end the walk at once. Starting at the very
 * top instead (a 5% cut) left fewer draws than can pass and accepted about nothing in the
 * simulation of the design notes.
 */
export const FIRST_CUT_SLACK = 1.5;

/** ⌈ln α / ln target⌉: the fewest draws, all on the right side, with which an exact test can pass. */
export const fewestPassing = (target: number, alpha: number) => Math.ceil(Math.log(alpha) / Math.log(target));

interface Scored {
  score: number;
  /** null: the model failed on this row. */
  positive: boolean | null;
}

export function learnThresholds(input: ThresholdInput): Thresholds {
  const { scores, targets } = input;
  const scored: Scored[] = input.draws.map((d) => ({ score: scores[d.row] as number, positive: isRowError(d.answer) ? null : d.answer }));
  const answered = scored.filter((d): d is { score: number; positive: boolean } => d.positive !== null);
  const auc = sampleAuc(answered);
  // A proxy that ranks no better than chance would only reject a sliver at the bottom, or accept every
  // row of a common predicate; calling every row instead costs about the same and returns the model's
  // answers. Falling back can only raise correctness, so it needs no share of δ.
  if (!shownUseful(auc, input.minAuc)) {
    return { low: null, high: null, auc, fallback: 'useless-proxy', recall: null, precision: null, estimate: estimate(answered, null, null) };
  }
  const alpha = splitDelta(targets, input.delta);
  const precision = targets.precision === undefined ? null : precisionTest(scores, scored, targets.precision, alpha.precision, input.grid);
  const high = precision?.threshold ?? null;
  const found = targets.recall === undefined ? null : recallThreshold(scored, targets.recall, alpha.recall);
  // Lowering `low` only rejects fewer rows, so clamping it to `high` keeps the recall guarantee.
  const low = found === null || high === null ? found : Math.min(found, high);
  const recall = targets.recall === undefined ? null : recallTest(scored, targets.recall, alpha.recall, low);
  const fallback = low === null && high === null ? 'nothing-certified' : null;
  return { low, high, auc, fallback, recall, precision: precision?.test ?? null, estimate: estimate(answered, low, high) };
}

/**
 * Scans candidate thresholds at the sampled positives' scores, ascending, and keeps the last one
 * whose exact upper limit on the missed share is at most 1 − target. No multiplicity correction is
 * needed: misses only grow along the scan, so a threshold past the population's first bad one can
 * only be kept if the test at that fixed bad one passed, which happens with probability ≤ α.
 */
function recallThreshold(scored: readonly Scored[], target: number, alpha: number): number | null {
  const positives = scored
    .filter((d) => d.positive === true)
    .map((d) => d.score)
    .sort((a, b) => a - b);
  const failed = scored.filter((d) => d.positive === null).length;
  const k = positives.length + failed;
  let low: number | null = null;
  for (let j = 0; j < positives.length; j++) {
    const t = positives[j] as number;
    if (j > 0 && t === positives[j - 1]) continue;
    // j positives lie strictly below t (sorted, first of its ties); failed rows always count as missed.
    // cpUpper(missed, k, α) ≤ 1 − target ⇔ P(Bin(k, 1 − target) ≤ missed) ≤ α: one CDF, no bisection.
    if (binomialCdf(failed + j, k, 1 - target) > alpha) break;
    low = t;
  }
  return low;
}

/** The recall test's figures at the final (clamped) `low`. */
function recallTest(scored: readonly Scored[], target: number, alpha: number, low: number | null): RecallTest {
  const positives = scored.filter((d) => d.positive !== false);
  const missed = low === null ? 0 : positives.filter((d) => d.positive === null || d.score < low).length;
  return {
    target,
    alpha,
    positives: positives.length,
    needed: fewestPassing(target, alpha),
    missed,
    bound: low === null ? null : 1 - cpUpper(missed, positives.length, alpha),
    certified: low !== null,
  };
}

/**
 * Walks label-free cuts, population score quantiles from the top, in a fixed order, and keeps the
 * widest accept band whose exact lower limit on precision is at least the target, stopping at the
 * first failure (a fixed-sequence test: the first untrue claim in a fixed order must be passed before
 * any later one can be, so the chance of accepting a band below target is at most α). Draws that land
 * in a band are uniform over it, so the test is exact for that band.
 */
function precisionTest(
  scores: readonly number[],
  scored: readonly Scored[],
  target: number,
  alpha: number,
  grid: number,
): { threshold: number | null; test: PrecisionTest } {
  const needed = fewestPassing(target, alpha);
  const descending = [...scores].sort((a, b) => b - a);
  const rows = descending.length;
  const first = Math.min(1, (FIRST_CUT_SLACK * needed) / Math.max(1, scored.length));
  let test: PrecisionTest = { target, alpha, needed, acceptedShare: 0, draws: 0, positives: 0, bound: null, certified: false };
  let threshold: number | null = null;
  let previous: number | undefined;
  for (let m = 0; m < grid && rows > 0; m++) {
    const share = first + ((1 - first) * m) / grid;
    const cut = descending[Math.max(1, Math.ceil(share * rows)) - 1] as number;
    if (cut === previous) continue;
    previous = cut;
    const inBand = scored.filter((d) => d.score >= cut);
    const positives = inBand.filter((d) => d.positive === true).length;
    // cpLower(positives, n, α) ≥ target ⇔ P(Bin(n, target) ≥ positives) ≤ α.
    if (inBand.length === 0 || binomialTail(positives, inBand.length, target) > alpha) break;
    threshold = cut;
    const accepted = descending.filter((s) => s >= cut).length;
    test = { ...test, acceptedShare: accepted / rows, draws: inBand.length, positives, bound: cpLower(positives, inBand.length, alpha), certified: true };
  }
  return { threshold, test };
}

/** The cascade's result on the answered draws as if they had not been sampled: its recall and precision there. */
function estimate(answered: readonly { score: number; positive: boolean }[], low: number | null, high: number | null): Thresholds['estimate'] {
  const t = { low, high };
  let positives = 0;
  let kept = 0;
  let said = 0;
  for (const d of answered) {
    const b = band(d.score, t);
    if (d.positive) positives++;
    const yes = b === 'accept' || (b === 'ask' && d.positive);
    if (yes) said++;
    if (yes && d.positive) kept++;
  }
  return { recall: positives === 0 ? null : kept / positives, precision: said === 0 ? null : kept / said };
}
