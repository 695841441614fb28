import { describe, expect, test } from 'vitest';
import { parseRateLimitHeaders, parseRetryAfterMs } from '../../../../src/llm/anthropic/rate-limit-headers';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const h = (entries: Record<string, string>) => new Headers(entries);

describe('parseRateLimitHeaders', () => {
  test('reads the requests, tokens, input-tokens and output-tokens buckets', () => {
    const hint = parseRateLimitHeaders(
      h({
        'anthropic-ratelimit-requests-limit': '4000',
        'anthropic-ratelimit-requests-remaining': '3999',
        'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:01Z',
        'anthropic-ratelimit-tokens-limit': '400000',
        'anthropic-ratelimit-tokens-remaining': '390000',
        'anthropic-ratelimit-tokens-reset': '2030-01-01T00:00:06Z',
        'anthropic-ratelimit-input-tokens-remaining': '300000',
        'anthropic-ratelimit-output-tokens-limit': '80000',
      }),
      NOW,
    );
    expect(hint).toEqual({
      receivedAt: NOW,
      requests: { limit: 4000, remaining: 3999, resetAt: NOW + 1_000 },
      tokens: { limit: 400_000, remaining: 390_000, resetAt: NOW + 6_000 },
      inputTokens: { remaining: 300_000 },
      outputTokens: { limit: 80_000 },
    });
  });

  test('nothing to report gives undefined', () => {
    expect(parseRateLimitHeaders(h({ 'content-type': 'application/json' }), NOW)).toBeUndefined();
  });

  test('resets as seconds from now or as durations (compatible servers) are read too', () => {
    const hint = parseRateLimitHeaders(
      h({
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '12',
        'anthropic-ratelimit-tokens-reset': '1m30s',
        'anthropic-ratelimit-output-tokens-reset': '250ms',
      }),
      NOW,
    );
    expect(hint?.requests).toEqual({ remaining: 0, resetAt: NOW + 12_000 });
    expect(hint?.tokens?.resetAt).toBe(NOW + 90_000);
    expect(hint?.outputTokens?.resetAt).toBe(NOW + 250);
  });

  test('garbage values are ignored, not turned into NaN', () => {
    const hint = parseRateLimitHeaders(
      h({ 'anthropic-ratelimit-requests-remaining': 'lots', 'anthropic-ratelimit-requests-limit': '-1', 'anthropic-ratelimit-requests-reset': 'soon' }),
      NOW,
    );
    expect(hint).toBeUndefined();
  });

  test('a retry-after alone is a hint too', () => {
    expect(parseRateLimitHeaders(h({ 'retry-after': '4' }), NOW)).toEqual({ receivedAt: NOW, retryAfterMs: 4_000 });
  });
});

describe('parseRetryAfterMs', () => {
  test('milliseconds, seconds (fractional and long) and HTTP dates', () => {
    expect(parseRetryAfterMs(h({ 'retry-after-ms': '250' }), NOW)).toBe(250);
    expect(parseRetryAfterMs(h({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(parseRetryAfterMs(h({ 'retry-after': '3600' }), NOW)).toBe(3_600_000);
    expect(parseRetryAfterMs(h({ 'retry-after': new Date(NOW + 42_000).toUTCString() }), NOW)).toBe(42_000);
    expect(parseRetryAfterMs(h({ 'retry-after': new Date(NOW - 42_000).toUTCString() }), NOW)).toBe(0);
  });

  test('absent or unreadable is undefined; a bad retry-after-ms falls back to retry-after', () => {
    expect(parseRetryAfterMs(h({}), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(h({ 'retry-after': 'later' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(h({ 'retry-after-ms': 'x', 'retry-after': '2' }), NOW)).toBe(2_000);
  });
});
