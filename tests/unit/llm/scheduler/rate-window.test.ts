import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RateWindow } from '../../../../src/llm/scheduler/rate-window';

/**
 * Virtual time: `sleep` records the wait and resolves once the test advances past it, so a minute
 * of rate limiting runs in milliseconds.
 */
function virtualTime() {
  let now = 0;
  let sleepers: { until: number; resolve(): void; reject(reason: unknown): void }[] = [];
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const sleeper = { until: now + ms, resolve, reject };
      sleepers.push(sleeper);
      signal.addEventListener('abort', () => {
        sleepers = sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      }, { once: true });
    });
  return {
    clock: () => now,
    sleep,
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
/** Everything in RateWindow chains on promises only, so draining microtasks settles it. */
async function settle() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

describe('RateWindow', () => {
  test('with both limits 0 it is a no-op', async () => {
    const window = new RateWindow({ requestsPerMinute: 0, tokensPerMinute: 0 });
    expect(window.enabled).toBe(false);
    for (let i = 0; i < 1_000; i++) await window.acquire(10_000, signal());
  });

  test('requests per minute: the n+1-th call waits until the first leaves the window', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 3, tokensPerMinute: 0, clock: time.clock, sleep: time.sleep });
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) void window.acquire(1, signal()).then(() => granted.push(time.clock()));
    await settle();
    expect(granted).toEqual([0, 0, 0]);
    await time.advance(59_999);
    expect(granted).toHaveLength(3);
    await time.advance(1);
    expect(granted).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  test('tokens per minute: a call waits until enough tokens have left the window', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 0, tokensPerMinute: 1_000, clock: time.clock, sleep: time.sleep });
    await window.acquire(600, signal());
    await time.advance(10_000);
    await window.acquire(300, signal());
    let third = false;
    void window.acquire(400, signal()).then(() => (third = true));
    await settle();
    expect(third).toBe(false);
    // 600 leaves at 60 s: then 300 + 400 fits.
    await time.advance(50_000);
    expect(third).toBe(true);
  });

  test('a call bigger than the whole budget still goes, alone', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 0, tokensPerMinute: 100, clock: time.clock, sleep: time.sleep });
    await window.acquire(5_000, signal());
    let next = false;
    void window.acquire(10, signal()).then(() => (next = true));
    await settle();
    expect(next).toBe(false);
    await time.advance(60_000);
    expect(next).toBe(true);
  });

  test('calls are granted in the order they asked', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 1, tokensPerMinute: 0, clock: time.clock, sleep: time.sleep });
    const order: string[] = [];
    for (const name of ['a', 'b', 'c']) void window.acquire(1, signal()).then(() => order.push(name));
    for (let i = 0; i < 3; i++) await time.advance(60_000);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  test('abort rejects a waiting call at once and the ones behind it keep their turn', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 1, tokensPerMinute: 0, clock: time.clock, sleep: time.sleep });
    await window.acquire(1, signal());
    const controller = new AbortController();
    const outcome: string[] = [];
    const waiting = window.acquire(1, controller.signal).then(() => outcome.push('b granted'), () => outcome.push('b aborted'));
    void window.acquire(1, signal()).then(() => outcome.push(`c granted at ${time.clock()}`));
    await settle();
    controller.abort();
    await waiting;
    expect(outcome).toEqual(['b aborted']);
    await time.advance(60_000);
    expect(outcome).toEqual(['b aborted', 'c granted at 60000']);
  });

  test('an abort while waiting for an earlier caller also rejects at once', async () => {
    const time = virtualTime();
    const window = new RateWindow({ requestsPerMinute: 1, tokensPerMinute: 0, clock: time.clock, sleep: time.sleep });
    await window.acquire(1, signal());
    void window.acquire(1, signal());
    const controller = new AbortController();
    const third = window.acquire(1, controller.signal);
    controller.abort('enough');
    await expect(third).rejects.toBe('enough');
  });

  test('never more than rpm grants in any window, for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 25 }), async (rpm, gaps) => {
        const time = virtualTime();
        const window = new RateWindow({ requestsPerMinute: rpm, tokensPerMinute: 0, clock: time.clock, sleep: time.sleep });
        const grants: number[] = [];
        for (const gap of gaps) {
          void window.acquire(1, signal()).then(() => grants.push(time.clock()));
          await time.advance(gap);
        }
        for (let i = 0; i < gaps.length + 2; i++) await time.advance(60_000);
        expect(grants).toHaveLength(gaps.length);
        for (let i = rpm; i < grants.length; i++) expect((grants[i] ?? 0) - (grants[i - rpm] ?? 0)).toBeGreaterThanOrEqual(60_000);
      }),
      { numRuns: 60 },
    );
  });
});
