import { describe, expect, test } from 'vitest';
import { ProviderError } from '../../../../src/llm/provider';
import { AdaptiveLimit } from '../../../../src/llm/scheduler/adaptive-limit';
import { createCallScheduler, type AttemptCaller } from '../../../../src/llm/scheduler/call-scheduler';
import { Reachability, UNREACHABLE_AFTER } from '../../../../src/llm/scheduler/reachability';
import type { SessionOptions } from '../../../../src/llm/scheduler/session-options';
import type { ModelRequest } from '../../../../src/protocol/model';

/**
 * Issue 22: a network error on one request is retried like a 5xx; "unreachable" is concluded only
 * from UNREACHABLE_AFTER failures in a row on a connection that has never had an answer.
 */

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

const options = (over: Partial<SessionOptions> = {}): SessionOptions => ({
  parallel: 1,
  signal: new AbortController().signal,
  maxAttempts: 4,
  budget: 1_000,
  maxWaitMs: 60_000,
  rowsPerRequest: 1,
  isFatal: () => false,
  ...over,
});

/** A provider whose answer to each attempt `fate` decides: 'reset' throws a network error, 'down' a 500. */
function provider(fate: (key: string, attempt: number) => 'ok' | 'reset' | 'down'): AttemptCaller & { attempts: number } {
  const seen = new Map<string, number>();
  const caller = {
    attempts: 0,
    inFlight: () => 0,
    async call(r: ModelRequest) {
      caller.attempts++;
      const key = r.rows[0]?.key ?? '';
      const attempt = (seen.get(key) ?? 0) + 1;
      seen.set(key, attempt);
      await Promise.resolve();
      const f = fate(key, attempt);
      if (f === 'reset') throw new ProviderError({ kind: 'network', message: 'Failed to fetch' });
      if (f === 'down') throw new ProviderError({ kind: 'server', status: 500, message: 'fake 500' });
      return { rows: r.rows.map(() => ({ ok: true as const, value: key })), inputTokens: 1, outputTokens: 1 };
    },
  };
  return caller;
}

const scheduler = (caller: AttemptCaller, reach = new Reachability()) =>
  createCallScheduler({ caller, limit: new AdaptiveLimit({ max: 16 }), reach, retry: { baseDelayMs: 1, maxDelayMs: 2 } });

describe('reachability', () => {
  test(`a connection never answered is unreachable after ${UNREACHABLE_AFTER} network failures in a row, and the session stops at once`, async () => {
    const dead = provider(() => 'reset');
    const session = scheduler(dead).session(options({ parallel: 2 }));
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => session.submit(request(k))));
    expect(dead.attempts).toBe(UNREACHABLE_AFTER);
    expect(session.fatal).toMatchObject({ kind: 'network' });
    expect(session.fatal?.message).toMatch(/Failed to fetch \(4 requests in a row failed, and none was ever answered\)/);
    expect(outcomes.filter((o) => o.status === 'cancelled').length).toBeGreaterThan(0);
  });

  test('one reset on a fresh connection is retried like a 5xx, not concluded', async () => {
    const flaky = provider((_key, attempt) => (attempt === 1 ? 'reset' : 'ok'));
    const session = scheduler(flaky).session(options({ parallel: 2 }));
    const outcomes = await Promise.all(['a', 'b'].map((k) => session.submit(request(k))));
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(session.fatal).toBeNull();
  });

  test("once the connection has had an answer, resets are the requests' own: retried, then row errors, and the session goes on", async () => {
    const reach = new Reachability();
    let after = false;
    const caller = provider((key) => (key === 'first' ? 'ok' : after ? 'reset' : 'ok'));
    const s = scheduler(caller, reach);
    await s.session(options()).submit(request('first'));
    after = true;
    const session = s.session(options({ parallel: 4 }));
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => session.submit(request(k))));
    expect(session.fatal).toBeNull();
    expect(outcomes.every((o) => o.status === 'error' && o.error?.kind === 'network' && o.attempts === 4)).toBe(true);
  });

  test('an HTTP error is an answer: the provider was reached', () => {
    const reach = new Reachability();
    expect(reach.failed('server')).toBe(false);
    for (let i = 0; i < 10; i++) expect(reach.failed('network')).toBe(false);
    const fresh = new Reachability();
    // Timeouts say nothing either way: they neither conclude nor clear.
    for (let i = 0; i < 3; i++) fresh.failed('network');
    fresh.failed('timeout');
    expect(fresh.failed('network')).toBe(true);
  });
});
