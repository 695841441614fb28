import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi, type Reply } from '../support/fake-messages-api';
import { useApp } from './support/app-fixture';

/**
 * Issue 13, spending: the budget counts every request the client sends, no wait is longer than
 * the ceiling, and an answer that does not fit the operator's type is a row error that is never
 * cached. The real SDK in the model workers calls a fake Messages API on 127.0.0.1.
 */
const app = useApp();
const KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;
const servers: FakeMessagesApi[] = [];

async function provider(respond: (n: number) => Reply): Promise<FakeMessagesApi> {
  const fake = await startFakeMessagesApi({ respond: (_r, n) => respond(n), clientTimeoutMs: 5_000 });
  servers.push(fake);
  await app().page.evaluate(
    async ({ key, url }) => {
      await window.semsql!.apiKey.set(key);
      // One row per request: these tests count requests per input.
      await window.semsql!.settings.update({
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        anthropic: { baseURL: url, timeoutMs: 5_000 },
        maxAttempts: 4,
        rowsPerRequest: 1,
      });
      await window.semsql!.cache.clear();
    },
    { key: KEY, url: fake.url },
  );
  return fake;
}

async function query(sql: string) {
  return app().page.evaluate((q) => window.semsql!.query(q), sql);
}

async function errorsOf(queryId: string): Promise<string[]> {
  const log = await app().page.evaluate((id) => window.semsql!.callLog(id), queryId);
  return log.calls.filter((c) => c.status === 'error').map((c) => c.error ?? '');
}

afterEach(async () => {
  await app().page.evaluate(() =>
    window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', anthropic: { baseURL: '', timeoutMs: 60_000 }, rowsPerRequest: 'auto' }),
  );
});

// Servers stay open to the end, so each test's endpoint has its own port: what one provider
// connection learned (an hour-long rate-limit hold) rightly outlives a query on the same endpoint.
afterAll(async () => {
  await app().page.evaluate(() => window.semsql!.apiKey.forget());
  while (servers.length > 0) await servers.pop()?.close();
});

describe('the budget counts billed requests', () => {
  it('sends at most N requests for a budget of N when every request fails, retries included', async () => {
    const fake = await provider(() => ({ kind: 'error', status: 500, headers: { 'retry-after-ms': '0' } }));
    const out = await query("-- @ budget: 10\nSELECT id, text MEANS 'budget probe' AS m FROM (SELECT * FROM tweets ORDER BY id LIMIT 6)");
    expect(fake.requests.length).toBeLessThanOrEqual(10);
    expect(fake.requests.length).toBeGreaterThan(6);
    expect(out.rows.every(([, m]) => m === null)).toBe(true);
    expect(out.stats.errors).toBe(6);
    expect(out.stats.attempts).toBe(fake.requests.length);
    expect((await errorsOf(out.queryId)).some((e) => /budget of 10 requests is used up/.test(e))).toBe(true);
  });
});

describe('no wait is unbounded', () => {
  it('turns a retry-after of an hour into row errors that say how long, without waiting', async () => {
    const fake = await provider(() => ({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }));
    const out = await query("SELECT id, text MEANS 'patience probe' AS m FROM (SELECT * FROM tweets ORDER BY id LIMIT 3)");
    expect(out.stats.errors).toBe(3);
    expect(fake.requests).toHaveLength(3);
    const errors = await errorsOf(out.queryId);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toMatch(/asked to wait 60 min .*longer than this query waits \(60 s/);
  });

  it('refuses calls a rate-limit reset an hour away would hold, instead of stalling', async () => {
    const reset = new Date(Date.now() + 3_600_000).toISOString();
    const fake = await provider(() => ({
      kind: 'answer',
      value: true,
      headers: { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': reset },
    }));
    const out = await query("-- @ parallel: 1\nSELECT id, text MEANS 'reset probe' AS m FROM (SELECT * FROM tweets ORDER BY id LIMIT 3)");
    expect(fake.requests).toHaveLength(1);
    expect(out.stats.errors).toBe(2);
    for (const e of await errorsOf(out.queryId)) expect(e).toMatch(/rate limit resets in (59|60) min/);
  });
});

describe('answers that do not fit the operator', () => {
  it('makes a null or ill-typed answer a row error, and never caches it', async () => {
    const fake = await provider((n) => ({ kind: 'answer', value: n % 2 === 0 ? null : 'maybe' }));
    const sql = "SELECT id, text MEANS 'null probe' AS m FROM (SELECT * FROM tweets ORDER BY id LIMIT 4)";
    const out = await query(sql);
    expect(out.rows.every(([, m]) => m === null)).toBe(true);
    expect(out.stats.errors).toBe(4);
    const errors = await errorsOf(out.queryId);
    expect(errors.some((e) => /expected true or false, got null/.test(e))).toBe(true);
    expect(errors.some((e) => /expected true or false, got "maybe"/.test(e))).toBe(true);
    const before = fake.requests.length;
    const again = await query(sql);
    expect(again.stats.cached).toBe(0);
    expect(fake.requests.length).toBe(before + 4);
  });
});
