import { pilotStop } from './pilot-stop';
import { planCascade, sampleSize, type CascadePlan } from './plan';
import { rowDrawer } from './sample';
import { band, learnThresholds, type Thresholds } from './thresholds';
import {
  isRowError,
  resolveCascadeOptions,
  type CascadeDecision,
  type CascadeOptions,
  type DecisionSource,
  type FallbackReason,
  type Oracle,
  type OracleAnswer,
  type ProxyScores,
} from './types';

export interface CascadeStats {
  rows: number;
  /** Set when every row not sampled went to the model. */
  fallback: FallbackReason | null;
  /** Rows the model was asked about: the distinct sampled rows and the band it decides. Never more than `rows`. */
  calls: number;
  /** Rows the proxy scored: none when the cascade fell back before its pilot, the pilot's when it stopped after it. */
  scored: number;
  /** How many rows each stage decided; they add up to `rows`. */
  decidedBy: Record<DecisionSource, number>;
  pilotDraws: number;
  sampleDraws: number;
  /** π̂ the sample was sized with: given, or the pilot's; null when nothing was sampled. */
  positiveRate: number | null;
  /** 1 − δ: the probability with which both targets hold, relative to the model's answers. */
  confidence: number;
  /** The thresholds, the two tests and the estimate on the sample; null when nothing was sampled. */
  thresholds: Thresholds | null;
}

export interface CascadeResult {
  /** One per row, in the order of the scores. */
  decisions: CascadeDecision[];
  stats: CascadeStats;
  plan: CascadePlan;
}

/**
 * Runs a cascade over rows the proxy scores (docs/cascades.md): a seeded uniform sample (after a
 * pilot when no share of positives is given) is answered by the model, thresholds are learned from
 * it, rows the proxy is sure of are decided without a call, and the model answers the rest. Each
 * stage's rows go to the oracle together, so the caller can run them in parallel and in shared
 * requests; no row is asked twice. A rejected oracle promise (cancellation, budget) rejects this one.
 *
 * The proxy scores rows only when they are needed (scores given as a list are all known): none on a
 * fallback decided before any call, the pilot's first, and every row only when the pilot shows
 * neither a useless proxy nor positives too rare to certify (src/engine/cascade/pilot-stop.ts).
 */
export async function runCascade(proxy: readonly number[] | ProxyScores, oracle: Oracle, options: CascadeOptions): Promise<CascadeResult> {
  const o = resolveCascadeOptions(options);
  const lazy = proxyScores(proxy);
  const rows = lazy.rows;
  const plan = planCascade(rows, o);
  const known = new Map<number, OracleAnswer>();
  const answerOf = (row: number): OracleAnswer => {
    const answer = known.get(row);
    if (answer === undefined) throw new Error(`cascade: row ${row} was not asked`);
    return answer;
  };
  const ask = async (wanted: Iterable<number>) => {
    const fresh = [...new Set(wanted)].filter((row) => !known.has(row));
    const answers = await Promise.all(fresh.map((row) => oracle(row)));
    fresh.forEach((row, i) => known.set(row, answers[i] as OracleAnswer));
  };
  const base = { rows, pilotDraws: 0, sampleDraws: 0, positiveRate: null, confidence: 1 - o.delta, thresholds: null };
  /** Every row the model has not answered goes to it; the answered ones keep their source. */
  const askRest = async (fallback: FallbackReason, extra: Partial<CascadeStats>): Promise<CascadeResult> => {
    const sampled = new Set(known.keys());
    await ask(Array.from({ length: rows }, (_, row) => row));
    const decisions = Array.from({ length: rows }, (_, row): CascadeDecision => ({ answer: answerOf(row), source: sampled.has(row) ? 'sample' : 'oracle' }));
    return { decisions, stats: { ...base, ...extra, fallback, calls: known.size, scored: lazy.scored(), decidedBy: count(decisions) }, plan };
  };

  if (plan.fallback !== null) return askRest(plan.fallback, {});

  const drawer = rowDrawer(o.seed);
  let positiveRate = o.positiveRate;
  let pilotDraws = 0;
  if (positiveRate === undefined) {
    // The pilot only sizes the sample: its draws stay out of the tests, which stay exact because the
    // main draws are independent of it. Its rows are answered, so they count as sampled.
    const pilot = drawer.draw(rows, o.pilotDraws);
    pilotDraws = pilot.length;
    await ask(pilot);
    positiveRate = pilotRate(pilot.map(answerOf));
    // Deciding to stop here, on the pilot, leaves the tests exact too: they would use other draws.
    const stop = await pilotStop(pilot, answerOf, lazy, rows, o);
    if (stop !== null) return askRest(stop, { pilotDraws, positiveRate });
  }
  const scores = await lazy.all();
  const sample = drawer.draw(rows, sampleSize(rows, positiveRate, o));
  await ask(sample);
  const sampled = new Set(known.keys());
  const thresholds = learnThresholds({
    scores,
    draws: sample.map((row) => ({ row, answer: answerOf(row) })),
    targets: o.targets,
    delta: o.delta,
    grid: o.grid,
    minAuc: o.minAuc,
  });

  const bands = scores.map((score) => band(score, thresholds));
  await ask([...bands.keys()].filter((row) => !sampled.has(row) && bands[row] === 'ask'));
  const decisions = bands.map((b, row): CascadeDecision => {
    if (sampled.has(row)) return { answer: answerOf(row), source: 'sample' };
    if (b === 'accept') return { answer: true, source: 'proxy-accept' };
    if (b === 'reject') return { answer: false, source: 'proxy-reject' };
    return { answer: answerOf(row), source: 'oracle' };
  });
  return {
    decisions,
    stats: {
      ...base,
      fallback: thresholds.fallback,
      calls: known.size,
      scored: rows,
      decidedBy: count(decisions),
      pilotDraws,
      sampleDraws: sample.length,
      positiveRate,
      thresholds,
    },
    plan,
  };
}

/**
 * The pilot's share of positives with one positive and one negative added (Laplace's rule): never 0,
 * so a pilot that saw no positive sizes the sample at its cap instead of dividing by zero.
 */
function pilotRate(answers: readonly OracleAnswer[]): number {
  const answered = answers.filter((a): a is boolean => !isRowError(a));
  return (answered.filter((a) => a).length + 1) / (answered.length + 2);
}

/** Scores asked for as needed, each row once, checked: a NaN compares false with everything, so it would fall in no band. */
function proxyScores(proxy: readonly number[] | ProxyScores) {
  if (Array.isArray(proxy) && proxy.some(Number.isNaN)) throw new RangeError('cascade: every row needs a proxy score (NaN found)');
  const source: ProxyScores = Array.isArray(proxy)
    ? { rows: proxy.length, score: async (rows) => rows.map((r) => proxy[r] as number) }
    : (proxy as ProxyScores);
  const known = new Map<number, number>();
  const score = async (rows: readonly number[]): Promise<void> => {
    const wanted = [...new Set(rows)].filter((row) => !known.has(row));
    if (wanted.length === 0) return;
    const scores = await source.score(wanted);
    wanted.forEach((row, i) => {
      const s = scores[i] as number;
      if (Number.isNaN(s)) throw new RangeError('cascade: every row needs a proxy score (NaN found)');
      known.set(row, s);
    });
  };
  return {
    rows: source.rows,
    /** Scores of `rows`, in their order. */
    async some(rows: readonly number[]): Promise<number[]> {
      await score(rows);
      return rows.map((row) => known.get(row) as number);
    },
    async all(): Promise<number[]> {
      return this.some(Array.from({ length: source.rows }, (_, row) => row));
    },
    scored: () => known.size,
  };
}

export type LazyScores = ReturnType<typeof proxyScores>;

function count(decisions: readonly CascadeDecision[]): Record<DecisionSource, number> {
  const counts: Record<DecisionSource, number> = { sample: 0, 'proxy-accept': 0, 'proxy-reject': 0, oracle: 0 };
  for (const d of decisions) counts[d.source]++;
  return counts;
}
