import type { CallOutcome } from '../../protocol/model-calls';
import type { EstimateFlag, EstimateReport } from '../../protocol/progress';
import type { ResolvedOptions } from '../../protocol/resolved-options';
import type { Database } from '../pass-runner';
import type { Miss, QueryRun } from '../query-run';
import { RunningEstimates } from './running-estimates';
import { sampleOrder } from './sample-order';

/**
 * The reason an estimating statement was stopped: its `-- @ approximate` error was reached, or the
 * user pressed Stop here (the engine service aborts the query with this reason). A statement that
 * is not estimating treats it as a cancel.
 */
export class EstimateStop extends Error {
  override readonly name = 'AbortError';
  constructor(readonly reason: EstimateFlag['reason']) {
    super(reason === 'stopped' ? 'stopped here: the result is an estimate' : 'the estimates reached their error');
  }
}

/** What the executor knows of a statement, to decide whether it estimates. */
export interface EstimatingInput {
  read: boolean;
  /** The statement aggregates (src/sql/shape.ts): its result summarises its rows' answers. */
  aggregate: boolean;
  early: boolean;
}

/**
 * The hooks by which a statement's run keeps running estimates (src/engine/estimate/): the first
 * pass's inputs asked in a seeded random order, each answer counted as it settles, a stop at the
 * target error, and the estimates as the result when stopped. Only the first dependency level is
 * estimated: once its inputs are resolved, later passes run as they always do, and a stop then is
 * a cancel.
 */
export interface Estimating {
  /** The query's signal, also aborted when the estimates reach their error. */
  readonly signal: AbortSignal;
  /** Orders a pass's misses before they are resolved. */
  order(misses: readonly Miss[]): Miss[];
  settled(outcome: CallOutcome): void;
  reports(): EstimateReport[];
  /** The flag of a stopped statement whose result is its estimates; null if it was cancelled or not stopped. */
  stoppedWith(): EstimateFlag | null;
}

/** Estimating hooks for an aggregate read over semantic answers; null for any other statement (it runs exactly, untouched). */
export function startEstimating(run: QueryRun, options: ResolvedOptions, input: EstimatingInput, signal: AbortSignal): Estimating | null {
  if (!input.read || !input.aggregate || input.early || options.cascade !== 'off') return null;
  const { seed, confidence, error } = options.estimate;
  const estimates = new RunningEstimates(confidence);
  const own = new AbortController();
  const both = AbortSignal.any([signal, own.signal]);
  let level: 'first' | 'resolving' | 'after' = 'first';
  run.observeKnown((key, operator, args, value) => estimates.known(key, operator, args, value));
  return {
    signal: both,
    order(misses) {
      if (level !== 'first') {
        level = 'after';
        return [...misses];
      }
      level = 'resolving';
      run.observeKnown(null);
      const ordered = sampleOrder(misses, seed);
      estimates.asking(ordered);
      return ordered;
    },
    settled(outcome) {
      // A call cancelled by the stop is neither an answer nor an error: counted as settled, it let
      // the quicker answers after it into the prefix (36 of 40 seeds covered in the bench).
      if (level !== 'resolving' || outcome.status === 'cancelled') return;
      estimates.settled(outcome.request.rows[0]?.key ?? '', outcome.status === 'ok' ? outcome.value : undefined);
      // Not once every answer is in: the exact result is then one pass away, and costs nothing more.
      if (error !== null && !own.signal.aborted && estimates.within(error) && !estimates.complete) own.abort(new EstimateStop('approximate'));
    },
    reports: () => (estimates.empty ? [] : estimates.reports()),
    stoppedWith() {
      const reason: unknown = both.reason;
      if (level !== 'resolving' || estimates.empty || !(reason instanceof EstimateStop)) return null;
      return { reason: reason.reason, estimates: estimates.reports() };
    },
  };
}

const COLUMNS = ['operator', 'criterion', 'kind', 'estimate', 'low', 'high', 'confidence', 'answered', 'inputs', 'method'] as const;

/** The estimates as the statement's result, one row each, made by DuckDB like any other result. */
export async function estimateResult<R>(db: Database<R>, flag: EstimateFlag): Promise<R> {
  const text = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const num = (n: number | null) => (n === null || !Number.isFinite(n) ? 'NULL::DOUBLE' : `${n}::DOUBLE`);
  const rows = flag.estimates.map(
    (e) =>
      `(${[text(e.operator), text(e.criterion), text(e.kind), num(e.estimate), num(e.low), num(e.high), num(e.confidence), `${e.answered}::BIGINT`, `${e.inputs}::BIGINT`, text(e.method)].join(', ')})`,
  );
  const sql = `SELECT * FROM (VALUES ${rows.join(', ')}) AS estimates(${COLUMNS.join(', ')})`;
  return db.exclusive((exec) => exec(sql, null));
}
