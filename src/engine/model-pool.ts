import type { AdaptiveLimit } from '../llm/adaptive-limit';
import type { RateLimitHint } from '../llm/anthropic/rate-limit-headers';
import { estimateTokens } from '../llm/prompt';
import { ProviderError, type ModelAnswer, type ModelRequest } from '../llm/provider';
import type { RateWindow } from '../llm/rate-window';
import { abortableSleep, retryDelayMs, type RetryPolicy } from '../llm/retry';

/** One attempt at one request; rejects with ProviderError. */
export interface ModelCaller {
  call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer>;
  /** Providers that report rate-limit headers pass them here (see AdaptiveLimit.onHint). */
  onRateLimit?(listener: (hint: RateLimitHint) => void): () => void;
}

export interface CallOutcome {
  request: ModelRequest;
  status: 'ok' | 'error' | 'cancelled';
  answer?: ModelAnswer;
  error?: ProviderError;
  attempts: number;
  startedAt: number;
  endedAt: number;
}

export interface PoolOptions {
  parallel: number;
  retry: RetryPolicy;
  signal: AbortSignal;
  /** Called as each request settles, before the pool moves on: answers are kept at once. */
  onSettled(outcome: CallOutcome): void;
  onStart?(request: ModelRequest): void;
  /** Stops the whole pool: a rejected key (auth) or `on_error: fail`. */
  isFatal?(error: ProviderError): boolean;
  /** Lowers the in-flight limit on 429s and raises it slowly back toward `parallel` (AIMD). */
  limit?: AdaptiveLimit;
  /** Optional requests/tokens-per-minute limits from settings. */
  rateWindow?: RateWindow;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Output tokens assumed for a call before it is made, for the tokens-per-minute window. */
const OUTPUT_GUESS = 30;

/**
 * Runs requests with exactly `parallel` in flight until the queue is empty: `parallel` lanes pull
 * from one queue, so a slow call never holds back the others. Retries are ours (DESIGN.md, "Model
 * calls"). A fatal error aborts the lanes and is thrown after every lane has stopped.
 */
export async function runPool(requests: readonly ModelRequest[], caller: ModelCaller, options: PoolOptions): Promise<void> {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let fatal: ProviderError | null = null;
  let next = 0;

  /** A request between attempts: it waits here, holding no lane, until `readyAt`. */
  interface Job {
    request: ModelRequest;
    attempt: number;
    startedAt: number;
    readyAt: number;
    lastError?: ProviderError;
  }
  const waiting: Job[] = [];
  /** The retry due first (a scan: the list is short, and it changes on every attempt). */
  const soonestIndex = (): number => {
    let best = -1;
    for (let i = 0; i < waiting.length; i++) if (best < 0 || (waiting[i] as Job).readyAt < (waiting[best] as Job).readyAt) best = i;
    return best;
  };

  const settle = (outcome: CallOutcome) => {
    options.onSettled(outcome);
    if (outcome.status === 'error' && outcome.error && options.isFatal?.(outcome.error) && !fatal) {
      fatal = outcome.error;
      stop.abort(outcome.error);
    }
  };

  /** One attempt: an outcome when the request is settled, or the job back with its retry time. */
  const attempt = async (job: Job): Promise<CallOutcome | Job> => {
    const { request, startedAt } = job;
    let acquired = false;
    try {
      await options.limit?.acquire(signal);
      acquired = true;
      await options.rateWindow?.acquire(estimateTokens(request.prompt) + OUTPUT_GUESS, signal);
      const answer = await caller.call(request, signal);
      options.limit?.onSuccess();
      return { request, status: 'ok', answer, attempts: job.attempt, startedAt, endedAt: now() };
    } catch (thrown) {
      const error = asProviderError(thrown, signal);
      if (error.kind === 'cancelled') return { request, status: 'cancelled', error, attempts: job.attempt, startedAt, endedAt: now() };
      // A 429 lowers concurrency; its retry-after delays this request's retry (below), not the
      // whole pool: holding every lane on each 429 cost 9× the fault-free time under the mock's
      // 20% random 429s (bench case faults). Pool-wide holds come from rate-limit headers instead.
      if (error.kind === 'rate_limit') options.limit?.onRateLimited();
      const delay = retryDelayMs(error, job.attempt, options.retry, options.random);
      if (delay === null) return { request, status: 'error', error, attempts: job.attempt, startedAt, endedAt: now() };
      return { ...job, attempt: job.attempt + 1, readyAt: now() + delay, lastError: error };
    } finally {
      if (acquired) options.limit?.release();
    }
  };

  /**
   * A lane takes the retry that is due first, else a new request; with neither, it sleeps until
   * the next retry is due. So a request waiting out a backoff holds no lane, and `parallel` calls
   * stay in flight while there is work that can run.
   */
  const lane = async () => {
    while (!signal.aborted) {
      const soonestAt = soonestIndex();
      let job = soonestAt >= 0 && (waiting[soonestAt] as Job).readyAt <= now() ? waiting.splice(soonestAt, 1)[0] : undefined;
      if (!job && next < requests.length) {
        const request = requests[next++] as ModelRequest;
        options.onStart?.(request);
        job = { request, attempt: 1, startedAt: now(), readyAt: 0 };
      }
      if (!job) {
        const soonest = waiting[soonestIndex()];
        if (!soonest) return;
        try {
          await sleep(Math.max(0, soonest.readyAt - now()), signal);
        } catch {
          return;
        }
        continue;
      }
      const result = await attempt(job);
      if ('status' in result) settle(result);
      else waiting.push(result);
    }
  };

  const lanes = Math.max(1, Math.min(options.parallel, requests.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  // Cancelled while waiting for a retry: each is settled once, with the attempts it made.
  for (const job of waiting.splice(0)) {
    settle({ request: job.request, status: 'cancelled', ...(job.lastError ? { error: job.lastError } : {}), attempts: job.attempt - 1, startedAt: job.startedAt, endedAt: now() });
  }
  if (fatal) throw fatal;
}

function asProviderError(thrown: unknown, signal: AbortSignal): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return new ProviderError({ kind: 'cancelled', message: 'cancelled' });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message });
}
