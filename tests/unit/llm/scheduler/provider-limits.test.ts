import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ProviderLimits, type RequestCost } from '../../../../src/llm/scheduler/provider-limits';
import { ProviderError } from '../../../../src/llm/provider';

/**
 * Virtual time: `sleep` records the wait and resolves once the test advances past it, so a minute
 * of rate limiting runs in milliseconds.
 */
function virtualTime(start = 1_000_000) {
  let now = start;
  let sleepers: { until: number; resolve(): void; reject(reason: unknown): void }[] = [];
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const sleeper = { until: now + ms, resolve, reject };
      sleepers.push(sleeper);
      signal.addEventListener(
        'abort',
        () => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  return {
    clock: () => now,
    sleep,
    elapsed: () => now - start,
    async advance(ms: number) {
      now += ms;
      const due = sleepers.filter((s) => s.until <= now);
      sleepers = sleepers.filter((s) => s.until > now);
      for (const s of due) s.resolve();
      await settle();
    },
  };
}

const signal = () => new AbortController().signal;
/** Everything chains on promises only, so draining microtasks settles it. */
async function settle() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}
const one = (inputTokens = 0, outputTokens = 0): RequestCost => ({ requests: 1, inputTokens, outputTokens });

describe('per-minute limits as token buckets', () => {
  test('with no limit known it paces nothing', async () => {
    const limits = new ProviderLimits();
    expect(limits.known).toBe(false);
    for (let i = 0; i < 1_000; i++) await limits.acquire(one(10_000, 10_000), signal());
  });

  test('requests per minute: a full bucket, then one request per 60/rpm seconds as it refills', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ requestsPerMinute: 3, clock: time.clock, sleep: time.sleep });
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) void limits.acquire(one(), signal()).then(() => granted.push(time.elapsed()));
    await settle();
    expect(granted).toEqual([0, 0, 0]);
    await time.advance(19_999);
    expect(granted).toHaveLength(3);
    await time.advance(1);
    expect(granted).toEqual([0, 0, 0, 20_000]);
    await time.advance(20_000);
    expect(granted).toEqual([0, 0, 0, 20_000, 40_000]);
  });

  test('input tokens per minute: a request waits until its tokens have refilled', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ inputTokensPerMinute: 1_200, clock: time.clock, sleep: time.sleep });
    await limits.acquire(one(1_000), signal());
    let next = false;
    void limits.acquire(one(500), signal()).then(() => (next = true));
    await time.advance(14_999);
    expect(next).toBe(false);
    // 200 left + 20 tokens/s: 500 fit after 15 s.
    await time.advance(1);
    expect(next).toBe(true);
  });

  test('a request larger than a whole bucket goes when the bucket is full, rather than never, and the next one waits for the debt', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ inputTokensPerMinute: 100, clock: time.clock, sleep: time.sleep });
    await limits.acquire(one(50), signal());
    let big = false;
    void limits.acquire(one(5_000), signal()).then(() => (big = true));
    await time.advance(29_999);
    expect(big).toBe(false);
    await time.advance(1);
    expect(big).toBe(true);
    let next = false;
    void limits.acquire(one(10), signal()).then(() => (next = true));
    // 4,900 tokens over the bucket, and 10 more, at 100 a minute: 49.1 minutes.
    await time.advance(2_945_999);
    expect(next).toBe(false);
    await time.advance(1);
    expect(next).toBe(true);
  });

  test('requests are granted in the order they asked; an abort rejects at once and the rest keep their turn', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ requestsPerMinute: 1, clock: time.clock, sleep: time.sleep });
    await limits.acquire(one(), signal());
    const order: string[] = [];
    const controller = new AbortController();
    void limits.acquire(one(), signal()).then(() => order.push('a'));
    const b = limits.acquire(one(), controller.signal).then(
      () => order.push('b'),
      () => order.push('b aborted'),
    );
    void limits.acquire(one(), signal()).then(() => order.push('c'));
    await settle();
    controller.abort();
    await b;
    for (let i = 0; i < 3; i++) await time.advance(60_000);
    expect(order).toEqual(['b aborted', 'a', 'c']);
  });

  test('a wait longer than the query accepts is a wait_limit error, not a stall', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ requestsPerMinute: 1, clock: time.clock, sleep: time.sleep });
    await limits.acquire(one(), signal());
    const error = await limits.acquire(one(), signal(), 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('wait_limit');
    expect((error as ProviderError).message).toMatch(/hold this request for 60 s/);
  });

  test('a refund gives back what a refused request took; settle replaces reserved output by the output used', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ requestsPerMinute: 1, clock: time.clock, sleep: time.sleep });
    limits.observe({ receivedAt: time.clock(), outputTokens: { limit: 1_000, remaining: 1_000 } });
    const first = await limits.acquire(one(0, 800), signal());
    limits.refund(first);
    expect(limits.snapshot().requests?.level).toBe(1);
    const second = await limits.acquire(one(0, 800), signal());
    limits.settle(second, { inputTokens: 0, outputTokens: 50 });
    expect(limits.snapshot().outputTokens?.level).toBe(950);
  });

  test('never more than capacity + refill in any stretch of time, for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 25 }), async (rpm, gaps) => {
        const time = virtualTime();
        const limits = new ProviderLimits({ requestsPerMinute: rpm, clock: time.clock, sleep: time.sleep });
        const grants: number[] = [];
        for (const gap of gaps) {
          void limits.acquire(one(), signal()).then(() => grants.push(time.elapsed()));
          await time.advance(gap);
        }
        for (let i = 0; i < gaps.length + 2; i++) await time.advance(60_000);
        expect(grants).toHaveLength(gaps.length);
        for (let i = 0; i < grants.length; i++) {
          for (let j = i; j < grants.length; j++) {
            const span = (grants[j] as number) - (grants[i] as number);
            expect(j - i + 1).toBeLessThanOrEqual(rpm + Math.floor((span * rpm) / 60_000) + 1e-9);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('limits learned from rate-limit headers', () => {
  test('limit is the size, remaining the level, and the refill rate is read from the reset time', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ clock: time.clock, sleep: time.sleep });
    // A server whose "minute" is 6 s: 40 of 50 requests left, full again in 1.2 s.
    limits.observe({ receivedAt: time.clock(), requests: { limit: 50, remaining: 40, resetAt: time.clock() + 1_200 } });
    const snap = limits.snapshot();
    expect(snap.requests).toMatchObject({ capacity: 50, level: 40 });
    expect((snap.requests?.perMs ?? 0) * 6_000).toBeCloseTo(50, 5);
  });

  test('a full bucket or a whole-second reset too close to read keeps the per-minute rate', () => {
    const time = virtualTime(1_700_000_000_000);
    const limits = new ProviderLimits({ clock: time.clock, sleep: time.sleep });
    limits.observe({ receivedAt: time.clock(), inputTokens: { limit: 60_000, remaining: 60_000, resetAt: time.clock() } });
    limits.observe({ receivedAt: time.clock() + 400, requests: { limit: 50, remaining: 49, resetAt: time.clock() + 2_000 } });
    const snap = limits.snapshot();
    expect((snap.inputTokens?.perMs ?? 0) * 60_000).toBeCloseTo(60_000, 5);
    expect((snap.requests?.perMs ?? 0) * 60_000).toBeCloseTo(50, 5);
  });

  const TIER = { requestsPerMinute: 2, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000, basis: 'a stated tier' };

  test('before any response, requests are paced by the stated assumption, not sent blind', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ assumed: TIER, clock: time.clock, sleep: time.sleep });
    expect(limits.source).toEqual({ source: 'assumed', basis: 'a stated tier' });
    const granted: string[] = [];
    for (const name of ['a', 'b', 'c']) void limits.acquire(one(100), signal()).then(() => granted.push(name));
    await settle();
    // Two requests a minute assumed: the third waits for the bucket to refill.
    expect(granted).toEqual(['a', 'b']);
    await time.advance(30_000);
    expect(granted).toEqual(['a', 'b', 'c']);
  });

  test('the first response with headers replaces the assumption', () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ assumed: TIER, clock: time.clock, sleep: time.sleep });
    limits.observe({ receivedAt: time.clock(), requests: { limit: 4_000, remaining: 3_999, resetAt: time.clock() + 60_000 } });
    expect(limits.source.source).toBe('learned');
    const snap = limits.snapshot();
    expect(snap.requests?.capacity).toBe(4_000);
    // Buckets the provider does not report were only a guess: they go.
    expect(snap.inputTokens).toBeUndefined();
  });

  test('a wait planned under the assumption ends as soon as headers say the limits are higher', async () => {
    const time = virtualTime();
    const limits = new ProviderLimits({ assumed: TIER, clock: time.clock, sleep: time.sleep });
    const granted: string[] = [];
    for (const name of ['a', 'b', 'c']) void limits.acquire(one(100), signal()).then(() => granted.push(name));
    await settle();
    expect(granted).toEqual(['a', 'b']);
    limits.observe({ receivedAt: time.clock(), requests: { limit: 4_000, remaining: 3_998, resetAt: time.clock() + 60_000 } });
    await settle();
    expect(granted).toEqual(['a', 'b', 'c']);
  });

  test('a response without headers drops the assumption: that endpoint has no limits to say', () => {
    const limits = new ProviderLimits({ assumed: TIER, requestsPerMinute: 600 });
    limits.observe(null);
    expect(limits.source.source).toBe('settings');
    expect(Object.keys(limits.snapshot())).toEqual(['requests']);
    const bare = new ProviderLimits({ assumed: TIER });
    bare.observe(null);
    expect(bare.known).toBe(false);
    expect(bare.source.source).toBe('none');
  });
});
