import type { AnswerCache } from '../cache/answer-cache';
import { requireBatchEndpoint } from '../llm/batch-endpoint';
import { costUsd } from '../llm/pricing';
import type { PricingTable } from '../protocol/settings';
import type { CallOutcome, CallScheduler } from '../protocol/model-calls';
import type { ProviderErrorInfo } from '../protocol/model';
import type { CascadeReport, QueryProgress, QueryStats } from '../protocol/progress';
import type { EngineSettings } from '../protocol/settings';
import { hashString, type OperatorDef, type StatementEffect, type StatementOptions } from '../sql';
import type { CallLogSink, CallRecord } from '../protocol/call-log';
import type { InflightRegistry } from './inflight-registry';
import { answerScope } from './cache-key';
import { planMisses, requestCount } from './call-plan';
import { resolveWithCascade, type CascadeContext } from './cascade-resolver';
import { CallCounts } from './call-counts';
import { callRecord } from './call-record';
import { BudgetExceededError, loadKnown, loadKnownPrefix, resolveMisses, type ResolveContext } from './miss-resolver';
import { modelRequest } from './model-request';
import { passMode, runPass, type Database } from './pass-runner';
import { QueryRun, type Miss } from './query-run';
import { WavePlanner } from './wave-planner';

export type { Database, RunSql } from './pass-runner';

export interface ExecutorDeps<R> {
  db: Database<R>;
  cache: AnswerCache;
  scheduler: CallScheduler;
  registry: InflightRegistry;
  log: CallLogSink;
  pricing?: PricingTable;
  now?: () => number;
  progressIntervalMs?: number;
  /** The operator whose vectors score rows for cascades (embed); without it, no cascade runs. */
  proxy?: OperatorDef;
  /** Inputs held by pending Message Batches (src/engine/batch-keeper.ts): waited for, never asked twice. */
  heldByBatch?(keys: readonly string[]): Promise<Map<string, Promise<void>>>;
}

export interface ExecuteInput {
  queryId: string;
  statement: { sql: string; options: StatementOptions; effect: StatementEffect; callSites?: readonly unknown[] };
  settings: EngineSettings;
  /** The answer-cache scope's provider identity (mock, or provider + endpoint). */
  provider: string;
  signal: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
  /** For statements eligible for early LIMIT answers (src/sql/early-limit.ts); null otherwise. */
  early?: { limit: number; wave?: number } | null;
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
 * New inputs a pass may record before it is checked against the budget (at least this many, so a
 * warm start with 100k answers in IndexedDB never stops early; measured: 200k misses are recorded
 * in well under a second, and their cache check takes one range read).
 */
const PROBE_FLOOR = 200_000;

/**
 * The fixpoint executor (DESIGN.md, "How a query runs"): run a pass; if the bridge recorded misses,
 * throw the pass's result away, resolve every distinct miss (src/engine/miss-resolver.ts), and run
 * again, until a pass records no miss. That pass's result was computed with every semantic value
 * known. A write is rolled back on every pass that lacks answers and committed on the one that has
 * them all, so it takes effect exactly once (src/engine/pass-runner.ts).
 */
export async function executeQuery<R>(deps: ExecutorDeps<R>, input: ExecuteInput): Promise<ExecuteOutput<R>> {
  const { statement, settings, signal, queryId } = input;
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const options = statement.options;
  // A batch query with nowhere to send its batches fails here, before anything is sent.
  if (options.mode === 'batch') requireBatchEndpoint(settings);
  const model = options.model ?? settings.model;
  const parallel = options.parallel ?? settings.parallel;
  const budget = options.budget ?? settings.budget;
  const batch = options.batch ?? settings.batchSize;
  const run = new QueryRun(queryId, answerScope(input.provider, settings, options), options.cache, deps.cache);
  const started = now();
  const progress: Omit<QueryProgress, 'calls'> = {
    queryId, phase: 'pass', pass: 0, queued: 0, inFlight: 0, done: 0, cached: 0, failed: 0,
    inputTokens: 0, outputTokens: 0, costUsd: 0, elapsedMs: 0, etaMs: null,
  };
  /** Calls settled since the last progress event. */
  let settled: CallRecord[] = [];
  const counts = new CallCounts();
  const emit = () => {
    progress.elapsedMs = now() - started;
    progress.etaMs = progress.phase === 'resolving' ? session.etaMs() : null;
    progress.cached = run.cachedCount();
    input.onProgress?.({ ...progress, calls: settled });
    settled = [];
  };
  const ticker = input.onProgress ? setInterval(emit, deps.progressIntervalMs ?? 200) : null;

  const record = (outcome: CallOutcome) => {
    const key = outcome.request.rows[0]?.key ?? '';
    const { inputTokens, outputTokens } = outcome.usage;
    // Each row's share of the requests that carried it: the shares add up to the bill.
    // Priced by the model that answered (an embedding operator's is the embeddings model).
    const cost = costUsd(outcome.request.model, outcome.usage, deps.pricing, { batch: outcome.billing === 'batch' });
    progress.inFlight--;
    progress.inputTokens += inputTokens;
    progress.outputTokens += outputTokens;
    progress.costUsd += cost;
    if (outcome.status === 'ok' && outcome.value !== undefined) {
      run.answer(key, { value: outcome.value, inputTokens, outputTokens });
      progress.done++;
    } else if (outcome.status === 'error') {
      run.failed.set(key, outcome.error?.message ?? 'failed');
      progress.failed++;
    }
    counts.record(outcome);
    const entry = callRecord(queryId, outcome.request.model, outcome, cost);
    deps.log.call(entry);
    if (input.onProgress) settled.push(entry);
  };

  const session = deps.scheduler.session({
    parallel,
    signal,
    maxAttempts: settings.maxAttempts,
    budget,
    maxWaitMs: settings.maxWaitMs,
    batch,
    ...(options.mode === 'batch' ? { batchOf: { provider: input.provider, queryId, sql: input.source ?? statement.sql } } : {}),
    // A provider that rejects the key or has never been reached stops the query at once, with one
    // message, instead of ending "done" with every value NULL.
    isFatal: (error) => error.kind === 'auth' || error.kind === 'spend_limit' || (error.kind === 'network' && progress.done === 0) || options.on_error === 'fail',
    onStart: () => {
      progress.queued = Math.max(0, progress.queued - 1);
      progress.inFlight++;
    },
    onSettled: record,
  });
  const ctx: ResolveContext = {
    run,
    cache: deps.cache,
    registry: deps.registry,
    session,
    signal,
    request: (miss) => modelRequest(miss.key, miss.operator, miss.args, run.scope),
    onSubmit: () => {
      progress.queued++;
    },
    ...(deps.heldByBatch ? { heldByBatch: deps.heldByBatch } : {}),
    // A batch query waits for batches as long as they take; a direct one no longer than any wait.
    batchWaitMs: options.mode === 'batch' ? Infinity : settings.maxWaitMs,
  };

  // Cascades (docs/cascades.md): the statement's targets, else the settings'; seeded by the statement
  // so a rerun draws the same sample and asks nothing new.
  const targets = options.cascade ?? settings.cascade;
  const cascades: CascadeReport[] = [];
  const cascade: CascadeContext | null = targets !== 'off' && deps.proxy
    ? {
        targets,
        proxy: deps.proxy,
        seed: (targets as { seed?: number }).seed ?? Number.parseInt(hashString(statement.sql).slice(0, 8), 16),
        log: (entry) => {
          deps.log.call(entry);
          if (input.onProgress) settled.push(entry);
        },
        report: (r) => cascades.push(r),
      }
    : null;

  const stats = (passes: number): QueryStats => ({
    passes,
    ...counts.stats(),
    cached: run.cachedCount(),
    errors: run.failed.size,
    // Requests sent (each may be billed), retries included: rows sharing a request count once.
    attempts: session.attempts,
    wall_ms: now() - started,
    input_tokens: progress.inputTokens,
    output_tokens: progress.outputTokens,
    cost_usd: progress.costUsd,
    ...(cascades.length > 0 ? { cascades: [...cascades] } : {}),
  });

  try {
    const effect = statement.effect;
    if (input.inTransaction && effect.kind !== 'read') {
      // No rollback is ours to make inside the user's transaction: run once, and refuse to go on
      // with answers missing rather than write NULLs.
      run.strict = 'this statement writes and needs semantic answers that are not known yet, inside BEGIN ... COMMIT, where semsql cannot run it again with them. Run it outside the transaction, or run its SELECT first so the answers are cached.';
      const result = await onePass(effect.kind === 'copy' ? 'read' : 'write-in-transaction', statement.sql);
      return { result, stats: stats(1) };
    }
    if (effect.kind === 'copy') {
      // COPY ... TO writes a file no rollback undoes: settle its source first, then write once.
      const settled = await settle(effect.resolveSql, 'read', 0);
      run.strict = 'COPY asked about inputs its source did not (a volatile source such as now()); run it again.';
      const result = await onePass('read', statement.sql);
      return { result, stats: stats(settled + 1) };
    }
    const { result, passes } = await settleWithResult(statement.sql, passMode(effect), 0);
    return { result, stats: stats(passes) };
  } catch (error) {
    if (signal.aborted) throw cancelled(run);
    throw error;
  } finally {
    session.close();
    if (ticker) clearInterval(ticker);
    for (const [operator, answers] of run.cachedByOperator) {
      const at = now();
      deps.log.call({
        query_id: queryId, operator, model, started_at: at, ended_at: at, duration_ms: 0, status: 'cached', attempts: 0,
        input_tokens: 0, output_tokens: 0, cost_usd: 0, error: null, answers, rows_in_request: 0,
      });
    }
    await deps.cache.flush();
  }

  async function onePass(mode: 'read' | 'write-in-transaction', sql: string): Promise<R> {
    progress.pass++;
    run.beginPass();
    return runPass(deps.db, sql, run, mode, signal, queryId);
  }

  async function settle(sql: string, mode: 'read' | 'write', firstPass: number): Promise<number> {
    return (await settleWithResult(sql, mode, firstPass)).passes;
  }

  /** Passes until one records no miss (or, early LIMIT, returns its k rows). */
  async function settleWithResult(sql: string, mode: 'read' | 'write', firstPass: number): Promise<{ result: R; passes: number }> {
    const early = mode === 'read' ? (input.early ?? null) : null;
    const waves = early ? new WavePlanner(early, parallel) : null;
    let waveCalled = false;
    // A dependency level costs a pass: each operator call site (written, or inside a view or macro)
    // can add at most one, so the cap grows with them; maxPasses is the floor.
    const depth = (statement.callSites?.length ?? 0) + deps.db.hiddenOperatorCalls();
    const cap = Math.max(settings.maxPasses, depth + 2);
    let expected: Set<string> | null = null;
    let unstable = 0;
    let depthPasses = 0;
    run.missLimit = Math.max(PROBE_FLOOR, budget + 1);
    for (let pass = firstPass + 1; ; pass++) {
      if (signal.aborted) throw cancelled(run);
      if (depthPasses >= cap) throw notSettled(pass - 1, unstable > 0, depth);
      progress.pass = pass;
      progress.phase = 'pass';
      emit();
      run.beginPass(expected);
      let result: R | undefined;
      try {
        result = await runPass(deps.db, sql, run, mode, signal, queryId);
      } catch (error) {
        if (!run.overflowed) throw error;
      }
      const misses = [...run.misses.values()];
      if (run.overflowed) {
        await probeBudget(misses, pass);
        continue;
      }
      const rows = deps.db.rowCount(result as R);
      // Early LIMIT: unknown conditions filtered their rows out, so k rows back are k correct rows.
      if (misses.length === 0 || (early && rows >= early.limit)) {
        progress.phase = 'done';
        return { result: result as R, passes: pass - firstPass };
      }
      // A pass that asked for none of the answers just resolved, but for new inputs, is reading
      // different data each time (a volatile source), not going one dependency level deeper.
      unstable = expected !== null && run.rehits === 0 ? unstable + 1 : 0;
      progress.phase = 'resolving';
      emit();
      let resolve: Miss[] = misses;
      if (waves) {
        const found = await loadKnownPrefix(misses, ctx);
        if (found > 0) {
          // Stored answers first: the next pass may already have its k rows, for no call.
          waves.found(found);
          expected = new Set(misses.slice(0, found).map((m) => m.key));
          continue;
        }
        resolve = waves.next(misses, rows, !waveCalled);
        waveCalled = true;
      } else {
        depthPasses++;
      }
      const check = (toCall: readonly Miss[]) => checkBudget(toCall, pass);
      if (cascade) await resolveWithCascade(resolve, ctx, check, cascade);
      else await resolveMisses(resolve, ctx, check);
      progress.queued = 0;
      if (session.fatal) throw fatalError(session.fatal, options.on_error);
      if (signal.aborted) throw cancelled(run);
      expected = new Set(resolve.map((m) => m.key));
    }
  }

  /** A pass stopped at its miss limit: what is not stored must fit the budget before it scans on. */
  async function probeBudget(misses: Miss[], pass: number): Promise<void> {
    const unknown = await loadKnown(misses, ctx);
    for (const miss of unknown) run.needsCall.add(miss.key);
    const left = budget - session.attempts;
    // Rows per request scale the count: this probe's misses as planned, for all counted so far.
    const needed = batch === 1 || unknown.length === 0 ? run.needsCall.size : Math.ceil((run.needsCall.size * requestsFor(unknown)) / unknown.length);
    if (needed > left) {
      throw new BudgetExceededError(
        `this query needs more than ${needed.toLocaleString('en-US')} model calls in pass ${pass} (semsql stopped counting there)` +
          `${session.attempts > 0 ? ` after ${session.attempts} requests already made` : ''}, over its budget of ${budget}. Nothing was called for this pass. ` +
          'Narrow the query (a WHERE or LIMIT before the semantic operator) or raise the budget with "-- @ budget: N".',
      );
    }
  }

  /** Requests `toCall` needs, as the session will send them (rows per request included). */
  function requestsFor(toCall: readonly Miss[]): number {
    return requestCount(planMisses(toCall, run.scope, deps.scheduler, { parallel, batch }));
  }

  function checkBudget(toCall: readonly Miss[], pass: number): void {
    const made = session.attempts;
    // Without rows per request, each input is one request: no need to plan.
    const needed = batch === 1 ? toCall.length : requestsFor(toCall);
    if (made + needed <= budget) return;
    throw new BudgetExceededError(
      `this query needs ${needed} model call${needed === 1 ? '' : 's'} in pass ${pass}` +
        `${made > 0 ? ` after ${made} already made` : ''}, over its budget of ${budget}. Nothing was called for this pass. ` +
        `Narrow the query (a WHERE or LIMIT before the semantic operator) or raise the budget with "-- @ budget: ${made + needed}".`,
    );
  }

  function notSettled(pass: number, volatile: boolean, depth: number): Error {
    if (volatile) {
      return new Error(
        `the query did not settle after ${pass} passes: each pass asked about inputs the previous one did not, and none it had just answered ` +
          '(a volatile source such as random() without setseed, now(), or a table changing while it runs). Make the input stable and run it again.',
      );
    }
    return new Error(
      `the query did not settle after ${pass} passes, more than its ${depth} semantic operator call${depth === 1 ? '' : 's'} can explain as dependency levels ` +
        '(part of the input changes from pass to pass, or a recursive query keeps asking). Make the input stable, or raise maxPasses in settings.',
    );
  }
}


function cancelled(run: QueryRun): QueryCancelledError {
  return new QueryCancelledError(`query cancelled; the ${run.answeredCount} answers it received are kept in the cache`);
}

function fatalError(error: ProviderErrorInfo, onError: 'null' | 'fail'): Error {
  // The provider's own message already says what is wrong with the key (rejected, missing or
  // unreadable) and where to fix it; wrapping it again said "rejected" even when no key was set.
  if (error.kind === 'auth') return new Error(error.message);
  if (error.kind === 'spend_limit') return new Error(`the model provider refused the call: ${error.message}. Check your account's spend limit.`);
  if (error.kind === 'network') return new Error(`the model provider could not be reached, so the query stopped: ${error.message}. Check the endpoint in Settings and your connection.`);
  return new Error(onError === 'fail' ? `a model call failed and the query has "-- @ on_error: fail": ${error.message}` : error.message);
}

