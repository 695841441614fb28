import type { CallOutcome, CallScheduler, CallSession, SessionOptions } from '../../protocol/model-calls';
import { estimateTokens } from '../prompt';
import { ProviderError } from '../provider';
import type { ModelAnswer, ModelRequest } from '../../protocol/model';
import type { AdaptiveLimit } from './adaptive-limit';
import { formatWait } from './adaptive-limit';
import type { RateWindow } from './rate-window';
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
  /** Optional requests/tokens-per-minute limits from settings, shared likewise. */
  rateWindow?: RateWindow;
  retry?: Omit<RetryPolicy, 'maxAttempts'>;
  /** Epoch milliseconds. */
  now?: () => number;
  random?: () => number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/** Output tokens assumed for a call before it is made, for the tokens-per-minute window. */
const OUTPUT_GUESS = 30;

const realSchedule = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/**
 * The scheduler of one provider connection (DESIGN.md, "Model calls"): every query opens a session
 * on it; sessions share the adaptive concurrency limit and the per-minute window, so a 429 seen by
 * one query slows the next one too, and each session keeps its own `parallel`, budget and retries.
 */
export function createCallScheduler(deps: SchedulerDeps): CallScheduler {
  const open = new Set<Session>();
  const rebound = () => {
    // Demand is the sum of the open sessions' parallel; the floor of a quarter keeps random 429s
    // (the mock's fault injection) from stalling a query at one call in flight.
    const demand = [...open].reduce((sum, s) => sum + s.parallel, 0);
    if (demand > 0) deps.limit.setBounds(demand, Math.ceil(demand / 4));
  };
  return {
    session(options) {
      const session = new Session(options, deps, (s) => {
        open.delete(s);
        rebound();
      });
      open.add(session);
      rebound();
      return session;
    },
    inFlight: () => deps.caller.inFlight(),
  };
}

/** A request between attempts, or before its first. */
interface Job {
  request: ModelRequest;
  /** The attempt about to be made (1-based). */
  attempt: number;
  startedAt: number;
  /** When a retry may start (epoch ms); 0 for a request never tried. */
  readyAt: number;
  lastError?: ProviderError;
  resolve(outcome: CallOutcome): void;
}

class Session implements CallSession {
  readonly parallel: number;
  readonly #options: SessionOptions;
  readonly #deps: SchedulerDeps;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  readonly #onClose: (s: Session) => void;
  readonly #queue: Job[] = [];
  /** Requests waiting out a backoff: they hold no lane, so other work runs meanwhile. */
  readonly #waiting: Job[] = [];
  #active = 0;
  #attempts = 0;
  #fatal: ProviderError | null = null;
  #cancelWake: (() => void) | null = null;
  #closed = false;

  constructor(options: SessionOptions, deps: SchedulerDeps, onClose: (s: Session) => void) {
    this.#options = options;
    this.#deps = deps;
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

  submit(request: ModelRequest): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const job: Job = { request, attempt: 1, startedAt: 0, readyAt: 0, resolve };
      if (this.#signal.aborted) return resolve(this.#cancelled(job));
      this.#queue.push(job);
      this.#pump();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort(new ProviderError({ kind: 'cancelled', message: 'the query ended' }));
    this.#onClose(this);
  }

  /** Starts ready work while lanes are free: the retry due first, else the next new request. */
  #pump(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    while (!this.#signal.aborted && this.#active < this.parallel) {
      const job = this.#takeReady();
      if (!job) break;
      this.#active++;
      void this.#attempt(job).then((result) => {
        this.#active--;
        if ('status' in result) this.#settle(job, result);
        else if (this.#signal.aborted) this.#settle(job, this.#cancelled(result));
        else this.#waiting.push(result);
        this.#pump();
      });
    }
    // With lanes free and only backoffs left, wake when the first one is due.
    const soonest = this.#soonestWaiting();
    if (soonest >= 0 && this.#active < this.parallel && !this.#signal.aborted) {
      const wait = Math.max(0, (this.#waiting[soonest] as Job).readyAt - this.#now());
      this.#cancelWake = (this.#deps.schedule ?? realSchedule)(() => this.#pump(), wait);
    }
  }

  #takeReady(): Job | undefined {
    const soonest = this.#soonestWaiting();
    if (soonest >= 0 && (this.#waiting[soonest] as Job).readyAt <= this.#now()) return this.#waiting.splice(soonest, 1)[0];
    const job = this.#queue.shift();
    if (job) {
      job.startedAt = this.#now();
      this.#options.onStart?.(job.request);
    }
    return job;
  }

  /** A scan: the list is short, and it changes on every attempt. */
  #soonestWaiting(): number {
    let best = -1;
    for (let i = 0; i < this.#waiting.length; i++) if (best < 0 || (this.#waiting[i] as Job).readyAt < (this.#waiting[best] as Job).readyAt) best = i;
    return best;
  }

  /** One attempt: the outcome when the request is settled, or the job back with its retry time. */
  async #attempt(job: Job): Promise<CallOutcome | Job> {
    const { request } = job;
    const { limit, rateWindow, caller } = this.#deps;
    const maxWaitMs = this.#options.maxWaitMs;
    if (this.#attempts >= this.#options.budget) {
      return this.#failed(job, new ProviderError({
        kind: 'budget',
        message: `not sent: the query's budget of ${this.#options.budget} requests is used up (retries count too); raise it with "-- @ budget: N"`,
      }), job.attempt - 1);
    }
    // Reserved before any wait, so lanes running side by side cannot overshoot the budget together.
    this.#attempts++;
    let sent = false;
    let acquired = false;
    try {
      await limit.acquire(this.#signal, maxWaitMs);
      acquired = true;
      await rateWindow?.acquire(estimateTokens(request.prompt) + OUTPUT_GUESS, this.#signal, maxWaitMs);
      sent = true;
      const answer = await caller.call(request, this.#signal);
      limit.onSuccess();
      return this.#outcome(job, 'ok', job.attempt, { answer });
    } catch (thrown) {
      if (!sent) this.#attempts--;
      const error = asProviderError(thrown, this.#signal);
      const made = sent ? job.attempt : job.attempt - 1;
      if (error.kind === 'cancelled' || this.#signal.aborted) return this.#outcome(job, 'cancelled', made, job.lastError ? { error: job.lastError } : {});
      // A 429 lowers concurrency; its retry-after delays this request's retry (below), not the
      // whole pool: holding every lane on each 429 cost 9× the fault-free time under the mock's
      // 20% random 429s (bench case faults). Pool-wide holds come from rate-limit headers instead.
      if (error.kind === 'rate_limit') limit.onRateLimited();
      const delay = retryDelayMs(error, job.attempt, this.#retry, this.#deps.random);
      if (delay === null) return this.#failed(job, error, made);
      if (delay > maxWaitMs) {
        return this.#failed(job, new ProviderError({
          kind: 'wait_limit',
          retryAfterMs: delay,
          message: `the provider asked to wait ${formatWait(delay)} before retrying (${error.message}), longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
        }), made);
      }
      return { ...job, attempt: job.attempt + 1, readyAt: this.#now() + delay, lastError: error };
    } finally {
      if (acquired) limit.release();
    }
  }

  #failed(job: Job, error: ProviderError, attempts: number): CallOutcome {
    return this.#outcome(job, 'error', attempts, { error });
  }

  #outcome(job: Job, status: CallOutcome['status'], attempts: number, extra: { answer?: ModelAnswer; error?: ProviderError }): CallOutcome {
    return { request: job.request, status, attempts, startedAt: job.startedAt, endedAt: this.#now(), ...extra };
  }

  #cancelled(job: Job): CallOutcome {
    return this.#outcome(job, 'cancelled', job.attempt - 1, job.lastError ? { error: job.lastError } : {});
  }

  #settle(job: Job, outcome: CallOutcome): void {
    // Requests that never started were never logged as started either: they only resolve.
    if (job.startedAt !== 0) this.#options.onSettled?.(outcome);
    if (outcome.status === 'error' && outcome.error && !this.#fatal && this.#options.isFatal(outcome.error)) {
      this.#fatal = outcome.error instanceof ProviderError ? outcome.error : new ProviderError(outcome.error);
      this.#stop.abort(this.#fatal);
    }
    job.resolve(outcome);
  }

  /** Cancelled or stopped: everything not in flight settles now; attempts in flight settle as they abort. */
  #drain(): void {
    this.#cancelWake?.();
    this.#cancelWake = null;
    for (const job of [...this.#queue.splice(0), ...this.#waiting.splice(0)]) this.#settle(job, this.#cancelled(job));
  }
}

function asProviderError(thrown: unknown, signal: AbortSignal): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return new ProviderError({ kind: 'cancelled', message: 'cancelled' });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message });
}
