/**
 * What the server says about its rate limits, read from response headers. Anthropic sends
 * `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}` on
 * every response, 429s included (https://docs.anthropic.com/en/api/rate-limits#response-headers).
 * The pool uses it to slow down before it is told to. A plain object of numbers, so it can cross a
 * postMessage as it is.
 */

import type { RateLimitBucket, RateLimitHint } from '../../protocol/model';

/** Something with `get(name)`: a fetch `Headers`, or the SDK error's `headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

const BUCKETS = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
  ['inputTokens', 'input-tokens'],
  ['outputTokens', 'output-tokens'],
] as const;

/** The hint the headers carry, or undefined when they carry none (e.g. a local server). */
export function parseRateLimitHeaders(headers: HeaderSource, now: number = Date.now()): RateLimitHint | undefined {
  const hint: RateLimitHint = { receivedAt: now };
  let found = false;
  for (const [field, name] of BUCKETS) {
    const bucket = parseBucket(headers, `anthropic-ratelimit-${name}`, now);
    if (bucket) {
      hint[field] = bucket;
      found = true;
    }
  }
  const retryAfterMs = parseRetryAfterMs(headers, now);
  if (retryAfterMs !== undefined) {
    hint.retryAfterMs = retryAfterMs;
    found = true;
  }
  return found ? hint : undefined;
}

function parseBucket(headers: HeaderSource, prefix: string, now: number): RateLimitBucket | undefined {
  const limit = count(headers.get(`${prefix}-limit`));
  const remaining = count(headers.get(`${prefix}-remaining`));
  const resetAt = instant(headers.get(`${prefix}-reset`), now);
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  const bucket: RateLimitBucket = {};
  if (limit !== undefined) bucket.limit = limit;
  if (remaining !== undefined) bucket.remaining = remaining;
  if (resetAt !== undefined) bucket.resetAt = resetAt;
  return bucket;
}

/**
 * `retry-after-ms` (milliseconds) wins over `retry-after` (seconds, or an HTTP date). Honoured
 * whatever its length: the SDK falls back to its own backoff when it is 60 s or more
 * (src/client.ts, retryRequest), which is exactly when waiting matters most.
 */
export function parseRetryAfterMs(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function count(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * A reset time: Anthropic sends RFC 3339 timestamps; some compatible servers send seconds from now
 * ("12", "0.5") or durations ("1m30s", "250ms"), so those are read too.
 */
function instant(text: string | null, now: number): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const trimmed = text.trim();
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return seconds >= 0 ? now + Math.round(seconds * 1000) : undefined;
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return now + duration;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
  return Math.round(total);
}
