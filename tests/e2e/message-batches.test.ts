import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/llm/pricing';
import { startBatchProxy, type RunningBatchProxy } from '../support/batch-proxy';
import { startFakeMessagesApi, type FakeMessagesApi } from '../support/fake-messages-api';
import { rowsOf } from '../support/prompt-data';
import { useApp } from './support/app-fixture';
import { openApp } from './support/browser';

/**
 * Issue 16, Message Batches: `-- @ mode: batch` sends a query's misses through the batches API of
 * the fake Anthropic API (real SDK, real IndexedDB ledger), at the batch price. A reload or two
 * while the batch runs loses nothing and submits nothing twice; a cancel stops the batch at the
 * provider and keeps what it had answered.
 *
 * Issue 29: the fake refuses browsers on the batch paths, as the real API does, so every batch here
 * goes through the batch proxy (scripts/batch-proxy.mjs, run as a user runs it); without it a batch
 * query fails at once and says what to do.
 */
const app = useApp();
const KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;
const MODEL = 'claude-haiku-4-5';
const servers: { close(): Promise<void> }[] = [];
let proxy: RunningBatchProxy | undefined;
const appOrigin = () => new URL(app().server.url).origin;

/** A stable hash: the fake model's answer to a text is the same in every request carrying it. */
function fnv(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
const truth = (text: string) => fnv(text) % 3 === 0;

/**
 * A fake API whose batches end `latencyMs` after creation and whose model answers each row by its
 * text, and the batch proxy in front of it for the app's origin (`proxied: false`: none).
 */
async function batchServer(latencyMs: number, { proxied = true } = {}): Promise<FakeMessagesApi> {
  const fake = await startFakeMessagesApi({
    // Direct calls answer too (a rerun after a cancel asks the rest directly).
    respond: (request) => {
      const texts = new Map(rowsOf(request.body).map((row) => [row.id, String(row['text'])]));
      return { kind: 'answer', value: (id: string) => truth(texts.get(id) ?? '') };
    },
    batches: {
      latencyMs,
      answer: (params) => {
        const texts = new Map(rowsOf(params).map((row) => [row.id, String(row['text'])]));
        return { kind: 'answer', value: (id: string) => truth(texts.get(id) ?? '') };
      },
    },
  });
  servers.push(fake);
  proxy = proxied ? await startBatchProxy({ origins: [appOrigin()], upstream: fake.url }) : undefined;
  if (proxy) servers.push(proxy);
  await app().page.evaluate(
    async ({ key, url, batchUrl, model }) => {
      await window.semsql!.apiKey.set(key);
      await window.semsql!.settings.update({ provider: 'anthropic', model, anthropic: { baseURL: url, batchBaseURL: batchUrl, timeoutMs: 10_000 } });
      await window.semsql!.cache.clear();
    },
    { key: KEY, url: fake.url, batchUrl: proxy?.url ?? '', model: MODEL },
  );
  return fake;
}

const directCalls = (fake: FakeMessagesApi) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages').length;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${app().browser.logs.slice(-8).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a query in the page without waiting for it; its outcome is kept on `window`. */
async function start(sql: string): Promise<void> {
  await app().page.evaluate((q) => {
    const w = window as unknown as { __batchQuery?: AbortController; __batchOutcome?: Promise<{ ok: boolean; message: string; rows: unknown[][] }> };
    const controller = new AbortController();
    w.__batchQuery = controller;
    w.__batchOutcome = window.semsql!.query(q, { signal: controller.signal }).then(
      (r) => ({ ok: true, message: '', rows: r.rows }),
      (e: Error) => ({ ok: false, message: `${e.name}: ${e.message}`, rows: [] }),
    );
  }, sql);
}

const outcome = () =>
  app().page.evaluate(() => (window as unknown as { __batchOutcome: Promise<{ ok: boolean; message: string; rows: unknown[][] }> }).__batchOutcome);

const SQL = (n: number, rows: number | 'auto' = 'auto') =>
  `-- @ mode: batch\n-- @ rows_per_request: ${rows}\nSELECT id, text, text MEANS 'talks about food' AS food FROM tweets WHERE id <= ${n} ORDER BY id`;
const distinctTexts = (n: number) =>
  app().page.evaluate(async (k) => Number((await window.semsql!.query(`SELECT count(DISTINCT text) FROM tweets WHERE id <= ${k}`)).rows[0]?.[0]), n);

afterEach(async () => {
  await app().page.evaluate(() =>
    window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', anthropic: { baseURL: '', batchBaseURL: '', timeoutMs: 60_000 } }),
  );
  // What went through the proxy: the key in no line of its log.
  expect(proxy?.logs.join('\n') ?? '').not.toContain(KEY);
});

afterAll(async () => {
  await app().page.evaluate(() => window.semsql!.apiKey.forget());
  while (servers.length > 0) await servers.pop()?.close();
});

describe('Message Batches', () => {
  it('answers a query through one batch, each row its own answer, at the batch price', async () => {
    const fake = await batchServer(1_000);
    // EXPLAIN says where the batches will go; Settings, that the proxy answers and allows this page.
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), SQL(40));
    expect(plan.batchEndpoint).toBe(`${proxy?.url} (the Message Batches endpoint in Settings)`);
    await app().page.click('[data-testid=open-settings]');
    const status = app().page.locator('[data-testid=batch-endpoint-status][data-state=ready]');
    expect(await status.textContent()).toContain(`The batch proxy at ${proxy?.url} is reachable: it allows this page (${appOrigin()})`);
    await app().page.click('[data-testid=close-settings]');
    const out = await app().page.evaluate((q) => window.semsql!.query(q), SQL(40));
    expect(out.rows).toHaveLength(40);
    for (const [, text, food] of out.rows) expect(food).toBe(truth(String(text)));
    expect(fake.batches?.created).toHaveLength(1);
    expect(directCalls(fake)).toBe(0);
    const calls = (await app().page.evaluate((id) => window.semsql!.callLog(id), out.queryId)).calls.filter((c) => c.status === 'ok');
    expect(calls.length).toBeGreaterThan(0);
    // Rows share requests (rows per call), and each is billed its share at half the price.
    expect(Math.max(...calls.map((c) => c.rows_in_request))).toBeGreaterThan(1);
    for (const c of calls) expect(c.cost_usd).toBeCloseTo(costUsd(MODEL, { inputTokens: c.input_tokens, outputTokens: c.output_tokens }) / 2, 10);
    expect(await app().page.evaluate(() => window.semsql!.batches.list())).toEqual([]);
    // Answered once: the rerun reads the cache.
    const again = await app().page.evaluate((q) => window.semsql!.query(q), SQL(40));
    expect(again.stats.calls).toBe(0);
    expect(again.rows).toEqual(out.rows);
  });

  it('survives two reloads while the batch runs: nothing submitted twice, every answer kept', async () => {
    const fake = await batchServer(8_000);
    await start(SQL(60));
    await until(() => (fake.batches?.created.length ?? 0) === 1, 'the batch to be created');
    const submitted = fake.batches?.submissions().length ?? 0;

    // Reload while it runs: the ledger has it, and the same query joins it instead of submitting again.
    await openApp(app().page, app().server.url);
    const pending = await app().page.evaluate(() => window.semsql!.batches.list());
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ requests: submitted, rows: await distinctTexts(60), cancelRequested: false });
    expect(pending[0]?.costUsd).toBeGreaterThan(0);
    await start(SQL(60));
    await new Promise((r) => setTimeout(r, 1_000));

    // And once more.
    await openApp(app().page, app().server.url);
    await start(SQL(60));
    const done = await outcome();
    expect(done.ok, done.message).toBe(true);
    expect(done.rows).toHaveLength(60);
    for (const [, text, food] of done.rows) expect(food).toBe(truth(String(text)));

    expect(fake.batches?.created).toHaveLength(1);
    expect(fake.batches?.duplicates()).toEqual([]);
    expect(directCalls(fake)).toBe(0);
    await until(async () => (await app().page.evaluate(() => window.semsql!.batches.list())).length === 0, 'the ledger to be empty');
  });

  it('a cancel stops the batch at the provider; what it had answered is stored, and the rest is asked once', async () => {
    const fake = await batchServer(8_000);
    // Ten requests of five rows, finishing one after another over the batch's 8 s.
    await start(SQL(50, 5));
    await until(() => (fake.batches?.created.length ?? 0) === 1, 'the batch to be created');
    // A quarter of the requests are done when the cancel comes (they finish evenly over the
    // latency), leaving room for a busy machine to deliver the cancel late.
    await new Promise((r) => setTimeout(r, 2_000));
    await app().page.evaluate(() => (window as unknown as { __batchQuery: AbortController }).__batchQuery.abort());
    const stopped = await outcome();
    expect(stopped.ok).toBe(false);
    expect(stopped.message).toMatch(/^AbortError/);
    // The caller hears "cancelled" at once; the engine's cancel reaches the provider after.
    await until(() => fake.batches?.created[0]?.cancelInitiatedAt !== undefined, 'the provider to be told');
    await until(async () => (await app().page.evaluate(() => window.semsql!.batches.list())).length === 0, 'the cancelled batch to be settled');

    // The rerun, direct: rows the batch answered come from the cache, only the others are asked.
    const rerun = await app().page.evaluate(() =>
      window.semsql!.query("-- @ batch: 1\nSELECT id, text, text MEANS 'talks about food' AS food FROM tweets WHERE id <= 50 ORDER BY id"),
    );
    for (const [, text, food] of rerun.rows) expect(food).toBe(truth(String(text)));
    expect(rerun.stats.cached).toBeGreaterThan(0);
    expect(rerun.stats.calls).toBeGreaterThan(0);
    expect(rerun.stats.cached + rerun.stats.calls).toBe(await distinctTexts(50));
    expect(directCalls(fake)).toBe(rerun.stats.calls);
  });

  it('a pending batch can be cancelled from the list after a reload', async () => {
    // Ten minutes: it must not end on its own before the cancel, however slow the reload (with the
    // load average at 24, reloading and listing took a minute, and a 30 s batch had ended).
    const fake = await batchServer(600_000);
    await start(SQL(20));
    await until(() => (fake.batches?.created.length ?? 0) === 1, 'the batch to be created');
    await openApp(app().page, app().server.url);
    // The list fills once the model workers run (the app starts them after the sample).
    await until(async () => (await app().page.evaluate(() => window.semsql!.batches.list())).length > 0, 'the batch to be listed');
    const [pending] = await app().page.evaluate(() => window.semsql!.batches.list());
    expect(pending).toBeDefined();
    await app().page.evaluate((id) => window.semsql!.batches.cancel(id), pending?.localId ?? '');
    expect(fake.batches?.created[0]?.cancelInitiatedAt).toBeDefined();
    // The keeper may be between polls (up to 30 s apart) when the batch ends.
    await until(async () => (await app().page.evaluate(() => window.semsql!.batches.list())).length === 0, 'the cancelled batch to be settled', 90_000);
  });

  it('without a batch endpoint, a batch query for the Anthropic API fails at once, says what to do, and sends nothing', async () => {
    await app().page.evaluate(async (key) => {
      await window.semsql!.apiKey.set(key);
      await window.semsql!.settings.update({ provider: 'anthropic', model: 'claude-haiku-4-5', anthropic: { baseURL: '', batchBaseURL: '' } });
    }, KEY);
    const ledger = async () => (await app().page.evaluate(() => window.semsql!.batches.list())).map((b) => b.localId);
    const before = await ledger();
    const message = await app().page.evaluate(
      (q) =>
        window.semsql!.query(q).then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      SQL(5),
    );
    expect(message).toBe(
      'Message Batches (-- @ mode: batch) need a batch endpoint: https://api.anthropic.com refuses batch requests from a browser (its /v1/messages/batches answers no CORS preflight). ' +
        `Run the batch proxy (npm run batch-proxy -- --port 8787 --origin ${appOrigin()}) and set Settings → Message Batches endpoint to its URL (http://127.0.0.1:8787); see docs/batch-proxy.md. Nothing was sent.`,
    );
    // Nothing recorded for submission (the ledger is written before any create).
    expect(await ledger()).toEqual(before);
    const queries = (await app().page.evaluate(() => window.semsql!.callLog())).queries;
    // Refused before the first pass: no pass, no call.
    expect(queries.at(-1)).toMatchObject({ status: 'error', passes: 0, calls: 0 });
  });

  it('the fake refuses browsers on the batch paths by itself: straight to it, a batch query fails and creates nothing', async () => {
    const fake = await batchServer(1_000, { proxied: false });
    const message = await app().page.evaluate(
      (q) =>
        window.semsql!.query(q).then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      SQL(5),
    );
    expect(message).toMatch(/could not submit the batch: .*run the batch proxy .*docs\/batch-proxy\.md/);
    expect(fake.batches?.created).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });
});
