import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi, type Reply } from '../support/fake-messages-api';
import { rowsOf } from '../support/prompt-data';
import { useApp } from './support/app-fixture';

/**
 * Issue 22, a flaky network is not an unreachable provider: against the fake Messages API (the real
 * SDK in the model workers), inputs whose answers are connection resets (before the reply and mid
 * body), hangs, 429 storms, 500/529 and malformed bodies are row errors; the rerun, which asks only
 * those inputs and whose first requests all meet resets, completes with the same row errors instead
 * of stopping, because the connection was reached before. A fresh connection to an endpoint nobody
 * answers is still told "could not be reached" at once.
 */
const app = useApp();
const KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;
const servers: FakeMessagesApi[] = [];

/** How each input of the table is answered, by the first word of its text, and how many there are. */
const KINDS = { good: 10, 'always-reset': 2, 'first-reset': 2, 'server-error': 2, 'rate-storm': 2, hang: 1, malformed: 1 } as const;
type Kind = keyof typeof KINDS;
/** The inputs that keep failing, whatever the retries. */
const FAILING: readonly Kind[] = ['always-reset', 'server-error', 'rate-storm', 'hang', 'malformed'];
const failing = FAILING.reduce((n, k) => n + KINDS[k], 0);
const rows = Object.values(KINDS).reduce((n, k) => n + k, 0);

const SQL = "-- @ rows_per_request: 1\nSELECT id, text MEANS 'a complaint' AS m FROM flaky_rows ORDER BY id";

afterAll(async () => {
  await app().page.evaluate(() =>
    window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', maxAttempts: 4, anthropic: { baseURL: '', timeoutMs: 60_000 } }),
  );
  await app().page.evaluate(() => window.semsql!.apiKey.forget());
  while (servers.length > 0) await servers.pop()?.close();
});

function flakyServer(): Promise<FakeMessagesApi> & { resetsFirst(n: number): void } {
  const attempts = new Map<string, number>();
  let resetsLeft = 0;
  const reply = (text: string): Reply => {
    const a = (attempts.get(text) ?? 0) + 1;
    attempts.set(text, a);
    if (resetsLeft > 0) {
      resetsLeft--;
      return { kind: 'reset', midBody: true };
    }
    switch (text.split(' ')[0] as Kind) {
      case 'always-reset':
        return { kind: 'reset', midBody: a % 2 === 0 };
      case 'first-reset':
        return a === 1 ? { kind: 'reset', midBody: true } : { kind: 'answer', value: false };
      case 'server-error':
        return { kind: 'error', status: a % 2 === 1 ? 500 : 529 };
      case 'rate-storm':
        return { kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '0' } };
      case 'hang':
        return { kind: 'answer', value: true, delayMs: 30_000 };
      case 'malformed':
        return { kind: 'raw', body: '{"content": [{"type": "tool_use", "input": {"answ' };
      default:
        return { kind: 'answer', value: text.endsWith('0') };
    }
  };
  const started = startFakeMessagesApi({ respond: (request) => reply(String(rowsOf(request.body)[0]?.['text'] ?? '')), clientTimeoutMs: 2_000 });
  return Object.assign(started, { resetsFirst: (n: number) => void (resetsLeft = n) });
}

async function useEndpoint(url: string): Promise<void> {
  await app().page.evaluate(
    async ({ key, url }) => {
      await window.semsql!.apiKey.set(key);
      await window.semsql!.settings.update({
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        parallel: 8,
        maxAttempts: 3,
        anthropic: { baseURL: url, timeoutMs: 2_000 },
      });
    },
    { key: KEY, url },
  );
}

describe('a flaky network is not an unreachable provider', () => {
  it('completes a rerun whose first requests meet connection resets, with the inputs that keep failing as row errors', async () => {
    const pending = flakyServer();
    const fake = await pending;
    servers.push(fake);
    await useEndpoint(fake.url);
    const values = Object.entries(KINDS).flatMap(([kind, n]) => Array.from({ length: n }, (_, i) => `('${kind} ${i}')`));
    await app().page.evaluate(async (v) => {
      await window.semsql!.cache.clear();
      await window.semsql!.query(`CREATE OR REPLACE TABLE flaky_rows AS SELECT row_number() OVER () AS id, text FROM (VALUES ${v}) t(text)`);
    }, values.join(', '));

    const first = await app().page.evaluate((q) => window.semsql!.query(q), SQL);
    expect(first.stats.errors).toBe(failing);
    const answered = first.rows.filter(([, m]) => m !== null).length;
    expect(answered).toBe(rows - failing);

    const before = fake.requests.length;
    pending.resetsFirst(6);
    const rerun = await app().page.evaluate(
      (q) =>
        window.semsql!.query(q).then(
          (r) => ({ ok: true as const, stats: r.stats, nulls: r.rows.filter(([, m]) => m === null).length }),
          (e: Error) => ({ ok: false as const, message: e.message }),
        ),
      SQL,
    );
    expect(rerun).toMatchObject({ ok: true });
    if (!rerun.ok) return;
    // Only the inputs that failed were asked again; the first six requests all met a reset.
    expect(rerun.stats).toMatchObject({ calls: failing, cached: rows - failing, errors: failing });
    expect(rerun.nulls).toBe(failing);
    expect(fake.requests.slice(before, before + 6).every((r) => r.reply?.kind === 'reset')).toBe(true);
  });

  it('still stops at once, with one message, when a fresh connection is never answered', async () => {
    const gone = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: true }) });
    const url = gone.url;
    await gone.close();
    await useEndpoint(url);
    const message = await app().page.evaluate(
      (q) =>
        window.semsql!.query(q).then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      "SELECT text MEANS 'nobody answers' FROM (SELECT 'dead endpoint ' || range AS text FROM range(12))",
    );
    expect(message).toMatch(/could not be reached, so the query stopped: .*\(4 requests in a row failed, and none was ever answered\)/);
  });
});
