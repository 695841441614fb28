import { describe, expect, it, beforeAll } from 'vitest';
import { useApp } from './support/app-fixture';
import { freshMockSession } from './support/mock-model';
import { openApp } from './support/browser';

const app = useApp();

const query = (sql: string) => app().page.evaluate((q) => window.semsql!.query(q), sql);
const failure = (sql: string) =>
  app().page.evaluate(
    (q) =>
      window.semsql!.query(q).then(
        () => null,
        (e: Error) => e.message,
      ),
    sql,
  );

beforeAll(async () => {
  await freshMockSession(app().page, 5);
});

describe('EXPLAIN SEMANTIC', () => {
  it('counts the first pass exactly, cached and uncached, without calling a model', async () => {
    const sql = "SELECT id, text MEANS 'complaint' AS c FROM (SELECT * FROM tweets WHERE id <= 30)";
    await query("SELECT text MEANS 'complaint' FROM (SELECT * FROM tweets WHERE id <= 12)");
    const distinct = (await query('SELECT count(DISTINCT text) FROM tweets WHERE id <= 30')).rows[0]?.[0] as number;
    const cachedDistinct = (await query('SELECT count(DISTINCT text) FROM tweets WHERE id <= 12')).rows[0]?.[0] as number;
    const before = (await app().page.evaluate(() => window.semsql!.callLog())).calls.length;
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), sql);
    expect(plan.sql).toContain('__sem_matches(');
    expect(plan.callSites).toHaveLength(1);
    expect(plan.callSites[0]).toMatchObject({ operator: 'matches', line: 1, text: "text MEANS 'complaint'" });
    expect(plan.firstPass).toEqual({ distinctInputs: distinct, cached: cachedDistinct, calls: distinct - cachedDistinct });
    expect(plan.estimate.inputTokens).toBeGreaterThan(0);
    const after = (await app().page.evaluate(() => window.semsql!.callLog())).calls.length;
    expect(after).toBe(before);
    // The statement form answers with the same numbers as a table.
    const table = await query(`EXPLAIN SEMANTIC ${sql}`);
    const row = (item: string) => table.rows.find((r) => r[0] === item)?.[1];
    expect(row('first_pass_calls')).toBe(String(distinct - cachedDistinct));
    expect(row('rewritten_sql')).toBe(plan.sql);
  });
});

describe('user-defined operators', () => {
  it('are created, used, listed, kept across a reload, and dropped', async () => {
    const created = await query(
      "CREATE SEMANTIC FUNCTION mentions_food(text VARCHAR, food VARCHAR) RETURNS BOOLEAN AS 'Does {{text}} mention {{food}}?' INFIX 'MENTIONS_FOOD'",
    );
    expect(created.rows).toEqual([['mentions_food']]);
    const used = await query("SELECT count(*) FROM (SELECT text MENTIONS_FOOD 'pasta' AS f FROM (SELECT * FROM tweets WHERE id <= 5)) WHERE f IS NOT NULL");
    expect(used.rows).toEqual([[5]]);
    await openApp(app().page, app().server.url);
    const listed = await query('SHOW SEMANTIC FUNCTIONS');
    expect(listed.rows.map((r) => r[0])).toContain('mentions_food');
    const again = await query("SELECT mentions_food(text, 'pasta') AS f FROM (SELECT * FROM tweets WHERE id <= 5)");
    expect(again.stats.calls).toBe(0);
    await query('DROP SEMANTIC FUNCTION mentions_food');
    expect(await failure("SELECT mentions_food(text, 'pasta') FROM tweets LIMIT 1")).toMatch(/mentions_food/);
    await openApp(app().page, app().server.url);
    const afterDrop = await query('SHOW SEMANTIC FUNCTIONS');
    expect(afterDrop.rows.map((r) => r[0])).not.toContain('mentions_food');
  });

  it('changing the prompt changes the version, so old answers are not reused', async () => {
    await query("CREATE SEMANTIC FUNCTION vibe(text VARCHAR) RETURNS VARCHAR AS 'Describe the vibe of {{text}}'");
    const first = await query('SELECT vibe(text) FROM (SELECT * FROM tweets WHERE id <= 4)');
    await query("CREATE OR REPLACE SEMANTIC FUNCTION vibe(text VARCHAR) RETURNS VARCHAR AS 'In one word, the vibe of {{text}}'");
    const second = await query('SELECT vibe(text) FROM (SELECT * FROM tweets WHERE id <= 4)');
    expect(first.stats.calls).toBeGreaterThan(0);
    expect(second.stats.calls).toBe(first.stats.calls);
  });
});

describe('the call log', () => {
  it('is queryable as tables with the documented columns', async () => {
    const run = await query("SELECT text ABOUT 'databases' FROM (SELECT * FROM tweets WHERE id <= 6)");
    const calls = await query(
      `SELECT operator, status, attempts, duration_ms >= 0 AS timed, ended_at >= started_at AS ordered FROM semantic_calls WHERE query_id = '${run.queryId}' AND status = 'ok'`,
    );
    expect(calls.rows.length).toBe(run.stats.calls);
    for (const row of calls.rows) expect(row).toEqual(['score', 'ok', 1, true, true]);
    const columns = await query("SELECT column_name FROM information_schema.columns WHERE table_name = 'semantic_calls' ORDER BY ordinal_position");
    expect(columns.rows.map((r) => r[0])).toEqual(
      expect.arrayContaining([
        'query_id',
        'operator',
        'model',
        'started_at',
        'ended_at',
        'duration_ms',
        'status',
        'attempts',
        'input_tokens',
        'output_tokens',
        'cost_usd',
        'error',
      ]),
    );
    const q = await query(`SELECT passes, calls, cache_hits, errors, status FROM semantic_queries WHERE query_id = '${run.queryId}'`);
    expect(q.rows).toEqual([[2, run.stats.calls, 0, 0, 'ok']]);
  });
});

describe('progress', () => {
  it('reports on a timer while a query runs, not only when a call ends', async () => {
    const times = await app().page.evaluate(async () => {
      await window.semsql!.settings.update({ mock: { latencyMs: 300 } });
      const seen: { t: number; done: number; inFlight: number }[] = [];
      const start = performance.now();
      await window.semsql!.query("-- @ parallel: 2\nSELECT (text || id) EXTRACTS 'progress probe' FROM (SELECT * FROM tweets WHERE id <= 8)", {
        onProgress: (p) => seen.push({ t: performance.now() - start, done: p.done, inFlight: p.inFlight }),
      });
      await window.semsql!.settings.update({ mock: { latencyMs: 5 } });
      return seen;
    });
    // Structure, not speed (the cadence is a timer in the engine; a busy machine stretches it):
    // reports keep coming while calls are out and none has ended (a heartbeat), `done` only grows,
    // and the last report counts every row.
    expect(times.length).toBeGreaterThan(5);
    const heartbeats = times.slice(1).filter((s, i) => s.done === (times[i] as { done: number }).done && s.inFlight > 0);
    expect(heartbeats.length).toBeGreaterThan(0);
    expect(times.every((s, i) => i === 0 || s.done >= (times[i - 1] as { done: number }).done)).toBe(true);
    expect(times.some((s) => s.inFlight === 2)).toBe(true);
    expect(times.at(-1)?.done).toBe(8);
  });
});
