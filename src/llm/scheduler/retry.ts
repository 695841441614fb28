import type { ProviderError } from '../provider';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 30_000 };

/**
 * How long to wait before attempt `attempt + 1`, or null when the error must not be retried.
 * A server's retry-after wins, whatever its length (the SDK ignores long ones; we do not);
 * otherwise exponential backoff with jitter, so a burst of 429s does not come back as one burst.
 */
export function retryDelayMs(error: ProviderError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (!error.retryable || attempt >= policy.maxAttempts) return null;
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random() * 0.5));
}

/** A wait that ends early, rejecting, when the signal fires: cancel takes effect during a backoff. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
