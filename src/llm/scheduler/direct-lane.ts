import type { ModelAnswer, ModelRequest, TokenUsage } from '../../protocol/model';
import type { CallOutcome } from '../../protocol/model-calls';
import { ProviderError } from '../provider';
import { inputTokens, outputCap } from '../request-size';
import type { AdaptiveLimit } from './adaptive-limit';
import { formatWait } from './adaptive-limit';
import { addUsage, mergeRows, NO_USAGE, shareUsage, taskKey } from './batching';
import type { Planner } from './planner';
import type { ProviderLimits, Reservation } from './provider-limits';
import { UNREACHABLE_AFTER, type Reachability } from './reachability';
import type { RequestBudget } from './request-budget';
import { retryDelayMs, type RetryPolicy } from './retry';
import type { SessionOptions } from './session-options';

/** One attempt at one request; rejects with ProviderError. The model workers implement it. */
export interface AttemptCaller {
  call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer>;
  inFlight(): number;
}

/** What a direct lane shares with the rest of its provider connection. */
export interface DirectDeps {
  caller: AttemptCaller;
  /** The connection's concurrency limit: shared by every session, so what 429s taught it lasts. */
  limit: AdaptiveLimit;
  /** The provider's per-minute limits; none for the mock. */
  limits?: ProviderLimits;
  planner: Planner;
  reach: Reachability;
  retry: RetryPolicy;
  now: () => number;
  random?: () => number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule: (fn: () => void, ms: number) => () => void;
}

/** One submitted row, from submission to its outcome. */
interface Row {
  request: ModelRequest;
  task: string;
  /** Requests that carried it. */
  attempts: number;
  usage: TokenUsage;
  startedAt: number;
  lastError?: ProviderError;
  resolve(outcome: CallOutcome): void;
}

/** One request: rows of one task, its attempt number (for backoff) and when it may go. */
interface Attempt {
  rows: Row[];
  attempt: number;
  readyAt: number;
}

/** What a lane reports to its session. */
export interface LaneHooks {
  options: SessionOptions;
  budget: RequestBudget;
  signal: AbortSignal;
  /** Rows per request for a task: the followed plan's, else the planner's for the rows at hand. */
  rowsPerRequest(task: string, sample: ModelRequest, queued: number): number;
  /** True while a followed plan may still submit rows of `task`: a short request waits for them. */
  held(task: string): boolean;
  settle(outcome: CallOutcome, resolve: (outcome: CallOutcome) => void, started: boolean): void;
  /** Stops the whole session with this error (an unreachable provider, a batch that cannot be created). */
  stop(error: ProviderError): void;
}

/**
 * A session's direct requests: rows of one task share requests of the plan's rows per request, up
 * to `parallel` in flight, retried with backoff (a waiting retry holds no lane), paced by the
 * connection's adaptive limit and per-minute limits. A row missing or ill-typed in a larger answer
 * is asked again alone, never guessed; an overflow halves the task's rows per request.
 */
export class DirectLane {
  readonly parallel: number;
  readonly #deps: DirectDeps;
  readonly #hooks: LaneHooks;
  /** New rows by task, tasks in arrival order. */
  readonly #fresh = new Map<string, Row[]>();
  /** Rows to ask alone, first. */
  readonly #alone: Row[] = [];
  /** Requests waiting out a backoff: they hold no lane, so other work runs meanwhile. */
  readonly #waiting: Attempt[] = [];
  /** Rows per request a task may not exceed any more: halved by each `too_large`. */
  readonly #caps = new Map<string, number>();
  #active = 0;
  #cancelWake: (() => void) | null = null;
  #pumpQueued = false;

  constructor(deps: DirectDeps, hooks: LaneHooks) {
    this.#deps = deps;
    this.#hooks = hooks;
    this.parallel = Math.max(1, Math.floor(hooks.options.parallel));
  }

  get busy(): boolean {
    return this.#active > 0 || this.#alone.length > 0 || this.#waiting.length > 0 || this.#fresh.size > 0;
  }

  /** A row of `task` (its key, src/llm/scheduler/batching.ts): queued to share requests with the task's others. */
  submit(request: ModelRequest, task: string, resolve: (outcome: CallOutcome) => void): void {
    const row: Row = { request, task, attempts: 0, usage: NO_USAGE, startedAt: 0, resolve };
    const queue = this.#fresh.get(row.task);
    if (queue) queue.push(row);
    else this.#fresh.set(row.task, [row]);
    this.wake();
  }

  /** Pumps after the current task, so rows submitted together fill requests together. */
  wake(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  etaMs(): number | null {
    const retrying = this.#alone.length + this.#waiting.reduce((n, a) => n + a.rows.length, 0);
    if (this.#fresh.size === 0 && retrying === 0 && this.#active === 0) return null;
    const { planner } = this.#deps;
    // Tasks share the provider's limits, so their times add up; what is in flight takes one more latency.
    let ms = this.#active > 0 || retrying > 0 ? planner.stats.latencyMs(0) : 0;
    for (const [task, queue] of this.#fresh) {
      const sample = mergeRows(queue.slice(0, 200).map((r) => r.request));
      ms += planner.estimate(sample, queue.length, this.parallel, this.#hooks.rowsPerRequest(task, sample, queue.length)).estimatedMs;
    }
    return Math.round(ms);
  }

  /** Cancelled or stopped: everything not in flight settles now; requests in flight settle as they abort. */
  drain(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    const queued = [...[...this.#fresh.values()].flat(), ...this.#alone.splice(0), ...this.#waiting.splice(0).flatMap((a) => a.rows)];
    this.#fresh.clear();
    for (const row of queued) this.#settle(row, this.#cancelled(row));
  }

  /** Starts ready work while lanes are free: the retry due first, then rows asked alone, then new rows. */
  #pump(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    const signal = this.#hooks.signal;
    while (!signal.aborted && this.#active < this.parallel) {
      const attempt = this.#takeReady();
      if (!attempt) break;
      this.#active++;
      void this.#run(attempt).then(() => {
        this.#active--;
        this.#pump();
      });
    }
    // With lanes free and only backoffs left, wake when the first one is due.
    const soonest = this.#soonestWaiting();
    if (soonest >= 0 && this.#active < this.parallel && !signal.aborted) {
      const wait = Math.max(0, (this.#waiting[soonest] as Attempt).readyAt - this.#deps.now());
      this.#cancelWake = this.#deps.schedule(() => this.#pump(), wait);
    }
  }

  #takeReady(): Attempt | undefined {
    const soonest = this.#soonestWaiting();
    if (soonest >= 0 && (this.#waiting[soonest] as Attempt).readyAt <= this.#deps.now()) return this.#waiting.splice(soonest, 1)[0];
    const alone = this.#alone.shift();
    if (alone) return this.#begin([alone]);
    for (const [task, queue] of this.#fresh) {
      const sample = mergeRows(queue.slice(0, 200).map((r) => r.request));
      const size = Math.min(this.#hooks.rowsPerRequest(task, sample, queue.length), this.#caps.get(task) ?? Infinity);
      // A short request waits while the plan's rows are still being submitted: it would be one more request than planned.
      if (queue.length < size && this.#hooks.held(task)) continue;
      const rows = queue.splice(0, size);
      if (queue.length === 0) this.#fresh.delete(task);
      return this.#begin(rows);
    }
    return undefined;
  }

  /** A first request for these rows: the ones never sent before are started now. */
  #begin(rows: Row[]): Attempt {
    for (const row of rows) {
      if (row.startedAt !== 0) continue;
      row.startedAt = this.#deps.now();
      this.#hooks.options.onStart?.(row.request);
    }
    return { rows, attempt: 1 + Math.max(...rows.map((r) => r.attempts)), readyAt: 0 };
  }

  /** A scan: the list is short, and it changes on every attempt. */
  #soonestWaiting(): number {
    let best = -1;
    for (let i = 0; i < this.#waiting.length; i++) if (best < 0 || (this.#waiting[i] as Attempt).readyAt < (this.#waiting[best] as Attempt).readyAt) best = i;
    return best;
  }

  /** One request for an attempt's rows; every row ends settled, queued to be asked alone, or waiting to retry. */
  async #run(attempt: Attempt): Promise<void> {
    const { rows } = attempt;
    const { budget, signal, options } = this.#hooks;
    // Reserved before any wait, so lanes running side by side cannot overshoot the budget together.
    if (!budget.take()) {
      const error = new ProviderError({ kind: 'budget', message: budget.refusal() });
      for (const row of rows) this.#settle(row, this.#outcome(row, 'error', 0, { error }));
      return;
    }
    const request = mergeRows(rows.map((r) => r.request));
    const { limit, limits, caller, planner, reach } = this.#deps;
    const estimatedInput = inputTokens(request);
    let sent = false;
    let acquired = false;
    let reservation: Reservation | undefined;
    try {
      await limit.acquire(signal, options.maxWaitMs);
      acquired = true;
      const outputTokens = outputCap(request.returns, rows.length, planner.sizing.maxTokensPerRow);
      reservation = await limits?.acquire({ requests: 1, inputTokens: planner.stats.inputTokens(estimatedInput), outputTokens }, signal, options.maxWaitMs);
      sent = true;
      for (const row of rows) row.attempts++;
      const sentAt = this.#deps.now();
      const answer = await caller.call(request, signal);
      reach.answered();
      // Cache reads do not count towards the input-tokens limit (Anthropic's rate-limit docs).
      const used = { inputTokens: answer.inputTokens - (answer.cacheReadTokens ?? 0), outputTokens: answer.outputTokens };
      if (reservation) limits?.settle(reservation, used);
      planner.stats.observe(taskKey(request), rows.length, this.#deps.now() - sentAt, estimatedInput, used);
      limit.onSuccess();
      this.#answered(rows, answer);
    } catch (thrown) {
      const error = asProviderError(thrown, signal);
      if (reservation) {
        // A 429 or a request that never arrived took nothing from the provider's limits.
        if (error.kind === 'rate_limit' || error.kind === 'network' || error.kind === 'cancelled') limits?.refund(reservation);
        else limits?.failed(reservation);
      }
      // The budget counts billed requests: a 429 is refused before the model runs, and not billed.
      if (!sent || error.kind === 'rate_limit') budget.giveBack();
      if (sent && reach.failed(error.kind)) this.#hooks.stop(unreachable(error));
      this.#failed(attempt, error, request);
    } finally {
      if (acquired) limit.release();
    }
  }

  /** Each row's answer settles it; a row left out or ill-typed in a larger request is asked again alone, never guessed. */
  #answered(rows: Row[], answer: ModelAnswer): void {
    const shares = shareUsage(answer, rows.length);
    rows.forEach((row, i) => {
      row.usage = addUsage(row.usage, shares[i] as TokenUsage);
      const result = answer.rows[i];
      if (result?.ok) return this.#settle(row, this.#outcome(row, 'ok', rows.length, { value: result.value }));
      const error = new ProviderError({ kind: 'malformed', message: result?.error ?? 'no answer for this row' });
      if (rows.length > 1 && row.attempts < this.#deps.retry.maxAttempts) {
        row.lastError = error;
        this.#alone.push(row);
      } else this.#settle(row, this.#outcome(row, 'error', rows.length, { error }));
    });
  }

  /** A request that failed as a whole: retried after a wait, split when too large, or its rows' error. */
  #failed(attempt: Attempt, error: ProviderError, request: ModelRequest): void {
    const { rows } = attempt;
    if (error.kind === 'cancelled' || this.#hooks.signal.aborted) {
      for (const row of rows) this.#settle(row, this.#cancelled(row));
      return;
    }
    for (const row of rows) row.lastError = error;
    if (error.kind === 'too_large' && rows.length > 1) return this.#split(attempt, request);
    // A 429 lowers concurrency; its retry-after delays this request's retry (below), not the
    // whole pool: holding every lane on each 429 cost 9× the fault-free time under the mock's
    // 20% random 429s (bench case faults). Pool-wide holds come from rate-limit headers instead.
    if (error.kind === 'rate_limit') this.#deps.limit.onRateLimited();
    const delay = retryDelayMs(error, attempt.attempt, this.#deps.retry, this.#deps.random);
    const maxWaitMs = this.#hooks.options.maxWaitMs;
    const final =
      delay === null
        ? error
        : delay > maxWaitMs
          ? new ProviderError({
              kind: 'wait_limit',
              retryAfterMs: delay,
              message: `the provider asked to wait ${formatWait(delay)} before retrying (${error.message}), longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
            })
          : null;
    if (final) {
      for (const row of rows) this.#settle(row, this.#outcome(row, 'error', request.rows.length, { error: final }));
      return;
    }
    this.#waiting.push({ rows, attempt: attempt.attempt + 1, readyAt: this.#deps.now() + (delay as number) });
  }

  /**
   * The prompt overflowed or the answer was cut off: half the rows per request from now on. Only
   * ever down: a larger request that started earlier and overflows late must not raise it.
   */
  #split(attempt: Attempt, request: ModelRequest): void {
    const { rows } = attempt;
    const task = taskKey(request);
    this.#caps.set(task, Math.min(this.#caps.get(task) ?? Infinity, Math.max(1, Math.floor(rows.length / 2))));
    const half = Math.ceil(rows.length / 2);
    this.#waiting.push({ rows: rows.slice(0, half), attempt: attempt.attempt, readyAt: 0 }, { rows: rows.slice(half), attempt: attempt.attempt, readyAt: 0 });
  }

  #outcome(row: Row, status: CallOutcome['status'], rowsInRequest: number, extra: { value?: CallOutcome['value']; error?: ProviderError }): CallOutcome {
    const costUsd = this.#deps.planner.deps.price(row.request.model, row.usage, false);
    return {
      request: row.request,
      status,
      usage: row.usage,
      costUsd,
      attempts: row.attempts,
      rowsInRequest,
      startedAt: row.startedAt,
      endedAt: this.#deps.now(),
      ...extra,
    };
  }

  #cancelled(row: Row): CallOutcome {
    return this.#outcome(row, 'cancelled', 1, row.lastError ? { error: row.lastError } : {});
  }

  #settle(row: Row, outcome: CallOutcome): void {
    this.#hooks.settle(outcome, row.resolve, row.startedAt !== 0);
  }
}

function unreachable(error: ProviderError): ProviderError {
  return new ProviderError({ kind: 'network', message: `${error.message} (${UNREACHABLE_AFTER} requests in a row failed, and none was ever answered)` });
}

function asProviderError(thrown: unknown, signal: AbortSignal): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return new ProviderError({ kind: 'cancelled', message: 'cancelled' });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message });
}
