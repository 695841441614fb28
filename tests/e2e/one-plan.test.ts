import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainResult } from '../../src/client';
import { startBatchProxy, type RunningBatchProxy } from '../support/batch-proxy';
import { startFakeMessagesApi, type FakeMessagesApi } from '../support/fake-messages-api';
import { rowsOf } from '../support/prompt-data';
import { useApp } from './support/app-fixture';

/**
 * Issue 22, one plan for every call: with the default settings (a budget of 1,000 requests), a
 * 2,000-row filter runs with 64 rows per request and as Message Batches, against the mock model
 * and against the fake Messages API (the real SDK), and EXPLAIN's request count is the number of
 * requests the run then sends, in both modes: the budget check, EXPLAIN and the run use one plan.
 */
const app = useApp();
const KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;
const ROWS = 2_000;
const FILTER = "SELECT id FROM plan_rows WHERE text MEANS 'a complaint about the delivery' ORDER BY id";
const MODES = [
  { name: '64 rows per request', sql: `-- @ rows_per_request: 64\n${FILTER}`, mode: 'direct' },
  { name: 'Message Batches', sql: `-- @ mode: batch\n${FILTER}`, mode: 'batch' },
] as const;

interface Ran {
  plan: ExplainResult;
  requests: number;
  /** Inputs answered, and inputs that failed. */
  calls: number;
  errors: number;
  ids: number;
}

/** EXPLAIN, then the run, from an empty cache: what was planned, and the billed requests it sent. */
async function explainThenRun(sql: string): Promise<Ran> {
  return app().page.evaluate(async (q) => {
    await window.semsql!.cache.clear();
    const plan = await window.semsql!.explain(q);
    const out = await window.semsql!.query(q);
    return { plan, requests: out.stats.attempts, calls: out.stats.calls, errors: out.stats.errors, ids: out.rows.length };
  }, sql);
}

beforeAll(async () => {
  await app().page.evaluate(async (n) => {
    await window.semsql!.query(
      `CREATE OR REPLACE TABLE plan_rows AS SELECT range AS id, 'Review ' || range || ': ' || CASE range % 4 WHEN 0 THEN 'the parcel came late and the box was crushed' WHEN 1 THEN 'great product, works exactly as described' WHEN 2 THEN 'I want a refund, it broke after a week' ELSE 'average quality for the price' END AS text FROM range(${n})`,
    );
  }, ROWS);
});

describe('one plan, with the mock model and default settings', () => {
  for (const m of MODES) {
    it(`runs a ${ROWS}-row filter with ${m.name}, sending the requests EXPLAIN planned`, async () => {
      const { plan, requests, calls, errors } = await explainThenRun(m.sql);
      expect(plan.firstPass.calls).toBe(ROWS);
      expect(plan.requests.every((r) => r.mode === m.mode)).toBe(true);
      expect(plan.estimate.requests).toBeLessThanOrEqual(1_000);
      expect(requests).toBe(plan.estimate.requests);
      expect({ calls, errors }).toEqual({ calls: ROWS, errors: 0 });
    });
  }
});

describe('one plan, against the fake Messages API', () => {
  let fake: FakeMessagesApi;
  let proxy: RunningBatchProxy;

  beforeAll(async () => {
    const truth = (text: string) => text.includes('late') || text.includes('refund');
    const answer = (body: unknown) => {
      const texts = new Map(rowsOf(body).map((row) => [row.id, String(row['text'])]));
      return { kind: 'answer' as const, value: (id: string) => truth(texts.get(id) ?? '') };
    };
    fake = await startFakeMessagesApi({ respond: (request) => answer(request.body), batches: { latencyMs: 1_500, answer: (params) => answer(params) } });
    // Message Batches go through the batch proxy, as they must from a browser (docs/batch-proxy.md).
    proxy = await startBatchProxy({ origins: [new URL(app().server.url).origin], upstream: fake.url });
    await app().page.evaluate(
      async ({ key, url, batchUrl }) => {
        await window.semsql!.apiKey.set(key);
        await window.semsql!.settings.update({
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          anthropic: { baseURL: url, batchBaseURL: batchUrl, timeoutMs: 30_000 },
        });
      },
      { key: KEY, url: fake.url, batchUrl: proxy.url },
    );
  });

  afterAll(async () => {
    await app().page.evaluate(() =>
      window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', anthropic: { baseURL: '', batchBaseURL: '', timeoutMs: 60_000 } }),
    );
    await app().page.evaluate(() => window.semsql!.apiKey.forget());
    await proxy.close();
    await fake.close();
  });

  it('plans rows per request under the stated entry-tier assumption before any response, and says so', async () => {
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), FILTER);
    expect(plan.limits).toMatchObject({ source: 'assumed', requestsPerMinute: 50, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000 });
    expect(plan.limits.note).toMatch(/entry tier/);
    // Within the default budget, as the run would send it: not one request per row.
    expect(plan.estimate.requests).toBeLessThanOrEqual(1_000);
    expect(Math.min(...plan.requests.map((r) => r.rowsPerRequest))).toBeGreaterThan(1);
  });

  for (const m of MODES) {
    it(`runs a ${ROWS}-row filter with ${m.name}, sending the requests EXPLAIN planned`, async () => {
      const direct = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages').length;
      const batched = () => fake.batches?.submissions().length ?? 0;
      const before = { direct: direct(), batched: batched() };
      const { plan, requests, ids } = await explainThenRun(m.sql);
      const sent = m.mode === 'batch' ? batched() - before.batched : direct() - before.direct;
      expect(plan.requests.every((r) => r.mode === m.mode)).toBe(true);
      expect(sent).toBe(plan.estimate.requests);
      expect(requests).toBe(sent);
      expect(ids).toBe(ROWS / 2);
    });
  }
});
