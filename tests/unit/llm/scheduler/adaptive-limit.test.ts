import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AdaptiveLimit, type LimitTimers } from '../../../../src/llm/scheduler/adaptive-limit';

/** A clock the test moves by hand, with the timers that fire as it moves. */
function manualTime(start = 1_000_000) {
  let now = start;
  let timers: { at: number; fn: () => void }[] = [];
  const schedule: LimitTimers['schedule'] = (fn, ms) => {
    const timer = { at: now + ms, fn };
    timers.push(timer);
    return () => {
      timers = timers.filter((t) => t !== timer);
    };
  };
  return {
    clock: () => now,
    timers: { schedule },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('AdaptiveLimit', () => {
  test('never lets more than the limit in flight, under random acquire/release/429/success/time', async () => {
    type Op =
      | { op: 'acquire' }
      | { op: 'release'; pick: number }
      | { op: 'success' }
      | { op: 'rateLimited' }
      | { op: 'advance'; ms: number }
      | { op: 'abort'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.constant({ op: 'acquire' as const }) },
      { weight: 3, arbitrary: fc.nat(50).map((pick) => ({ op: 'release' as const, pick })) },
      { weight: 3, arbitrary: fc.constant({ op: 'success' as const }) },
      { weight: 1, arbitrary: fc.constant({ op: 'rateLimited' as const }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((ms) => ({ op: 'advance' as const, ms })) },
      { weight: 1, arbitrary: fc.nat(50).map((pick) => ({ op: 'abort' as const, pick })) },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 120 }), async (max, ops) => {
        const time = manualTime();
        const limit = new AdaptiveLimit({ max, clock: time.clock, timers: time.timers, increaseEvery: 3 });
        let held = 0;
        let grantedThisStep = false;
        const waiting: AbortController[] = [];
        for (const step of ops) {
          grantedThisStep = false;
          switch (step.op) {
            case 'acquire': {
              const controller = new AbortController();
              waiting.push(controller);
              limit.acquire(controller.signal).then(
                () => {
                  held++;
                  grantedThisStep = true;
                  waiting.splice(waiting.indexOf(controller), 1);
                },
                () => waiting.splice(waiting.indexOf(controller), 1),
              );
              break;
            }
            case 'release':
              if (held > 0) {
                held--;
                limit.release();
              }
              break;
            case 'success':
              limit.onSuccess();
              break;
            case 'rateLimited':
              limit.onRateLimited();
              break;
            case 'advance':
              time.advance(step.ms);
              break;
            case 'abort':
              waiting[step.pick % Math.max(1, waiting.length)]?.abort();
              break;
          }
          await flush();
          expect(limit.inFlight).toBe(held);
          if (grantedThisStep) expect(limit.inFlight).toBeLessThanOrEqual(limit.limit);
          expect(limit.limit).toBeGreaterThanOrEqual(1);
          expect(limit.limit).toBeLessThanOrEqual(max);
          // Liveness: nobody waits while a slot is free.
          if (limit.inFlight < limit.limit) expect(limit.waiting).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a 429 halves the limit, once per cooldown, never below min', () => {
    const time = manualTime();
    const limit = new AdaptiveLimit({ max: 16, min: 2, clock: time.clock, timers: time.timers, cooldownMs: 1_000 });
    expect(limit.limit).toBe(16);
    limit.onRateLimited();
    expect(limit.limit).toBe(8);
    // The rest of the same wave of 429s.
    for (let i = 0; i < 7; i++) limit.onRateLimited();
    expect(limit.limit).toBe(8);
    time.advance(1_000);
    limit.onRateLimited();
    expect(limit.limit).toBe(4);
    time.advance(1_000);
    limit.onRateLimited();
    time.advance(1_000);
    limit.onRateLimited();
    expect(limit.limit).toBe(2);
  });

  test('rises by one per round of successes after the cooldown, slowly, back to max and no further', () => {
    const time = manualTime();
    const limit = new AdaptiveLimit({ max: 10, clock: time.clock, timers: time.timers, cooldownMs: 1_000 });
    limit.onRateLimited();
    expect(limit.limit).toBe(5);
    // Successes of calls that were already running when the 429 came do not count.
    for (let i = 0; i < 20; i++) limit.onSuccess();
    expect(limit.limit).toBe(5);
    time.advance(1_000);
    for (let i = 0; i < 4; i++) limit.onSuccess();
    expect(limit.limit).toBe(5);
    limit.onSuccess();
    expect(limit.limit).toBe(6);
    // 6 + 7 + 8 + 9 more successes reach 10; nothing goes past max.
    for (let i = 0; i < 6 + 7 + 8 + 9; i++) limit.onSuccess();
    expect(limit.limit).toBe(10);
    for (let i = 0; i < 100; i++) limit.onSuccess();
    expect(limit.limit).toBe(10);
  });

  test('a fixed increaseEvery is honoured', () => {
    const limit = new AdaptiveLimit({ max: 8, increaseEvery: 2, cooldownMs: 0, clock: () => 0 });
    limit.onRateLimited();
    expect(limit.limit).toBe(4);
    limit.onSuccess();
    limit.onSuccess();
    expect(limit.limit).toBe(5);
  });

  test('a lower limit holds new calls until enough running ones finish', async () => {
    const limit = new AdaptiveLimit({ max: 4, clock: () => 0 });
    for (let i = 0; i < 4; i++) await limit.acquire();
    limit.onRateLimited(); // 2
    let granted = false;
    void limit.acquire().then(() => (granted = true));
    limit.release(); // 3 in flight
    await flush();
    expect(granted).toBe(false);
    limit.release(); // 2 in flight
    await flush();
    expect(granted).toBe(false);
    limit.release(); // 1 in flight, then the waiter: 2
    await flush();
    expect(granted).toBe(true);
    expect(limit.inFlight).toBe(2);
  });

  test('abort rejects a waiting acquire at once, and the slot goes to the next waiter', async () => {
    const limit = new AdaptiveLimit({ max: 1 });
    await limit.acquire();
    const first = new AbortController();
    const order: string[] = [];
    const waitingFirst = limit.acquire(first.signal).then(
      () => order.push('first'),
      (reason: unknown) => order.push(`first rejected: ${String(reason)}`),
    );
    void limit.acquire().then(() => order.push('second'));
    first.abort('stop');
    await waitingFirst;
    // Rejected before the slot was released: the abort did not wait for it.
    expect(order).toEqual(['first rejected: stop']);
    expect(limit.waiting).toBe(1);
    limit.release();
    await flush();
    expect(order).toEqual(['first rejected: stop', 'second']);
  });

  test('an already aborted signal rejects without taking a slot', async () => {
    const limit = new AdaptiveLimit({ max: 2 });
    await expect(limit.acquire(AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(limit.inFlight).toBe(0);
  });

  test('waiters are served first come, first served', async () => {
    const limit = new AdaptiveLimit({ max: 1 });
    await limit.acquire();
    const order: number[] = [];
    for (let i = 1; i <= 3; i++) void limit.acquire().then(() => order.push(i));
    for (let i = 0; i < 3; i++) {
      limit.release();
      await flush();
    }
    expect(order).toEqual([1, 2, 3]);
  });

  test('headers saying no request is left hold new calls until the reset', async () => {
    const time = manualTime();
    const limit = new AdaptiveLimit({ max: 4, clock: time.clock, timers: time.timers });
    limit.onHint({ receivedAt: time.clock(), requests: { limit: 50, remaining: 0, resetAt: time.clock() + 2_000 } });
    let granted = false;
    void limit.acquire().then(() => (granted = true));
    await flush();
    expect(granted).toBe(false);
    time.advance(1_999);
    await flush();
    expect(granted).toBe(false);
    time.advance(1);
    await flush();
    expect(granted).toBe(true);
    // Remaining requests above zero hold nothing.
    limit.onHint({ receivedAt: time.clock(), requests: { remaining: 3, resetAt: time.clock() + 60_000 } });
    await limit.acquire();
    expect(limit.inFlight).toBe(2);
  });

  test('a 429 with retry-after holds new calls that long as well', async () => {
    const time = manualTime();
    const limit = new AdaptiveLimit({ max: 4, clock: time.clock, timers: time.timers });
    limit.onRateLimited(500);
    let granted = false;
    void limit.acquire().then(() => (granted = true));
    time.advance(499);
    await flush();
    expect(granted).toBe(false);
    time.advance(1);
    await flush();
    expect(granted).toBe(true);
  });

  test('release without acquire is a bug, and says so', () => {
    expect(() => new AdaptiveLimit({ max: 2 }).release()).toThrow(/without a matching acquire/);
  });
});
