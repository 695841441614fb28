import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { CascadeDecision, Oracle, OracleAnswer } from '../../../../src/engine/cascade';

/**
 * Synthetic rows for cascade tests: the model's answer (truth) and a proxy score per row. The proxy
 * is a logistic of a normal draw shifted by ±separation/2 by the truth: separation 4 ranks like an
 * AUC of about 0.99, 0 is a useless proxy. `clearShare` mixes clear rows (separation 6) with
 * ambiguous ones (separation 0.5), as in the design notes' simulation.
 */
export type ProxyKind = { separation: number } | { clearShare: number } | 'random';

export interface Synthetic {
  scores: number[];
  truth: boolean[];
}

export function synthetic(options: { rows: number; positiveRate: number; proxy: ProxyKind; seed: number }): Synthetic {
  const rng = xoroshiro128plus(options.seed);
  const unit = () => uniformFloat64(rng);
  const normal = () => Math.sqrt(-2 * Math.log(1 - unit())) * Math.cos(2 * Math.PI * unit());
  const scores: number[] = [];
  const truth: boolean[] = [];
  for (let i = 0; i < options.rows; i++) {
    const positive = unit() < options.positiveRate;
    const separation = options.proxy === 'random' ? 0 : 'separation' in options.proxy ? options.proxy.separation : unit() < options.proxy.clearShare ? 6 : 0.5;
    const z = normal() + (positive ? separation / 2 : -separation / 2);
    scores.push(1 / (1 + Math.exp(-z)));
    truth.push(positive);
  }
  return { scores, truth };
}

/** An oracle that answers from the truth (or `failed` for the rows it fails on) and counts what it was asked. */
export function countingOracle(truth: readonly boolean[], failed: (row: number) => boolean = () => false) {
  const asked: number[] = [];
  const oracle: Oracle = async (row) => {
    asked.push(row);
    const answer: OracleAnswer = failed(row) ? { error: 'timeout' } : (truth[row] as boolean);
    return answer;
  };
  return { oracle, asked };
}

/** Recall and precision of a cascade's yes-set against the truth (1 when the denominator is empty). */
export function quality(decisions: readonly CascadeDecision[], truth: readonly boolean[]): { recall: number; precision: number } {
  let positives = 0;
  let said = 0;
  let kept = 0;
  decisions.forEach((d, row) => {
    const yes = d.answer === true;
    if (truth[row]) positives++;
    if (yes) said++;
    if (yes && truth[row]) kept++;
  });
  return { recall: positives === 0 ? 1 : kept / positives, precision: said === 0 ? 1 : kept / said };
}
