import type { OracleAnswer, OracleRowError } from '../cascade';
import type { JoinPairs } from './types';

/**
 * Classify into the small side (docs/semantic-joins.md): one request per value of the large side,
 * listing the small side's values it is paired with (its options), answered as the set of options
 * that hold. Pairs already known are not listed; a value whose pairs are all known is not asked.
 */

/** At most this many options in one request, and so on the small side. */
export const CLASSIFY_MAX_OPTIONS = 64;

export interface ClassifyGroup {
  /** The large side's value (an index into its side's values). */
  value: number;
  /** The small side's values listed, and the pair each stands for. */
  options: number[];
  pairs: number[];
}

/** Which options hold (positions in the group's options), or why the request failed. */
export type SetAnswer = ReadonlySet<number> | OracleRowError;

export interface ClassifyResult {
  /** Per pair: known before, or the set answer's; undefined where the request failed (asked pairwise then). */
  answers: (OracleAnswer | undefined)[];
  stats: { pairs: number; known: number; requests: number; failed: number };
}

/** The requests: one per large-side value with unknown pairs; options are the other side. */
export function classifyGroups(pairs: JoinPairs, optionsSide: 'left' | 'right', known: readonly (OracleAnswer | undefined)[]): ClassifyGroup[] {
  const large = optionsSide === 'right' ? pairs.leftOf : pairs.rightOf;
  const small = optionsSide === 'right' ? pairs.rightOf : pairs.leftOf;
  const groups = new Map<number, ClassifyGroup>();
  for (let p = 0; p < large.length; p++) {
    if (known[p] !== undefined) continue;
    const value = large[p] as number;
    let group = groups.get(value);
    if (!group) groups.set(value, (group = { value, options: [], pairs: [] }));
    group.options.push(small[p] as number);
    group.pairs.push(p);
  }
  return [...groups.values()];
}

export async function runClassify(
  pairs: JoinPairs,
  optionsSide: 'left' | 'right',
  known: readonly (OracleAnswer | undefined)[],
  ask: (groups: readonly ClassifyGroup[]) => Promise<SetAnswer[]>,
): Promise<ClassifyResult> {
  const answers = known.slice();
  const groups = classifyGroups(pairs, optionsSide, known);
  const got = groups.length === 0 ? [] : await ask(groups);
  let failed = 0;
  groups.forEach((group, g) => {
    const set = got[g];
    if (set === undefined || isSetError(set)) {
      failed++;
      return;
    }
    group.pairs.forEach((p, i) => (answers[p] = set.has(i)));
  });
  return { answers, stats: { pairs: known.length, known: known.filter((a) => a !== undefined).length, requests: groups.length, failed } };
}

const isSetError = (answer: SetAnswer): answer is OracleRowError => 'error' in answer;
