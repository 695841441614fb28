import type { AnswerCache } from '../cache/answer-cache';
import type { CallLogSink } from '../protocol/call-log';
import type { ProviderErrorInfo } from '../protocol/model';
import type { CallOutcome, ProviderConnection } from '../protocol/model-calls';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { ResolvedOptions } from '../protocol/resolved-options';
import type { ColumnarResult } from '../protocol/results';
import type { OperatorDef, SemanticJoin, StatementEffect } from '../sql';
import { answerScope } from './cache-key';
import { estimateResult, startEstimating } from './estimate/estimating-run';
import { settlePasses, singlePass, type FixpointDeps } from './fixpoint';
import type { InflightRegistry } from './inflight-registry';
import { planJoinsBeforePasses } from './join-resolver';
import { PassResolver } from './pass-resolver';
import { passMode, type Database } from './pass-runner';
import { QueryRun } from './query-run';
import { RunProgress } from './run-progress';

export type { Database, RunSql } from './pass-runner';

export interface ExecutorDeps<R> {
  db: Database<R>;
  cache: AnswerCache;
  connection: ProviderConnection;
  registry: InflightRegistry;
  log: CallLogSink;
  now?: () => number;
  progressIntervalMs?: number;
  /** The operator whose vectors score rows for cascades (embed); without it, no cascade runs. */
  proxy?: OperatorDef;
  /** For the join planner (src/engine/join-resolver.ts): a result's rows, and an operator by name; without them no join is planned. */
  toColumnar?(result: R): ColumnarResult;
  operator?(name: string): OperatorDef | undefined;
}

export interface ExecuteInput {
  queryId: string;
  statement: { sql: string; effect: StatementEffect; callSites?: readonly unknown[]; joins?: readonly SemanticJoin[]; aggregate?: boolean };
  /** The statement's options, resolved once (src/engine/resolve-options.ts). */
  options: ResolvedOptions;
  signal: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
  /** For statements eligible for early LIMIT answers (src/sql/early-limit.ts); null otherwise. */
  early?: { limit: number } | null;
  /** The user's own BEGIN ... COMMIT is open: a write cannot be rolled back and run again. */
  inTransaction?: boolean;
  /** The statement as the user wrote it: kept with a Message Batch, to run again once it has ended. */
  source?: string;
}

export interface ExecuteOutput<R> {
  result: R;
  stats: QueryStats;
}

/** Thrown when a query is cancelled; the answers it got are kept. */
export class QueryCancelledError extends Error {
  override readonly name = 'AbortError';
}

/**
 * Runs one statement to its result: passes over the SQL until one needs no unknown answer
 * (src/engine/fixpoint.ts), the misses between passes planned and resolved by a PassResolver
 * (src/engine/pass-resolver.ts) through the query's session on the provider connection. A write is
 * rolled back on every pass that lacks answers and committed on the one that has them all, so it
 * takes effect exactly once (src/engine/pass-runner.ts).
 */
export async function executeQuery<R>(deps: ExecutorDeps<R>, input: ExecuteInput): Promise<ExecuteOutput<R>> {
  const { options, queryId } = input;
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const run = new QueryRun(queryId, answerScope(deps.connection.identity(), options), options.cache, deps.cache);
  const estimating = estimatingFor(run, input);
  const signal = estimating?.signal ?? input.signal;
  // Opened first: a session the connection refuses (a batch with nowhere to go) leaves nothing running.
  const session = deps.connection.open({
    options,
    signal,
    queryId,
    sql: input.source ?? input.statement.sql,
    onStart: () => progress.started(),
    onSettled: (outcome) => {
      settleInput(run, outcome);
      estimating?.settled(outcome);
      progress.settled(outcome);
    },
  });
  const progress = new RunProgress({
    queryId,
    run,
    log: deps.log,
    now,
    etaMs: () => session.etaMs(),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(deps.progressIntervalMs !== undefined ? { intervalMs: deps.progressIntervalMs } : {}),
    ...(estimating ? { estimates: () => estimating.reports() } : {}),
  });
  const resolver = new PassResolver({
    run,
    options,
    connection: deps.connection,
    session,
    cache: deps.cache,
    registry: deps.registry,
    progress,
    signal,
    ...(deps.proxy ? { proxy: deps.proxy } : {}),
    ...(estimating ? { order: (m) => estimating.order(m) } : {}),
  });
  const fixpoint: FixpointDeps<R> = {
    db: deps.db,
    run,
    resolver,
    progress,
    options,
    signal,
    queryId,
    callSites: input.statement.callSites?.length ?? 0,
    early: input.early ?? null,
    stopped: () => (session.fatal ? fatalError(session.fatal, options.onError) : signal.aborted ? cancelled(run) : null),
  };
  try {
    const joinPasses = await planJoins(fixpoint, deps, input);
    const { result, passes } = await runStatement(fixpoint, input);
    return { result, stats: progress.stats(passes + joinPasses, session.attempts) };
  } catch (error) {
    // Stopped (Stop here, or `-- @ approximate` reached): the estimates are the result, marked as such.
    const estimate = estimating?.stoppedWith();
    if (estimate) return { result: await estimateResult(deps.db, estimate), stats: { ...progress.stats(1, session.attempts), estimate } };
    if (signal.aborted) throw cancelled(run);
    throw error;
  } finally {
    session.close();
    progress.end(options.model);
    await deps.cache.flush();
  }
}

/** An aggregate over semantic answers keeps running estimates; any other statement runs untouched (null). */
function estimatingFor(run: QueryRun, input: ExecuteInput) {
  const statement = {
    read: input.statement.effect.kind === 'read' && !input.inTransaction,
    aggregate: input.statement.aggregate === true,
    early: (input.early ?? null) !== null,
  };
  return startEstimating(run, input.options, statement, input.signal);
}

/** The statement's semantic joins planned before its passes (src/engine/join-resolver.ts); the passes their pairs took. */
function planJoins<R>(fixpoint: FixpointDeps<R>, deps: ExecutorDeps<R>, input: ExecuteInput): Promise<number> {
  const { toColumnar, operator } = deps;
  return planJoinsBeforePasses(fixpoint, {
    ...input.statement,
    ...(input.inTransaction ? { inTransaction: true } : {}),
    embeddings: deps.proxy !== undefined,
    ...(toColumnar ? { toColumnar } : {}),
    ...(operator ? { operator } : {}),
  });
}

/** The passes a statement's effect needs: as written, or settled first and then written once. */
async function runStatement<R>(fixpoint: FixpointDeps<R>, input: ExecuteInput): Promise<{ result: R; passes: number }> {
  const { run } = fixpoint;
  const { sql, effect } = input.statement;
  if (input.inTransaction && effect.kind !== 'read') {
    // No rollback is ours to make inside the user's transaction: run once, and refuse to go on
    // with answers missing rather than write NULLs.
    run.refuseMisses(
      'this statement writes and needs semantic answers that are not known yet, inside BEGIN ... COMMIT, where semsql cannot run it again with them. Run it outside the transaction, or run its SELECT first so the answers are cached.',
    );
    return { result: await singlePass(fixpoint, sql, effect.kind === 'copy' ? 'read' : 'write-in-transaction', 1), passes: 1 };
  }
  if (effect.kind === 'copy') {
    // COPY ... TO writes a file no rollback undoes: settle its source first, then write once.
    const { passes } = await settlePasses(fixpoint, effect.resolveSql, 'read', 0);
    run.refuseMisses('COPY asked about inputs its source did not (a volatile source such as now()); run it again.');
    return { result: await singlePass(fixpoint, sql, 'read', passes + 1), passes: passes + 1 };
  }
  return settlePasses(fixpoint, sql, passMode(effect), 0);
}

/** What a settled call tells the run: the input's answer, where later passes find it, or its error. */
function settleInput(run: QueryRun, outcome: CallOutcome): void {
  const key = outcome.request.rows[0]?.key ?? '';
  const { inputTokens, outputTokens } = outcome.usage;
  if (outcome.status === 'ok' && outcome.value !== undefined) run.settle(key, { value: outcome.value, inputTokens, outputTokens });
  else if (outcome.status === 'error') run.settle(key, { error: outcome.error?.message ?? 'failed' });
}

function cancelled(run: QueryRun): QueryCancelledError {
  return new QueryCancelledError(`query cancelled; the ${run.answeredCount} answers it received are kept in the cache`);
}

function fatalError(error: ProviderErrorInfo, onError: 'null' | 'fail'): Error {
  // The provider's own message already says what is wrong with the key (rejected, missing or
  // unreadable) and where to fix it; wrapping it again said "rejected" even when no key was set.
  if (error.kind === 'auth') return new Error(error.message);
  if (error.kind === 'spend_limit') return new Error(`the model provider refused the call: ${error.message}. Check your account's spend limit.`);
  if (error.kind === 'network')
    return new Error(`the model provider could not be reached, so the query stopped: ${error.message}. Check the endpoint in Settings and your connection.`);
  return new Error(onError === 'fail' ? `a model call failed and the query has "-- @ on_error: fail": ${error.message}` : error.message);
}
