import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, toolUseMessage, type FakeMessagesApi, type FakeRequest } from '../support/fake-messages-api';
import { rowsOf } from '../support/prompt-data';
import { useApp } from './support/app-fixture';
import { runAndWait, setSql } from './support/workbench';

/**
 * Issue 28, model tiers and routing end to end: the built app, the real Anthropic SDK in the model
 * workers, and a fake Messages API on 127.0.0.1 serving two models. The quality model says whether a
 * review's number is even; the fast one says the same, except (when told to disagree) on every
 * seventh review. EXPLAIN shows the routing plan before anything is sent; a disagreeing fast tier is
 * not used, an agreeing one is, and the calls and cost saved are reported.
 */

const app = useApp();
let fake: FakeMessagesApi;
const KEY = ['sk', 'ant', 'routing-test-key'].join('-');
const FAST = 'claude-haiku-4-5';
const QUALITY = 'claude-opus-4-1';
const ROWS = 400;
let fastDisagrees = false;

const evenOf = (text: string) => Number(/\d+/.exec(text)?.[0] ?? 0) % 2 === 0;
const answer = (model: string, text: string) =>
  model === FAST && fastDisagrees && Number(/\d+/.exec(text)?.[0] ?? 0) % 7 === 0 ? !evenOf(text) : evenOf(text);
const modelOf = (r: FakeRequest) => String((r.body as { model?: string }).model);
/** Rows each model was asked about, from the requests the fake API got. */
const rowsByModel = (requests: readonly FakeRequest[]) => {
  const out: Record<string, number> = { [FAST]: 0, [QUALITY]: 0 };
  for (const r of requests) out[modelOf(r)] = (out[modelOf(r)] ?? 0) + rowsOf(r.body).length;
  return out;
};

const SQL = `-- @ model: auto(accuracy 0.95)\nSELECT id, text MEANS 'mentions an even number' AS even FROM numbered ORDER BY id`;

async function run(sql: string) {
  await app().page.evaluate(() => window.semsql!.cache.clear());
  const before = fake.requests.length;
  const out = await app().page.evaluate((q) => window.semsql!.query(q), sql);
  return { out, requests: fake.requests.slice(before) as FakeRequest[] };
}

beforeAll(async () => {
  fake = await startFakeMessagesApi({
    respond: (request) => {
      const rows = rowsOf(request.body);
      const model = modelOf(request);
      const byId = new Map(rows.map((r) => [r.id, String(r['text'] ?? '')]));
      // Output tokens as a real answer would take them; input counted per row.
      const usage = { input_tokens: 40 * rows.length, output_tokens: 8 * rows.length };
      return {
        kind: 'json',
        delayMs: 2,
        body: toolUseMessage(
          (id: string) => answer(model, byId.get(id) ?? ''),
          usage,
          model,
          rows.map((r) => r.id),
        ),
      };
    },
  });
  await app().page.evaluate(
    async ({ key, url, rows }) => {
      await window.semsql!.apiKey.set(key);
      await window.semsql!.settings.update({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        anthropic: { baseURL: url, timeoutMs: 10_000 },
        rowsPerRequest: 20,
        parallel: 8,
        budget: 10_000,
      });
      await window.semsql!.query(`CREATE OR REPLACE TABLE numbered AS SELECT i AS id, 'review number ' || i AS text FROM range(${rows}) t(i)`);
    },
    { key: KEY, url: fake.url, rows: ROWS },
  );
});

afterAll(async () => {
  await fake?.close();
});

describe('tier routing against two models', () => {
  it('EXPLAIN shows the tier, the model and the routing plan before anything is sent', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const before = fake.requests.length;
    const tier = await app().page.evaluate(() => window.semsql!.explain("-- @ model: fast\nSELECT text MEANS 'x' FROM numbered"));
    expect(tier.model).toEqual({ model: FAST, tier: 'fast' });
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), SQL);
    expect(fake.requests.length).toBe(before);
    expect(plan.model).toEqual({ model: QUALITY, tier: 'quality' });
    const [route] = plan.routing ?? [];
    expect(route).toMatchObject({ operator: 'matches', cheap: FAST, quality: QUALITY, inputs: ROWS, sampleDraws: 135, fallback: null });
    expect(route?.ifMet.qualityCalls).toBe(135);
    expect(route?.ifNotMet).toMatchObject({ qualityCalls: ROWS, cheapCalls: 135 });
    expect(route?.ifMet.costUsd).toBeLessThan(route?.ifNotMet.costUsd ?? 0);
  });

  it('does not use a fast tier that disagrees on the sample', async () => {
    fastDisagrees = true;
    const { out, requests } = await run(SQL);
    const [route] = out.stats.routes ?? [];
    expect(route).toMatchObject({ answeredBy: 'quality', qualityCallsSaved: 0 });
    expect(route?.agreement.agreed).toBeLessThan(route?.agreement.compared ?? 0);
    expect(rowsByModel(requests)).toEqual({ [QUALITY]: ROWS, [FAST]: route?.sample.inputs });
    // Every row has the quality model's answer.
    expect(out.rows).toEqual(Array.from({ length: ROWS }, (_, i) => [i, i % 2 === 0]));
  });

  it('uses a fast tier that agrees for the rest, and reports the calls and cost saved', async () => {
    fastDisagrees = false;
    const { out, requests } = await run(SQL);
    const [route] = out.stats.routes ?? [];
    expect(route).toMatchObject({ answeredBy: 'cheap', cheapInputs: ROWS - (route?.sample.inputs ?? 0) });
    expect(route?.qualityCallsSaved).toBe(ROWS - (route?.sample.inputs ?? 0));
    expect(route?.costSavedUsd).toBeGreaterThan(0);
    expect(route?.reason).toMatch(/agreed on 135 of 135 sampled draws/);
    expect(rowsByModel(requests)).toEqual({ [QUALITY]: route?.sample.inputs, [FAST]: ROWS });
    expect(out.rows).toEqual(Array.from({ length: ROWS }, (_, i) => [i, i % 2 === 0]));
    // The call log names the model and the tier of every call.
    const log = await app().page.evaluate(() =>
      window.semsql!.query(
        "SELECT model, tier, count(*) AS n FROM semantic_calls WHERE status = 'ok' AND query_id = (SELECT max_by(query_id, started_at) FROM semantic_queries) GROUP BY ALL ORDER BY model",
      ),
    );
    expect(log.rows.map((r) => [r[0], r[1]])).toEqual([
      [FAST, 'fast'],
      [QUALITY, 'quality'],
    ]);
  });

  it('the run bar says which tier answered and that the result approximates the quality tier', async () => {
    fastDisagrees = false;
    const page = app().page;
    await page.evaluate(() => window.semsql!.cache.clear());
    await setSql(page, SQL);
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
    const summary = await page.locator('[data-testid=routing-summary]').textContent();
    expect(summary).toMatch(
      new RegExp(
        `matches: \\d+ of ${ROWS} inputs answered by ${FAST} \\(an approximation of ${QUALITY}: agreement at least 0\\.9\\d+ at confidence 0\\.9\\), \\d+ ${QUALITY} calls saved`,
      ),
    );
  });
});
