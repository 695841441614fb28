import { describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../../src/llm/provider';
import { AdaptiveLimit } from '../../../../src/llm/scheduler/adaptive-limit';
import { createCallScheduler, type AttemptCaller } from '../../../../src/llm/scheduler/call-scheduler';
import { ProviderLimits } from '../../../../src/llm/scheduler/provider-limits';
import type { ModelRequest } from '../../../../src/protocol/model';
import type { CallOutcome } from '../../../../src/protocol/model-calls';
import type { SessionOptions } from '../../../../src/llm/scheduler/session-options';

const request = (key: string): ModelRequest => ({
  operator: 'ask',
  returns: 'VARCHAR',
  grouped: false,
  template: '{{a}}',
  fields: ['a'],
  rows: [{ key, args: [key] }],
  instructions: [],
  outputSchema: {},
  model: 'm',
  temperature: 0,
});

/** The key of a one-row request (or the first row's). */
const keyOf = (r: ModelRequest): string => r.rows[0]?.key ?? '';

function caller(call: (r: ModelRequest, signal: AbortSignal) => Promise<{ value: string }>): AttemptCaller & { starts: string[] } {
  const starts: string[] = [];
  let inFlight = 0;
  return {
    starts,
    inFlight: () => inFlight,
    async call(r, signal) {
      starts.push(r.rows.map((row) => row.key).join('+'));
      inFlight++;
      try {
        // Each row is answered as if asked alone.
        const values = await Promise.all(r.rows.map((row) => call({ ...r, rows: [row] }, signal)));
        return { rows: values.map(({ value }) => ({ ok: true as const, value })), inputTokens: 1, outputTokens: 1 };
      } finally {
        inFlight--;
      }
    },
  };
}

const sessionOptions = (over: Partial<SessionOptions> = {}): SessionOptions => ({
  parallel: 2,
  signal: new AbortController().signal,
  maxAttempts: 4,
  budget: 1_000,
  maxWaitMs: 60_000,
  rowsPerRequest: 1,
  isFatal: () => false,
  ...over,
});

/** A timer that never fires: a test that needs it to would hang, so passing proves nothing waited. */
const never = () => () => {};

describe('the call scheduler', () => {
  it('does not hold a lane while a request waits out its backoff', async () => {
    // No real time passes: the clock moves and timers fire only when the test says, and every
    // answer waits for the test's release, so the busy machine cannot reorder anything.
    let flakyTries = 0;
    let clock = 0;
    const wakes: (() => void)[] = [];
    const held: (() => void)[] = [];
    const c = caller(async (r) => {
      if (keyOf(r) === 'flaky' && ++flakyTries === 1) throw new ProviderError({ kind: 'server', status: 500, message: '500', retryAfterMs: 150 });
      await new Promise<void>((done) => held.push(done));
      return { value: keyOf(r) };
    });
    const schedule = (fn: () => void) => {
      wakes.push(fn);
      return () => {};
    };
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }), now: () => clock, schedule }).session(sessionOptions());
    const settled = Promise.all(['flaky', 'a', 'b', 'c', 'd', 'e', 'f'].map((k) => session.submit(request(k))));
    // While 'flaky' waits out its 150 ms, both lanes work through a to f two at a time; a lane that
    // held it would have left one lane, one call in flight.
    for (const pair of [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]) {
      await vi.waitFor(() => expect(held).toHaveLength(2), { timeout: 10_000 });
      expect(c.starts.slice(-2)).toEqual(pair);
      expect(c.inFlight()).toBe(2);
      held.splice(0).forEach((release) => release());
    }
    expect(c.starts).toEqual(['flaky', 'a', 'b', 'c', 'd', 'e', 'f']);
    clock = 150;
    wakes.splice(0).forEach((wake) => wake());
    await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 10_000 });
    held.splice(0).forEach((release) => release());
    const outcomes = await settled;
    expect(c.starts).toEqual(['flaky', 'a', 'b', 'c', 'd', 'e', 'f', 'flaky']);
    expect(outcomes.find((o) => keyOf(o.request) === 'flaky')).toMatchObject({ status: 'ok', attempts: 2 });
    expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill('ok'));
  });

  it('settles a request cancelled during its backoff once, as cancelled, without waiting the backoff out', async () => {
    const controller = new AbortController();
    const c = caller(async () => {
      throw new ProviderError({ kind: 'rate_limit', status: 429, message: '429', retryAfterMs: 30_000 });
    });
    const settled: CallOutcome[] = [];
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }), schedule: never }).session(
      sessionOptions({ parallel: 4, signal: controller.signal, onSettled: (o) => settled.push(o) }),
    );
    const outcome = session.submit(request('x'));
    setTimeout(() => controller.abort(), 30);
    expect(await outcome).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(settled).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 1 })]);
  });

  it('counts every request against the budget, retries included (issue 13)', async () => {
    const c = caller(async () => {
      throw new ProviderError({ kind: 'server', status: 500, message: 'down', retryAfterMs: 0 });
    });
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }) }).session(sessionOptions({ parallel: 4, budget: 10 }));
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => session.submit(request(`k${i}`))));
    expect(c.starts).toHaveLength(10);
    expect(session.attempts).toBe(10);
    expect(outcomes.every((o) => o.status === 'error')).toBe(true);
    expect(outcomes.filter((o) => o.error?.kind === 'budget').length).toBeGreaterThan(0);
    expect(outcomes.find((o) => o.error?.kind === 'budget')?.error?.message).toMatch(/budget of 10 requests is used up/);
    expect(outcomes.reduce((n, o) => n + o.attempts, 0)).toBe(10);
  });

  it('turns a retry-after past the wait ceiling into a row error that says how long (issue 13)', async () => {
    const c = caller(async () => {
      throw new ProviderError({ kind: 'rate_limit', status: 429, message: 'model endpoint error 429 (rate_limit): slow down', retryAfterMs: 3_600_000 });
    });
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }), schedule: never }).session(sessionOptions({ maxWaitMs: 60_000 }));
    const outcome = await session.submit(request('x'));
    expect(outcome).toMatchObject({ status: 'error', attempts: 1, error: { kind: 'wait_limit' } });
    expect(outcome.error?.message).toMatch(/asked to wait 60 min .* longer than this query waits \(60 s/);
    expect(c.starts).toEqual(['x']);
  });

  it('refuses a rate-limit hold longer than the ceiling instead of stalling', async () => {
    const limit = new AdaptiveLimit({ max: 64 });
    limit.onHint({ receivedAt: Date.now(), requests: { remaining: 0, resetAt: Date.now() + 3_600_000 } });
    const c = caller(async (r) => ({ value: keyOf(r) }));
    const session = createCallScheduler({ caller: c, limit, schedule: never }).session(sessionOptions({ maxWaitMs: 5_000 }));
    const outcome = await session.submit(request('x'));
    expect(outcome).toMatchObject({ status: 'error', attempts: 0, error: { kind: 'wait_limit' } });
    expect(outcome.error?.message).toMatch(/resets in 60 min/);
    expect(c.starts).toEqual([]);
    expect(session.attempts).toBe(0);
  });

  it('keeps what 429s taught it from one session to the next', async () => {
    const limit = new AdaptiveLimit({ max: 64, cooldownMs: 60_000 });
    let n = 0;
    const c = caller(async (r) => {
      if (++n <= 2) throw new ProviderError({ kind: 'rate_limit', status: 429, message: '429', retryAfterMs: 0 });
      await new Promise((done) => setTimeout(done, 5));
      return { value: keyOf(r) };
    });
    const scheduler = createCallScheduler({ caller: c, limit });
    const first = scheduler.session(sessionOptions({ parallel: 8 }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => first.submit(request(`a${i}`))));
    first.close();
    const lowered = limit.limit;
    expect(lowered).toBeLessThan(8);
    const second = scheduler.session(sessionOptions({ parallel: 8 }));
    expect(limit.limit).toBe(lowered);
    await second.submit(request('b'));
    second.close();
  });

  it('stops the session at a fatal error: what is queued settles as cancelled', async () => {
    const c = caller(async () => {
      throw new ProviderError({ kind: 'auth', status: 401, message: 'bad key' });
    });
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }) }).session(
      sessionOptions({ parallel: 1, isFatal: (e) => e.kind === 'auth' }),
    );
    const outcomes = await Promise.all(['a', 'b', 'c'].map((k) => session.submit(request(k))));
    expect(outcomes.map((o) => o.status)).toEqual(['error', 'cancelled', 'cancelled']);
    expect(session.fatal?.kind).toBe('auth');
    expect(c.starts).toEqual(['a']);
  });
});

describe('rows per request chosen by the plan (batch: auto)', () => {
  const starts = (c: { starts: string[] }) => c.starts.map((s) => s.split('+').length);

  it('sends one row per request while no per-minute limit is known', async () => {
    const c = caller(async (r) => ({ value: keyOf(r) }));
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }) }).session(sessionOptions({ parallel: 4, rowsPerRequest: 'auto' }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => session.submit(request(`k${i}`))));
    expect(starts(c).every((n) => n === 1)).toBe(true);
  });

  it('puts many rows in a request under the assumed entry tier from the first request, and the ETA reflects them', async () => {
    const limits = new ProviderLimits({ assumed: { requestsPerMinute: 50, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000, basis: 'a tier' } });
    const c = caller(async (r) => {
      // The provider's headers arrive with each answer: tier-1-like, with a 6 s "minute".
      await new Promise((done) => setTimeout(done, 5));
      limits.observe({ receivedAt: Date.now(), requests: { limit: 50, remaining: 49, resetAt: Date.now() + 120 } });
      return { value: keyOf(r) };
    });
    const session = createCallScheduler({ caller: c, limit: new AdaptiveLimit({ max: 64 }), limits }).session(
      sessionOptions({ parallel: 4, rowsPerRequest: 'auto' }),
    );
    const outcomes = Promise.all(Array.from({ length: 200 }, (_, i) => session.submit(request(`k${i}`))));
    await Promise.resolve();
    expect(session.etaMs()).not.toBeNull();
    const settled = await outcomes;
    // No request goes alone to learn the limits: the assumption plans the first ones too.
    expect(starts(c)[0]).toBeGreaterThan(1);
    expect(c.starts.length).toBeLessThan(50);
    expect(settled.map((o) => o.value)).toEqual(Array.from({ length: 200 }, (_, i) => `k${i}`));
    expect(session.etaMs()).toBeNull();
    expect(limits.source.source).toBe('learned');
  });
});
