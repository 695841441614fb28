import { afterEach, expect, test } from 'vitest';
import { AdaptiveLimit } from '../../../../src/llm/scheduler/adaptive-limit';
import { ProviderError } from '../../../../src/llm/provider';
import type { FakeMessagesApi } from '../../../support/fake-messages-api';
import { harness, never, request } from './helpers';

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

test('one provider runs many calls at once: 8 calls of 150 ms overlap at the server', async () => {
  const h = await harness(() => ({ kind: 'answer', value: true, delayMs: 150 }));
  api = h.api;
  await Promise.all(
    Array.from({ length: 8 }, (_, i) => h.provider.call(request({ rows: [{ key: `k${i}`, args: ['I love DuckDB', 'likes databases'] }] }), never())),
  );
  expect(h.api.maxInFlight).toBe(8);
  expect(h.api.requests.every((r) => r.finishedAt !== undefined)).toBe(true);
});

test('an AdaptiveLimit in front of the provider caps what the server sees, and 429s lower it', async () => {
  // Requests 4 to 6 are rate limited; everything else answers after 40 ms.
  const h = await harness((_req, n) =>
    n >= 4 && n <= 6 ? { kind: 'error', status: 429, headers: { 'retry-after-ms': '0' } } : { kind: 'answer', value: true, delayMs: 40 },
  );
  api = h.api;
  const limit = new AdaptiveLimit({ max: 4, cooldownMs: 10_000 });
  const afterEach429: number[] = [];
  const run = async (i: number) => {
    for (;;) {
      await limit.acquire();
      try {
        const answer = await h.provider.call(request({ rows: [{ key: `k${i}`, args: ['I love DuckDB', 'likes databases'] }] }), never());
        limit.onSuccess();
        return answer;
      } catch (error) {
        if (!(error instanceof ProviderError) || error.kind !== 'rate_limit') throw error;
        limit.onRateLimited(error.retryAfterMs);
        afterEach429.push(limit.limit);
      } finally {
        limit.release();
      }
    }
  };
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => run(i)));
  expect(answers.every((a) => a.rows[0]?.ok === true && a.rows[0].value === true)).toBe(true);
  expect(h.api.requests).toHaveLength(15);
  expect(h.api.maxInFlight).toBeLessThanOrEqual(4);
  // Three 429s in one wave halve the limit once, not three times.
  expect(afterEach429).toEqual([2, 2, 2]);
  // Within the cooldown the successes that follow do not raise it yet.
  expect(limit.limit).toBe(2);
  const afterWave = h.api.requests.filter((r) => r.n > 6);
  expect(Math.max(...afterWave.map((r) => r.inFlightAtArrival))).toBeLessThanOrEqual(2);
});
