import { cpUpper } from './clopper-pearson';
import { sampleCap } from './plan';
import type { LazyScores } from './run-cascade';
import { sampleAuc } from './sample-auc';
import { fewestPassing } from './thresholds';
import { isRowError, splitDelta, type OracleAnswer, type ResolvedCascadeOptions } from './types';

/**
 * Whether a cascade should stop after its pilot and ask the model about every row, before the
 * proxy scores more than the pilot's rows (docs/cascades.md, "When it calls every row"). Stopping
 * can only cost the savings, never correctness: the rows are then asked as without a cascade. Each
 * check errs toward going on, so a cascade that could have saved is rarely stopped:
 * - rare-positives: even at the upper 95% limit of the pilot's share of positives, the largest
 *   sample would hold fewer positives than either test needs to pass (checked first: it needs no score);
 * - useless-proxy: on the pilot's rows, the proxy's AUC is below the cascade's minimum by more than
 *   1.645 standard deviations (one-sided 5%) of the AUC of random scores.
 */
const RARE_ALPHA = 0.05;
const USELESS_Z = 1.645;

export async function pilotStop(
  pilot: readonly number[],
  answerOf: (row: number) => OracleAnswer,
  scores: LazyScores,
  rows: number,
  o: ResolvedCascadeOptions,
): Promise<'rare-positives' | 'useless-proxy' | null> {
  const answers = pilot.map(answerOf);
  const answered = answers.filter((a): a is boolean => !isRowError(a));
  const positives = answered.filter((a) => a).length;
  const alpha = splitDelta(o.targets, o.delta);
  const needs = [
    o.targets.recall === undefined ? null : fewestPassing(o.targets.recall, alpha.recall),
    o.targets.precision === undefined ? null : fewestPassing(o.targets.precision, alpha.precision),
  ].filter((n): n is number => n !== null);
  const mostPositives = sampleCap(rows, o) * cpUpper(positives, answered.length, RARE_ALPHA);
  if (needs.every((need) => mostPositives < need)) return 'rare-positives';

  const pilotScores = await scores.some(pilot);
  const auc = sampleAuc(
    pilot.flatMap((_, i) => (isRowError(answers[i] as OracleAnswer) ? [] : [{ score: pilotScores[i] as number, positive: answers[i] === true }])),
  );
  if (auc === null) return null;
  const negatives = answered.length - positives;
  const sd = Math.sqrt((positives + negatives + 1) / (12 * positives * negatives));
  return auc.auc + USELESS_Z * sd < o.minAuc ? 'useless-proxy' : null;
}
