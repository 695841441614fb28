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

  const attemptAll = async (request: ModelRequest): Promise<CallOutcome> => {
    const startedAt = now();
    options.onStart?.(request);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return { request, status: 'cancelled', attempts: attempt - 1, startedAt, endedAt: now() };
      let acquired = false;
      try {
        await options.limit?.acquire(signal);
        acquired = true;
        await options.rateWindow?.acquire(estimateTokens(request.prompt) + OUTPUT_GUESS, signal);
        const answer = await caller.call(request, signal);
        options.limit?.onSuccess();
        return { request, status: 'ok', answer, attempts: attempt, startedAt, endedAt: now() };
      } catch (thrown) {
        const error = asProviderError(thrown, signal);
        if (error.kind === 'cancelled') return { request, status: 'cancelled', error, attempts: attempt, startedAt, endedAt: now() };
        if (error.kind === 'rate_limit') options.limit?.onRateLimited(error.retryAfterMs);
        // The slot is given back before the backoff: a waiting call must not hold one.
        if (acquired) options.limit?.release();
        acquired = false;
        const delay = retryDelayMs(error, attempt, options.retry, options.random);
        if (delay === null) return { request, status: 'error', error, attempts: attempt, startedAt, endedAt: now() };
        try {
          await sleep(delay, signal);
        } catch {
          return { request, status: 'cancelled', error, attempts: attempt, startedAt, endedAt: now() };
        }
      } finally {
        if (acquired) options.limit?.release();
      }
    }
  };

  const lane = async () => {
    while (next < requests.length && !signal.aborted) {
      const request = requests[next++] as ModelRequest;
      const outcome = await attemptAll(request);
      options.onSettled(outcome);
      if (outcome.status === 'error' && outcome.error && options.isFatal?.(outcome.error) && !fatal) {
        fatal = outcome.error;
        stop.abort(outcome.error);
      }
    }
  };

  const lanes = Math.max(1, Math.min(options.parallel, requests.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (fatal) throw fatal;
}

function asProviderError(thrown: unknown, signal: AbortSignal): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return new ProviderError({ kind: 'cancelled', message: 'cancelled' });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message });
}
