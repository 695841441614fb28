import type { RateLimitBucket, RateLimitHint } from '../../protocol/model';
import { ProviderError } from '../provider';
import { formatWait } from './adaptive-limit';
import { abortableSleep } from './retry';

/**
 * A provider connection's per-minute limits, modelled on the client as the provider keeps them:
 * token buckets for requests, input tokens and output tokens that refill continuously (Anthropic's
 * "Rate limits" docs; tests/support/fake-rate-limits.ts plays the server side). Each request waits
 * until its cost fits every bucket, so requests are spread over the minute and 429s stay the
 * exception instead of being the pacing signal.
 *
 * What is known comes from settings (requests and tokens per minute the user typed) and from the
 * `anthropic-ratelimit-*` headers of every response: `-limit` is the bucket's size and `-remaining`
 * its level; the refill rate is read from `-reset` (when the bucket is full again), so a server
 * whose "minute" is shorter or longer is paced by what it says, not by an assumed 60 s.
 * Before any response has spoken, a provider that may have limits is paced and planned by a stated
 * assumption (its published entry tier, src/llm/connection/endpoint-limits.ts), never blind: the
 * first response with headers replaces it, and the first response without any (a local server)
 * drops it, since that endpoint has no limits to say.
 */

export type LimitName = 'requests' | 'inputTokens' | 'outputTokens';

export interface RequestCost {
  requests: number;
  inputTokens: number;
  /** Output reserved up front: the request's `max_tokens`, as the provider reserves it. */
  outputTokens: number;
}

export interface BucketState {
  capacity: number;
  /** Refill per millisecond. */
  perMs: number;
  /** Level now. */
  level: number;
}

export type LimitsSnapshot = Partial<Record<LimitName, BucketState>>;

export interface Reservation {
  readonly cost: RequestCost;
}

/** Where the buckets come from: what the provider said, what the user typed, an assumption, or nothing. */
export type LimitsSource = 'learned' | 'settings' | 'assumed' | 'none';

/** Limits assumed until the provider says its own, and the words that say so. */
export interface AssumedLimits {
  requestsPerMinute: number;
  inputTokensPerMinute: number;
  outputTokensPerMinute: number;
  /** e.g. "Anthropic's entry tier for claude-haiku-4-5". */
  basis: string;
}

export interface ProviderLimitsOptions {
  /** From settings; 0 or absent: unknown until headers say. */
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  /** Paces and plans what settings leave unknown until the first response. */
  assumed?: AssumedLimits;
  /** Epoch ms, comparable with RateLimitHint times. */
  clock?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Bucket {
  capacity: number;
  perMs: number;
  level: number;
  at: number;
}

const MINUTE_MS = 60_000;
const NAMES: readonly LimitName[] = ['requests', 'inputTokens', 'outputTokens'];

export class ProviderLimits {
  readonly #buckets = new Map<LimitName, Bucket>();
  readonly #clock: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The previous caller's turn: grants go out in call order, so a large request is not starved. */
  #turn: Promise<void> = Promise.resolve();
  /** How long a bucket takes to refill from empty: a minute, unless the provider's headers say otherwise. */
  #windowMs = MINUTE_MS;
  /** Buckets that hold an assumption, until a response replaces or drops them. */
  readonly #assumed = new Set<LimitName>();
  #assumedBasis: string | null = null;
  #learned = false;
  readonly #fromSettings: boolean;
  /** Aborts the waits under way when the buckets change: a wait planned under an assumption ends when headers say more. */
  #changed = new AbortController();

  constructor(options: ProviderLimitsOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
    const now = this.#clock();
    const perMinute = (name: LimitName, n: number | undefined) => {
      if (n) this.#set(name, n, n / MINUTE_MS, n, now);
    };
    perMinute('requests', options.requestsPerMinute);
    perMinute('inputTokens', options.inputTokensPerMinute);
    this.#fromSettings = this.#buckets.size > 0;
    const assumed = options.assumed;
    if (!assumed) return;
    this.#assumedBasis = assumed.basis;
    for (const [name, n] of [
      ['requests', assumed.requestsPerMinute],
      ['inputTokens', assumed.inputTokensPerMinute],
      ['outputTokens', assumed.outputTokensPerMinute],
    ] as const) {
      if (this.#buckets.has(name)) continue;
      perMinute(name, n);
      this.#assumed.add(name);
    }
  }

  /** Some limit is known or assumed: planning and pacing have something to go by. */
  get known(): boolean {
    return this.#buckets.size > 0;
  }

  /** Where the buckets come from now, and an assumption's basis in words. */
  get source(): { source: LimitsSource; basis: string | null } {
    if (this.#learned) return { source: 'learned', basis: null };
    if (this.#assumed.size > 0) return { source: 'assumed', basis: this.#assumedBasis };
    return { source: this.#fromSettings ? 'settings' : 'none', basis: null };
  }

  /** The buckets as they stand now, for planning. */
  snapshot(): LimitsSnapshot {
    const now = this.#clock();
    const out: LimitsSnapshot = {};
    for (const [name, b] of this.#buckets) out[name] = { capacity: b.capacity, perMs: b.perMs, level: this.#level(b, now) };
    return out;
  }

  /**
   * What a response's headers said (null: the response had none). Every bucket of a provider
   * refills over the same window (a minute), so the window read from one bucket's reset time paces
   * the others too: a bucket barely used says little about its own rate.
   */
  observe(hint: RateLimitHint | null): void {
    if (hint === null) {
      // An endpoint that answers without rate-limit headers has none to say: the assumption goes.
      for (const name of this.#assumed) this.#buckets.delete(name);
      this.#assumed.clear();
      this.#wake();
      return;
    }
    const tokens = hint.inputTokens ?? hint.tokens;
    const seen: [LimitName, RateLimitBucket][] = [];
    for (const [name, bucket] of [
      ['requests', hint.requests],
      ['inputTokens', tokens],
      ['outputTokens', hint.outputTokens],
    ] as const) {
      if (bucket?.limit !== undefined && bucket.limit > 0) seen.push([name, bucket]);
    }
    const windows = seen.flatMap(([, bucket]) => {
      const rate = refillRate(bucket, hint.receivedAt);
      return rate ? [(bucket.limit as number) / rate] : [];
    });
    // The shortest window read: the bucket most used, whose reset time is the least rounded.
    if (windows.length > 0) this.#windowMs = Math.min(...windows);
    const now = this.#clock();
    for (const [name, bucket] of seen) {
      const limit = bucket.limit as number;
      // An assumed bucket's level was a guess too: the provider's `remaining` replaces it.
      const old = this.#assumed.has(name) ? undefined : this.#buckets.get(name);
      const level = Math.min(old ? this.#level(old, now) : limit, bucket.remaining ?? limit);
      this.#set(name, limit, limit / this.#windowMs, level, now);
      this.#assumed.delete(name);
    }
    if (seen.length === 0) return;
    this.#learned = true;
    // Assumed buckets the provider does not report (an older header set) go: they were a guess at its limits.
    for (const name of this.#assumed) this.#buckets.delete(name);
    this.#assumed.clear();
    this.#wake();
  }

  /** Ends the waits under way, so each is measured again against the buckets as they are now. */
  #wake(): void {
    this.#changed.abort();
    this.#changed = new AbortController();
  }

  /** Waits `ms`, or less if the buckets change meanwhile; an abort of `signal` rejects. */
  async #pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.#sleep(ms, AbortSignal.any([signal, this.#changed.signal]));
    } catch (error) {
      if (signal.aborted) throw error;
    }
  }

  /**
   * Waits until `cost` fits every known bucket, then takes it. A wait longer than `maxWaitMs` is
   * refused with a `wait_limit` ProviderError; an abort rejects at once.
   */
  async acquire(cost: RequestCost, signal: AbortSignal, maxWaitMs = Infinity): Promise<Reservation> {
    if (signal.aborted) throw signal.reason;
    const previous = this.#turn;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.#turn = Promise.all([previous, mine]).then(() => undefined);
    try {
      await raceAbort(previous, signal);
      for (;;) {
        const wait = this.#waitMs(cost);
        if (wait <= 0) break;
        if (wait > maxWaitMs) {
          throw new ProviderError({
            kind: 'wait_limit',
            retryAfterMs: wait,
            message: `the provider's per-minute limits would hold this request for ${formatWait(wait)}, longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
          });
        }
        await this.#pause(wait, signal);
      }
      this.#take(cost);
      return { cost };
    } finally {
      done();
    }
  }

  /** The request was answered: its input as counted, its output as used instead of as reserved. */
  settle(reservation: Reservation, used: { inputTokens: number; outputTokens: number }): void {
    this.#take({ requests: 0, inputTokens: used.inputTokens - reservation.cost.inputTokens, outputTokens: used.outputTokens - reservation.cost.outputTokens });
  }

  /** The request took nothing from the provider's limits (refused with a 429, or never sent). */
  refund(reservation: Reservation): void {
    const { requests, inputTokens, outputTokens } = reservation.cost;
    this.#take({ requests: -requests, inputTokens: -inputTokens, outputTokens: -outputTokens });
  }

  /** The request failed after the provider took it: its input counts, its reserved output does not. */
  failed(reservation: Reservation): void {
    this.settle(reservation, { inputTokens: reservation.cost.inputTokens, outputTokens: 0 });
  }

  #set(name: LimitName, capacity: number, perMs: number, level: number, now: number): void {
    this.#buckets.set(name, { capacity, perMs, level, at: now });
  }

  #level(b: Bucket, now: number): number {
    return Math.min(b.capacity, b.level + Math.max(0, now - b.at) * b.perMs);
  }

  #take(cost: RequestCost): void {
    const now = this.#clock();
    for (const name of NAMES) {
      const b = this.#buckets.get(name);
      if (!b) continue;
      b.level = Math.min(b.capacity, this.#level(b, now) - cost[name]);
      b.at = now;
    }
  }

  /** Ms until `cost` fits every bucket; a cost larger than a whole bucket waits for a full bucket. */
  #waitMs(cost: RequestCost): number {
    const now = this.#clock();
    let wait = 0;
    for (const name of NAMES) {
      const b = this.#buckets.get(name);
      if (!b || b.perMs <= 0) continue;
      const need = Math.min(cost[name], b.capacity);
      const level = this.#level(b, now);
      if (level < need) wait = Math.max(wait, (need - level) / b.perMs);
    }
    return Math.ceil(wait);
  }
}

/**
 * Refill per ms from a header: the bucket is short of its limit by `limit - remaining` and full
 * again at `resetAt`. Unknown when the bucket is (nearly) full, or when a whole-second reset time
 * is too close to tell a rate from (the real API sends seconds; a rounding of up to 1 s would
 * make a reset 1.2 s away read as 1 or 2 s).
 */
function refillRate(bucket: RateLimitBucket, receivedAt: number): number | undefined {
  const { limit, remaining, resetAt } = bucket;
  if (limit === undefined || remaining === undefined || resetAt === undefined) return undefined;
  const deficit = limit - remaining;
  const horizon = resetAt - receivedAt;
  if (deficit < Math.max(1, limit * 0.02) || horizon <= 0) return undefined;
  if (resetAt % 1000 === 0 && horizon < 10_000) return undefined;
  return deficit / horizon;
}

/** Waits for the previous caller, but an abort ends the wait at once. */
function raceAbort(previous: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
