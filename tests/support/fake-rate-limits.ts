/**
 * Tier-like rate limits for the fake Messages API: requests, input tokens and output tokens per
 * minute, each a token bucket as Anthropic describes its limits (docs "Rate limits": capacity is
 * refilled continuously up to the maximum, not reset at the top of each minute). A bucket holds
 * at most `limit` and regains `limit` per minute, smoothly: after a quarter of a minute a quarter
 * of the limit is back.
 *
 * Time compression: a "minute" lasts `minuteMs` real milliseconds (60_000 by default; tests use a
 * few seconds). Everything the client sees is in real time, since that is what it must wait:
 * `retry-after` is real seconds, `-reset` headers are real wall-clock instants. A client that
 * obeys the headers therefore behaves exactly as it would against the real API, only faster.
 *
 * Accounting, as the docs describe it: a request must fit all buckets at once or it is refused
 * with 429 and takes nothing; input tokens are counted when it is admitted; `max_tokens` is taken
 * from the output bucket up front and the difference to the real output is given back (or taken)
 * when the answer is sent, so an oversized `max_tokens` uses up output capacity early.
 */

export interface RateLimits {
  /** Omit a limit to leave that bucket unlimited (and without headers). */
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
  /**
   * Also send `retry-after-ms` on 429s. Anthropic documents only `retry-after` (whole seconds),
   * so this is off by default: the client is tested against what the real API sends.
   */
  retryAfterMs?: boolean;
}

export interface RateLimitStats {
  /** Requests admitted (answered by the script). */
  accepted: number;
  /** Requests refused with 429 by the limiter. */
  rateLimited: number;
  /** Input tokens counted for admitted requests. */
  inputTokens: number;
  /** Output tokens counted: actual output of answered requests plus `max_tokens` of those still in flight. */
  outputTokens: number;
}

/** What a request costs, estimated from its body. */
export interface RequestCost {
  inputTokens: number;
  /** `max_tokens`: reserved up front, corrected by `settle`. */
  maxOutputTokens: number;
}

type BucketName = 'requests' | 'input-tokens' | 'output-tokens';

export interface Ticket {
  readonly reservedOutput: number;
  settled: boolean;
}

export type Admission =
  | { ok: true; ticket: Ticket }
  | {
      ok: false;
      /** Real milliseconds until the request would fit; Infinity when it never can (bigger than a whole bucket). */
      waitMs: number;
      bucket: BucketName;
      message: string;
    };

class TokenBucket {
  private level: number;
  private updatedAt: number;
  /** Refill per real millisecond. */
  private readonly rate: number;

  constructor(
    readonly limit: number,
    minuteMs: number,
    now: number,
  ) {
    this.level = limit;
    this.updatedAt = now;
    this.rate = limit / minuteMs;
  }

  private refill(now: number): void {
    this.level = Math.min(this.limit, this.level + Math.max(0, now - this.updatedAt) * this.rate);
    this.updatedAt = now;
  }

  /** Real ms until `amount` fits: 0 if it fits now, Infinity if it never will. */
  waitMs(amount: number, now: number): number {
    this.refill(now);
    if (amount > this.limit) return Infinity;
    return amount <= this.level ? 0 : (amount - this.level) / this.rate;
  }

  /** Takes (positive) or gives back (negative). The level may go below zero when a request used more than it reserved. */
  take(amount: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.limit, this.level - amount);
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.max(0, Math.floor(this.level));
  }

  /** Real ms until the bucket is full again. */
  msUntilFull(now: number): number {
    this.refill(now);
    return (this.limit - this.level) / this.rate;
  }
}

const UNITS: Record<BucketName, string> = { requests: 'requests', 'input-tokens': 'input tokens', 'output-tokens': 'output tokens' };

export class FakeRateLimiter {
  readonly stats: RateLimitStats = { accepted: 0, rateLimited: 0, inputTokens: 0, outputTokens: 0 };
  private readonly buckets = new Map<BucketName, TokenBucket>();

  /** `now` is a wall clock in epoch ms (Date.now), injectable so the buckets can be tested without sleeping. */
  constructor(
    readonly limits: RateLimits,
    readonly minuteMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!(minuteMs > 0)) throw new Error(`minuteMs must be positive, got ${minuteMs}`);
    const configured: [BucketName, number | undefined][] = [
      ['requests', limits.requestsPerMinute],
      ['input-tokens', limits.inputTokensPerMinute],
      ['output-tokens', limits.outputTokensPerMinute],
    ];
    const start = now();
    for (const [name, limit] of configured) {
      if (limit === undefined) continue;
      if (!(limit > 0) || !Number.isFinite(limit)) throw new Error(`${name} limit must be a positive number, got ${limit}`);
      this.buckets.set(name, new TokenBucket(limit, minuteMs, start));
    }
  }

  /** Admits the request and takes its cost from every bucket, or refuses it and takes nothing. */
  admit(cost: RequestCost): Admission {
    const now = this.now();
    const needs: [BucketName, number][] = [
      ['requests', 1],
      ['input-tokens', cost.inputTokens],
      ['output-tokens', cost.maxOutputTokens],
    ];
    let worst: { bucket: BucketName; need: number; waitMs: number } | undefined;
    for (const [name, need] of needs) {
      const waitMs = this.buckets.get(name)?.waitMs(need, now) ?? 0;
      if (waitMs > 0 && (worst === undefined || waitMs > worst.waitMs)) worst = { bucket: name, need, waitMs };
    }
    if (worst) {
      this.stats.rateLimited++;
      const limit = this.buckets.get(worst.bucket)?.limit ?? 0;
      const message =
        worst.waitMs === Infinity
          ? `This request needs ${worst.need} ${UNITS[worst.bucket]}, more than your rate limit of ${limit} ${UNITS[worst.bucket]} per minute allows at once (fake API).`
          : `This request would exceed the rate limit for your organization of ${limit} ${UNITS[worst.bucket]} per minute (fake API, a minute is ${this.minuteMs} ms). Please try again later.`;
      return { ok: false, waitMs: worst.waitMs, bucket: worst.bucket, message };
    }
    for (const [name, need] of needs) this.buckets.get(name)?.take(need, now);
    this.stats.accepted++;
    this.stats.inputTokens += cost.inputTokens;
    this.stats.outputTokens += cost.maxOutputTokens;
    return { ok: true, ticket: { reservedOutput: cost.maxOutputTokens, settled: false } };
  }

  /** Replaces the request's `max_tokens` reservation by its actual output; once per ticket. */
  settle(ticket: Ticket, actualOutputTokens: number): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const difference = actualOutputTokens - ticket.reservedOutput;
    this.buckets.get('output-tokens')?.take(difference, this.now());
    this.stats.outputTokens += difference;
  }

  /** `retry-after` (and optionally `retry-after-ms`) for a refusal, in real time. */
  retryHeaders(admission: Extract<Admission, { ok: false }>): Record<string, string> {
    // A request that can never fit still gets a finite answer, as the real API gives one: a minute.
    const waitMs = Number.isFinite(admission.waitMs) ? admission.waitMs : this.minuteMs;
    const headers: Record<string, string> = { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) };
    if (this.limits.retryAfterMs) headers['retry-after-ms'] = String(Math.ceil(waitMs));
    return headers;
  }

  /**
   * `anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset}` for the
   * configured buckets, and `anthropic-ratelimit-tokens-*` for whichever token bucket has fewer
   * tokens left (the docs: the tokens headers show the most restrictive token limit in effect).
   * `-reset` is when the bucket will be full again, RFC 3339 with milliseconds (a compressed
   * minute needs sub-second precision).
   */
  headers(): Record<string, string> {
    const now = this.now();
    const headers: Record<string, string> = {};
    const put = (prefix: string, bucket: TokenBucket) => {
      headers[`anthropic-ratelimit-${prefix}-limit`] = String(bucket.limit);
      headers[`anthropic-ratelimit-${prefix}-remaining`] = String(bucket.remaining(now));
      headers[`anthropic-ratelimit-${prefix}-reset`] = new Date(now + Math.ceil(bucket.msUntilFull(now))).toISOString();
    };
    for (const [name, bucket] of this.buckets) put(name, bucket);
    const tokenBuckets = (['input-tokens', 'output-tokens'] as const).flatMap((name) => this.buckets.get(name) ?? []);
    const tightest = tokenBuckets.sort((a, b) => a.remaining(now) - b.remaining(now))[0];
    if (tightest) put('tokens', tightest);
    return headers;
  }
}
