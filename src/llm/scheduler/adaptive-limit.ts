import type { RateLimitHint } from '../../protocol/model';
import { ProviderError } from '../provider';

/**
 * How many model calls may be in flight right now: AIMD, as TCP does it. Start at `max` (the
 * user's `parallel`); a 429 halves the limit, at most once per cooldown so one wave of 429s (all
 * the calls that were in flight together) counts as one signal; after the cooldown, every
 * `increaseEvery` successes add one back, up to `max`. Rate-limit headers that say no request is left hold new calls until the
 * reset. Pure: time comes from the injected clock and timer, so tests run without waiting.
 *
 * Invariant: a call is only granted while inFlight < limit. When the limit drops below the calls
 * already running, none is interrupted; new ones wait until enough have finished.
 */

export interface LimitTimers {
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export interface AdaptiveLimitOptions {
  max: number;
  min?: number;
  /** Successes per +1. Default: the current limit (one step per full round of calls). */
  increaseEvery?: number;
  /** Multiplier on a 429, in (0, 1). Default 0.5. */
  decreaseFactor?: number;
  /** After a decrease, 429s do not decrease again and successes do not count for this long. Default 1000 ms. */
  cooldownMs?: number;
  /** Epoch ms, comparable with RateLimitHint times. */
  clock?: () => number;
  timers?: LimitTimers;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
  /** The longest hold this caller accepts. */
  maxWaitMs: number;
}

const realTimers: LimitTimers = {
  schedule(fn, ms) {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};

export class AdaptiveLimit {
  #max: number;
  #min: number;
  #limit: number;
  #inFlight = 0;
  #successes = 0;
  #lastDecreaseAt = -Infinity;
  #holdUntil = -Infinity;
  #cancelWake: (() => void) | undefined;
  readonly #queue: Waiter[] = [];
  readonly #increaseEvery: number | undefined;
  readonly #factor: number;
  readonly #cooldownMs: number;
  readonly #clock: () => number;
  readonly #timers: LimitTimers;

  constructor(options: AdaptiveLimitOptions) {
    this.#max = Math.max(1, Math.floor(options.max));
    this.#min = Math.min(this.#max, Math.max(1, Math.floor(options.min ?? 1)));
    this.#limit = this.#max;
    this.#increaseEvery = options.increaseEvery !== undefined ? Math.max(1, Math.floor(options.increaseEvery)) : undefined;
    const factor = options.decreaseFactor ?? 0.5;
    this.#factor = factor > 0 && factor < 1 ? factor : 0.5;
    this.#cooldownMs = options.cooldownMs ?? 1_000;
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? realTimers;
  }

  get limit(): number {
    return this.#limit;
  }

  get max(): number {
    return this.#max;
  }

  get min(): number {
    return this.#min;
  }

  /**
   * New bounds, when the demand changes (a query with another `parallel` starts or ends). What was
   * learned stays: a limit lowered by 429s is only clamped into the new bounds, while a limit that
   * stood at the old maximum follows it.
   */
  setBounds(max: number, min: number): void {
    const atMax = this.#limit >= this.#max;
    this.#max = Math.max(1, Math.floor(max));
    this.#min = Math.min(this.#max, Math.max(1, Math.floor(min)));
    this.#limit = atMax ? this.#max : Math.min(this.#max, Math.max(this.#min, this.#limit));
    this.#pump();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Epoch ms until which no call is granted (a rate-limit reset), or -Infinity. */
  get holdUntil(): number {
    return this.#holdUntil;
  }

  /**
   * Resolves when a slot is granted (first come, first served); rejects at once on abort, and with a
   * `wait_limit` ProviderError when the provider's hold would outlast `maxWaitMs` (no wait is unbounded).
   */
  acquire(signal?: AbortSignal, maxWaitMs = Infinity): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const tooLong = this.#holdTooLong(maxWaitMs);
    if (tooLong) return Promise.reject(tooLong);
    if (this.#queue.length === 0 && this.#canGrant()) {
      this.#inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        maxWaitMs,
        onAbort: () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(signal?.reason);
          // A waiter at the head may have been all that blocked the others behind it.
          this.#pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  release(): void {
    if (this.#inFlight === 0) throw new Error('AdaptiveLimit.release() without a matching acquire()');
    this.#inFlight--;
    this.#pump();
  }

  /**
   * Successes inside the cooldown do not count: they are mostly calls that started before the
   * decrease, at the old limit, and say nothing about whether the lower one is low enough.
   */
  onSuccess(): void {
    if (this.#limit >= this.#max) return;
    if (this.#clock() - this.#lastDecreaseAt < this.#cooldownMs) return;
    this.#successes++;
    if (this.#successes >= (this.#increaseEvery ?? this.#limit)) {
      this.#successes = 0;
      this.#limit++;
      this.#pump();
    }
  }

  /** A 429: halve (once per cooldown); with a retry-after, also hold new calls that long. */
  onRateLimited(retryAfterMs?: number): void {
    const now = this.#clock();
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.#hold(now + retryAfterMs);
    if (now - this.#lastDecreaseAt < this.#cooldownMs) return;
    this.#lastDecreaseAt = now;
    this.#successes = 0;
    this.#limit = Math.max(this.#min, Math.floor(this.#limit * this.#factor));
  }

  /** Rate-limit headers: no request left means nothing new starts before the reset. */
  onHint(hint: RateLimitHint): void {
    const requests = hint.requests;
    if (requests?.remaining === 0 && requests.resetAt !== undefined) this.#hold(requests.resetAt);
  }

  #canGrant(): boolean {
    return this.#inFlight < this.#limit && this.#clock() >= this.#holdUntil;
  }

  #hold(until: number): void {
    if (until <= this.#holdUntil) return;
    this.#holdUntil = until;
    // Callers that will not wait this long hear so now rather than at the end of the hold.
    for (const waiter of [...this.#queue]) {
      const tooLong = this.#holdTooLong(waiter.maxWaitMs);
      if (!tooLong) continue;
      this.#queue.splice(this.#queue.indexOf(waiter), 1);
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(tooLong);
    }
    this.#pump();
  }

  #holdTooLong(maxWaitMs: number): ProviderError | null {
    const wait = this.#holdUntil - this.#clock();
    if (!(wait > maxWaitMs)) return null;
    return new ProviderError({
      kind: 'wait_limit',
      retryAfterMs: wait,
      message: `the provider's rate limit resets in ${formatWait(wait)}, longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
    });
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#canGrant()) {
      const waiter = this.#queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#inFlight++;
      waiter.resolve();
    }
    this.#armWake();
  }

  /** While held with callers waiting, one timer wakes the queue at the end of the hold. */
  #armWake(): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    const wait = this.#holdUntil - this.#clock();
    if (this.#queue.length === 0 || wait <= 0) return;
    this.#cancelWake = this.#timers.schedule(() => {
      this.#cancelWake = undefined;
      this.#pump();
    }, wait);
  }
}

/** A wait in words: "45 s", "1 h 0 min". */
export function formatWait(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
