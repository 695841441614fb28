import type { ModelAnswer, ModelRequest, TokenUsage } from '../../protocol/model';
import type { CallOutcome, CallScheduler, CallSession, SessionOptions } from '../../protocol/model-calls';
import { ProviderError } from '../provider';
import { inputTokens, outputCap } from '../request-size';
import type { AdaptiveLimit } from './adaptive-limit';
import { formatWait } from './adaptive-limit';
import { addUsage, mergeRows, NO_USAGE, shareUsage, taskKey } from './batching';
import { BatchSession, type BatchDeps } from './batch-session';
import { ConnectionStats } from './connection-stats';
import { DEFAULT_SIZING, Planner, type Sizing } from './planner';
import type { ProviderLimits, Reservation } from './provider-limits';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './retry';

/** One attempt at one request; rejects with ProviderError. The model workers implement it. */
export interface AttemptCaller {
  call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer>;
  inFlight(): number;
}

export interface SchedulerDeps {
  caller: AttemptCaller;
  /** The provider connection's concurrency limit: shared by every session, so what 429s taught it lasts. */
  limit: AdaptiveLimit;
  /** The provider's per-minute limits (settings and response headers), shared likewise; none for the mock. */
  limits?: ProviderLimits;
  /** Output allowed per row (`max_tokens` of a row asked alone) and the model's context, in tokens. */
  sizing?: Sizing;
  /** Message Batches: the provider's batch API and the ledger that keeps batches across reloads. */
  batches?: BatchDeps;
  retry?: Omit<RetryPolicy, 'maxAttempts'>;
  /** Epoch milliseconds. */
  now?: () => number;
  random?: () => number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const realSchedule = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/**
 * The scheduler of one provider connection (DESIGN.md, "Model calls"): every query opens a session
 * on it; sessions share the adaptive concurrency limit and the per-minute window, so a 429 seen by
 * one query slows the next one too, and each session keeps its own `parallel`, budget, retries and
 * rows per request.
 */
export function createCallScheduler(deps: SchedulerDeps): CallScheduler {
  const open = new Set<Session>();
  const planner = new Planner(deps.limits, deps.sizing ?? DEFAULT_SIZING, new ConnectionStats());
  const rebound = () => {
    // Demand is the sum of the open sessions' parallel; the floor of a quarter keeps random 429s
    // (the mock's fault injection) from stalling a query at one call in flight.
    const demand = [...open].reduce((sum, s) => sum + s.parallel, 0);
    if (demand > 0) deps.limit.setBounds(demand, Math.ceil(demand / 4));
  };
  return {
    session(options) {
      if (options.batchOf && deps.batches) return new BatchSession(options, deps.batches, planner.sizing);
      const session = new Session(options, deps, planner, (s) => {
        open.delete(s);
        rebound();
      });
      open.add(session);
      rebound();
      return session;
    },
    plan(tasks, options) {
      return tasks.map((task) => planner.estimate(task, task.rows.length, options.parallel, options.batch));
    },
    limits: () => planner.known(),
    inFlight: () => deps.caller.inFlight(),
  };
}

/** One submitted row, from submission to its outcome. */
interface Row {
  request: ModelRequest;
  task: string;
  /** Asked alone from now on: its answer inside a larger request was missing or ill-typed. */
  alone: boolean;
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

class Session implements CallSession {
  readonly parallel: number;
  readonly #options: SessionOptions;
  readonly #deps: SchedulerDeps;
  readonly #planner: Planner;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  readonly #onClose: (s: Session) => void;
  /** New rows by task, tasks in arrival order: a request takes rows of the oldest task. */
  readonly #fresh = new Map<string, Row[]>();
  /** Rows to ask alone, first. */
  readonly #alone: Row[] = [];
  /** Requests waiting out a backoff: they hold no lane, so other work runs meanwhile. */
  readonly #waiting: Attempt[] = [];
  /** Rows per request a task may not exceed any more: halved by each `too_large`. */
  readonly #caps = new Map<string, number>();
  #active = 0;
  #attempts = 0;
  #fatal: ProviderError | null = null;
  #cancelWake: (() => void) | null = null;
  #pumpQueued = false;
  #closed = false;

  constructor(options: SessionOptions, deps: SchedulerDeps, planner: Planner, onClose: (s: Session) => void) {
    this.#options = options;
    this.#deps = deps;
    this.#planner = planner;
    this.parallel = Math.max(1, Math.floor(options.parallel));
    this.#now = deps.now ?? (() => performance.timeOrigin + performance.now());
    this.#retry = { ...DEFAULT_RETRY, ...deps.retry, maxAttempts: options.maxAttempts };
    this.#signal = AbortSignal.any([options.signal, this.#stop.signal]);
    this.#onClose = onClose;
    this.#signal.addEventListener('abort', () => this.#drain(), { once: true });
  }

  get attempts(): number {
    return this.#attempts;
  }

  get fatal(): ProviderError | null {
    return this.#fatal;
  }

  etaMs(): number | null {
    const queued = [...this.#fresh.values()].filter((q) => q.length > 0);
    const retrying = this.#alone.length + this.#waiting.reduce((n, a) => n + a.rows.length, 0);
    if (queued.length === 0 && retrying === 0 && this.#active === 0) return null;
    // Tasks share the provider's limits, so their times add up; what is in flight takes one more latency.
    let ms = this.#active > 0 || retrying > 0 ? this.#planner.stats.latencyMs(0) : 0;
    for (const queue of queued) {
      const sample = mergeRows(queue.slice(0, 200).map((r) => r.request));
      ms += this.#planner.estimate(sample, queue.length, this.parallel, this.#options.batch).estimatedMs;
    }
    return Math.round(ms);
  }

  submit(request: ModelRequest): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const row: Row = { request, task: taskKey(request), alone: false, attempts: 0, usage: NO_USAGE, startedAt: 0, resolve };
      if (this.#signal.aborted) return this.#settle(row, this.#cancelled(row));
      const queue = this.#fresh.get(row.task);
      if (queue) queue.push(row);
      else this.#fresh.set(row.task, [row]);
      // Pumped after the current task, so rows submitted together fill one request together.
      if (!this.#pumpQueued) {
        this.#pumpQueued = true;
        queueMicrotask(() => {
          this.#pumpQueued = false;
          this.#pump();
        });
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort(new ProviderError({ kind: 'cancelled', message: 'the query ended' }));
    this.#onClose(this);
  }

  /** Starts ready work while lanes are free: the retry due first, then rows asked alone, then new rows. */
  #pump(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    while (!this.#signal.aborted && this.#active < this.parallel) {
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
    if (soonest >= 0 && this.#active < this.parallel && !this.#signal.aborted) {
      const wait = Math.max(0, (this.#waiting[soonest] as Attempt).readyAt - this.#now());
      this.#cancelWake = (this.#deps.schedule ?? realSchedule)(() => this.#pump(), wait);
    }
  }

  #takeReady(): Attempt | undefined {
    const soonest = this.#soonestWaiting();
    if (soonest >= 0 && (this.#waiting[soonest] as Attempt).readyAt <= this.#now()) return this.#waiting.splice(soonest, 1)[0];
    const alone = this.#alone.shift();
    if (alone) return this.#begin([alone]);
    const next = this.#fresh.entries().next();
    if (next.done) return undefined;
    // While the first request learns the provider's limits, new rows wait for them rather than
    // going out one per request, planned blind.
    if (this.#options.batch === 'auto' && this.#deps.limits?.learning && this.#active > 0) return undefined;
    const [task, queue] = next.value;
    const planned = this.#planner.batchFor(mergeRows(queue.slice(0, 200).map((r) => r.request)), queue.length, this.parallel, this.#options.batch);
    const rows = queue.splice(0, Math.min(planned, this.#caps.get(task) ?? Infinity));
    if (queue.length === 0) this.#fresh.delete(task);
    return this.#begin(rows);
  }

  /** A first request for these rows: the ones never sent before are started now. */
  #begin(rows: Row[]): Attempt {
    for (const row of rows) {
      if (row.startedAt !== 0) continue;
      row.startedAt = this.#now();
      this.#options.onStart?.(row.request);
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
    const { limit, limits, caller } = this.#deps;
    const maxWaitMs = this.#options.maxWaitMs;
    if (this.#attempts >= this.#options.budget) {
      const error = new ProviderError({
        kind: 'budget',
        message: `not sent: the query's budget of ${this.#options.budget} requests is used up (retries count too); raise it with "-- @ budget: N"`,
      });
      for (const row of rows) this.#settle(row, this.#outcome(row, 'error', 0, { error }));
      return;
    }
    // Reserved before any wait, so lanes running side by side cannot overshoot the budget together.
    this.#attempts++;
    const request = mergeRows(rows.map((r) => r.request));
    const { stats, sizing } = this.#planner;
    const estimatedInput = inputTokens(request);
    let sent = false;
    let acquired = false;
    let reservation: Reservation | undefined;
    try {
      await limit.acquire(this.#signal, maxWaitMs);
      acquired = true;
      reservation = await limits?.acquire(
        { requests: 1, inputTokens: stats.inputTokens(estimatedInput), outputTokens: outputCap(request.returns, rows.length, sizing.maxTokensPerRow) },
        this.#signal,
        maxWaitMs,
      );
      sent = true;
      for (const row of rows) row.attempts++;
      const sentAt = this.#now();
      const answer = await caller.call(request, this.#signal);
      // Cache reads do not count towards the input-tokens limit (Anthropic's rate-limit docs).
      const used = { inputTokens: answer.inputTokens - (answer.cacheReadTokens ?? 0), outputTokens: answer.outputTokens };
      if (reservation) limits?.settle(reservation, used);
      stats.observe(taskKey(request), rows.length, this.#now() - sentAt, estimatedInput, used);
      limit.onSuccess();
      this.#answered(rows, answer);
    } catch (thrown) {
      const error = asProviderError(thrown, this.#signal);
      if (reservation) {
        // A 429 or a request that never arrived took nothing from the provider's limits.
        if (error.kind === 'rate_limit' || error.kind === 'network' || error.kind === 'cancelled') limits?.refund(reservation);
        else limits?.failed(reservation);
      }
      // The budget counts billed requests: a 429 is refused before the model runs, and not billed.
      if (!sent || error.kind === 'rate_limit') this.#attempts--;
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
      if (rows.length > 1 && row.attempts < this.#retry.maxAttempts) {
        row.alone = true;
        row.lastError = error;
        this.#alone.push(row);
      } else this.#settle(row, this.#outcome(row, 'error', rows.length, { error }));
    });
  }

  /** A request that failed as a whole: retried after a wait, split when too large, or its rows' error. */
  #failed(attempt: Attempt, error: ProviderError, request: ModelRequest): void {
    const { rows } = attempt;
    const maxWaitMs = this.#options.maxWaitMs;
    if (error.kind === 'cancelled' || this.#signal.aborted) {
      for (const row of rows) this.#settle(row, this.#cancelled(row));
      return;
    }
    for (const row of rows) row.lastError = error;
    if (error.kind === 'too_large' && rows.length > 1) {
      // The prompt overflowed or the answer was cut off: half the rows per request from now on.
      // Only ever down: a larger request that started earlier and overflows late must not raise it.
      const task = taskKey(request);
      this.#caps.set(task, Math.min(this.#caps.get(task) ?? Infinity, Math.max(1, Math.floor(rows.length / 2))));
      const half = Math.ceil(rows.length / 2);
      this.#waiting.push({ rows: rows.slice(0, half), attempt: attempt.attempt, readyAt: 0 }, { rows: rows.slice(half), attempt: attempt.attempt, readyAt: 0 });
      return;
    }
    // A 429 lowers concurrency; its retry-after delays this request's retry (below), not the
    // whole pool: holding every lane on each 429 cost 9× the fault-free time under the mock's
    // 20% random 429s (bench case faults). Pool-wide holds come from rate-limit headers instead.
    if (error.kind === 'rate_limit') this.#deps.limit.onRateLimited();
    const delay = retryDelayMs(error, attempt.attempt, this.#retry, this.#deps.random);
    const final =
      delay === null ? error
      : delay > maxWaitMs ? new ProviderError({
          kind: 'wait_limit',
          retryAfterMs: delay,
          message: `the provider asked to wait ${formatWait(delay)} before retrying (${error.message}), longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
        })
      : null;
    if (final) {
      for (const row of rows) this.#settle(row, this.#outcome(row, 'error', request.rows.length, { error: final }));
      return;
    }
    this.#waiting.push({ rows, attempt: attempt.attempt + 1, readyAt: this.#now() + (delay as number) });
  }

  #outcome(row: Row, status: CallOutcome['status'], rowsInRequest: number, extra: { value?: CallOutcome['value']; error?: ProviderError }): CallOutcome {
    return { request: row.request, status, usage: row.usage, attempts: row.attempts, rowsInRequest, startedAt: row.startedAt, endedAt: this.#now(), ...extra };
  }

  #cancelled(row: Row): CallOutcome {
    return this.#outcome(row, 'cancelled', 1, row.lastError ? { error: row.lastError } : {});
  }

  #settle(row: Row, outcome: CallOutcome): void {
    // Rows that never started were never logged as started either: they only resolve.
    if (row.startedAt !== 0) this.#options.onSettled?.(outcome);
    if (outcome.status === 'error' && outcome.error && !this.#fatal && this.#options.isFatal(outcome.error)) {
      this.#fatal = outcome.error instanceof ProviderError ? outcome.error : new ProviderError(outcome.error);
      this.#stop.abort(this.#fatal);
    }
    row.resolve(outcome);
  }

  /** Cancelled or stopped: everything not in flight settles now; requests in flight settle as they abort. */
  #drain(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    const queued = [...[...this.#fresh.values()].flat(), ...this.#alone.splice(0), ...this.#waiting.splice(0).flatMap((a) => a.rows)];
    this.#fresh.clear();
    for (const row of queued) this.#settle(row, this.#cancelled(row));
  }
}

function asProviderError(thrown: unknown, signal: AbortSignal): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return new ProviderError({ kind: 'cancelled', message: 'cancelled' });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message });
}
