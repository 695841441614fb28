import type { AnswerCache } from '../cache/answer-cache';
import { costUsd, type PricingTable } from '../llm/pricing';
import { ProviderError } from '../llm/provider';
import { AdaptiveLimit } from '../llm/adaptive-limit';
import type { RateWindow } from '../llm/rate-window';
import { DEFAULT_RETRY } from '../llm/retry';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { EngineSettings } from '../protocol/settings';
import type { QueryStatement } from '../sql';
import type { CallLogSink, CallRecord } from './call-log';
import { runPool, type CallOutcome, type ModelCaller } from './model-pool';
import { modelRequest } from './model-request';
import { QueryRun, type Miss } from './query-run';

export interface ExecutorDeps<R> {
  /** Runs one pass of the rewritten SQL with `run` as the bridge's active query (synchronous). */
  runPass(sql: string, run: QueryRun): R;
  rowCount(result: R): number;
  cache: AnswerCache;
  caller: ModelCaller;
  log: CallLogSink;
  /** Requests/tokens-per-minute limits shared by every query (settings). */
  rateWindow?: RateWindow;
  pricing?: PricingTable;
  now?: () => number;
  progressIntervalMs?: number;
}

export interface ExecuteInput {
  queryId: string;
  statement: Pick<QueryStatement, 'sql' | 'options'>;
  settings: EngineSettings;
  signal: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
  /** For statements eligible for early LIMIT answers (src/sql/early-limit.ts); null otherwise. */
  early?: { limit: number; wave?: number } | null;
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
 * The fixpoint executor (DESIGN.md, "How a query runs"): run a pass; if the bridge recorded misses,
 * throw the pass's result away, resolve every distinct miss (IndexedDB first, then the model pool
 * with N calls in flight), and run again, until a pass records no miss. That pass's result was
 * computed with every semantic value known.
 */
export async function executeQuery<R>(deps: ExecutorDeps<R>, input: ExecuteInput): Promise<ExecuteOutput<R>> {
  const { statement, settings, signal, queryId } = input;
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const options = statement.options;
  const model = options.model ?? settings.model;
  const parallel = options.parallel ?? settings.parallel;
  const budget = options.budget ?? settings.budget;
  const run = new QueryRun(queryId, { model, temperature: options.temperature ?? 0, instructions: options.instructions }, options.cache, deps.cache);
  const started = now();
  const progress: QueryProgress = {
    queryId, phase: 'pass', pass: 0, queued: 0, inFlight: 0, done: 0, cached: 0, failed: 0,
    inputTokens: 0, outputTokens: 0, costUsd: 0, elapsedMs: 0,
  };
  let attempts = 0;
  let calls = 0;
  const early = input.early ?? null;
  let wave = early ? (early.wave ?? Math.max(parallel, 2 * early.limit)) : Infinity;
  /** Early LIMIT: inputs resolved so far (called or found in IndexedDB), for the match rate. */
  let known = 0;

  /** The first `want` misses in scan order that IndexedDB cannot answer; it is read in slices. */
  const uncachedInOrder = async (misses: Miss[], want: number): Promise<Miss[]> => {
    const out: Miss[] = [];
    const slice = Math.max(want, 256);
    for (let i = 0; i < misses.length && out.length < want; i += slice) {
      const part = misses.slice(i, i + slice);
      const found = run.cacheMode === 'on' ? await deps.cache.load(part.map((m) => ({ key: m.key, prefix: run.prefix(m.operator) }))) : new Set<string>();
      known += found.size;
      for (const m of part) {
        if (out.length >= want) break;
        if (!found.has(m.key)) out.push(m);
      }
    }
    return out;
  };
  const emit = () => {
    progress.elapsedMs = now() - started;
    progress.cached = run.cachedCount();
    input.onProgress?.({ ...progress });
  };
  const ticker = input.onProgress ? setInterval(emit, deps.progressIntervalMs ?? 200) : null;

  const record = (outcome: CallOutcome) => {
    const { request, answer } = outcome;
    const inputTokens = answer?.inputTokens ?? 0;
    const outputTokens = answer?.outputTokens ?? 0;
    const cost = costUsd(model, inputTokens, outputTokens, deps.pricing);
    attempts += outcome.attempts;
    progress.inFlight--;
    progress.inputTokens += inputTokens;
    progress.outputTokens += outputTokens;
    progress.costUsd += cost;
    if (outcome.status === 'ok' && answer) {
      run.answer(request.key, { value: answer.value, inputTokens, outputTokens });
      progress.done++;
    } else if (outcome.status === 'error') {
      run.failed.set(request.key, outcome.error?.message ?? 'failed');
      progress.failed++;
    }
    if (outcome.status !== 'cancelled') calls++;
    deps.log.call(callRecord(queryId, model, outcome, cost));
  };

  try {
    for (let pass = 1; ; pass++) {
      if (signal.aborted) throw cancelled(run);
      if (pass > settings.maxPasses) {
        throw new Error(
          `the query did not settle after ${settings.maxPasses} passes: each pass asked about inputs the previous one did not ` +
            '(a volatile source such as random() without setseed, now(), or a table changing while it runs). Make the input stable and run it again.',
        );
      }
      progress.pass = pass;
      progress.phase = 'pass';
      emit();
      run.beginPass();
      const result = deps.runPass(statement.sql, run);
      const misses = [...run.misses.values()];
      // Early LIMIT: unknown conditions filtered their rows out, so k rows back are k correct rows.
      if (misses.length === 0 || (early && deps.rowCount(result) >= early.limit)) {
        progress.phase = 'done';
        return { result, stats: stats(pass) };
      }

      progress.phase = 'resolving';
      let toCall: Miss[];
      if (early) {
        // Waves in scan order (misses keep the order the bridge met them). After the first wave,
        // the match rate so far sizes the next one; with no match yet, it doubles.
        const returned = deps.rowCount(result);
        if (pass > 1) wave = early.wave ?? (returned > 0 ? Math.max(parallel, Math.ceil(((early.limit - returned) * known) / returned)) : wave * 2);
        toCall = await uncachedInOrder(misses, wave);
        known += toCall.length;
      } else {
        const found = run.cacheMode === 'on' ? await deps.cache.load(misses.map((m) => ({ key: m.key, prefix: run.prefix(m.operator) }))) : new Set<string>();
        toCall = misses.filter((m) => !found.has(m.key));
      }
      if (calls + toCall.length > budget) {
        throw new Error(
          `this query needs ${toCall.length} model call${toCall.length === 1 ? '' : 's'} in pass ${pass}` +
            `${calls > 0 ? ` after ${calls} already made` : ''}, over its budget of ${budget}. Nothing was called for this pass. ` +
            `Narrow the query (a WHERE or LIMIT before the semantic operator) or raise the budget with "-- @ budget: ${calls + toCall.length}".`,
        );
      }
      progress.queued += toCall.length;
      emit();
      // A floor of a quarter of `parallel`: 429s lower concurrency, retry-after holds new calls,
      // but a provider that rate-limits at random (the mock's faults) cannot stall the query at 1.
      const limit = new AdaptiveLimit({ max: parallel, min: Math.ceil(parallel / 4) });
      const unsubscribe = deps.caller.onRateLimit?.((hint) => limit.onHint(hint));
      await runPool(
        toCall.map((miss) => modelRequest(miss.key, miss.operator, miss.args, run.scope)),
        deps.caller,
        {
          parallel,
          signal,
          retry: { ...DEFAULT_RETRY, maxAttempts: settings.maxAttempts },
          onStart: () => {
            progress.queued--;
            progress.inFlight++;
          },
          onSettled: record,
          isFatal: (error) => error.kind === 'auth' || error.kind === 'spend_limit' || options.on_error === 'fail',
          limit,
          ...(deps.rateWindow ? { rateWindow: deps.rateWindow } : {}),
        },
      )
        .catch((error: unknown) => {
          throw error instanceof ProviderError ? fatalError(error, options.on_error) : error;
        })
        .finally(() => unsubscribe?.());
      progress.queued = 0;
      if (signal.aborted) throw cancelled(run);
    }
  } finally {
    if (ticker) clearInterval(ticker);
    for (const [operator, answers] of run.cachedByOperator) {
      const at = now();
      deps.log.call({
        query_id: queryId, operator, model, started_at: at, ended_at: at, duration_ms: 0, status: 'cached', attempts: 0,
        input_tokens: 0, output_tokens: 0, cost_usd: 0, error: null, answers,
      });
    }
    await deps.cache.flush();
  }

  function stats(passes: number): QueryStats {
    return {
      passes,
      calls,
      cached: run.cachedCount(),
      errors: run.failed.size,
      attempts,
      wall_ms: now() - started,
      input_tokens: progress.inputTokens,
      output_tokens: progress.outputTokens,
      cost_usd: progress.costUsd,
    };
  }
}

function callRecord(queryId: string, model: string, outcome: CallOutcome, cost: number): CallRecord {
  return {
    query_id: queryId,
    operator: outcome.request.operator,
    model,
    started_at: outcome.startedAt,
    ended_at: outcome.endedAt,
    duration_ms: outcome.endedAt - outcome.startedAt,
    status: outcome.status,
    attempts: outcome.attempts,
    input_tokens: outcome.answer?.inputTokens ?? 0,
    output_tokens: outcome.answer?.outputTokens ?? 0,
    cost_usd: cost,
    error: outcome.error?.message ?? null,
    answers: 1,
  };
}

function cancelled(run: QueryRun): QueryCancelledError {
  return new QueryCancelledError(`query cancelled; the ${run.answeredCount} answers it received are kept in the cache`);
}

function fatalError(error: ProviderError, onError: 'null' | 'fail'): Error {
  // The provider's own message already says what is wrong with the key (rejected, missing or
  // unreadable) and where to fix it; wrapping it again said "rejected" even when no key was set.
  if (error.kind === 'auth') return new Error(error.message);
  if (error.kind === 'spend_limit') return new Error(`the model provider refused the call: ${error.message}. Check your account's spend limit.`);
  return new Error(onError === 'fail' ? `a model call failed and the query has "-- @ on_error: fail": ${error.message}` : error.message);
}
