import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { freshMockSession, NO_FAULTS, setMockModel } from './support/mock-model';

const app = useApp();
const query = (sql: string) => app().page.evaluate((q) => window.semsql!.query(q), sql);

beforeAll(async () => {
  await freshMockSession(app().page, 5);
});

describe('engine crash', () => {
  it('restarts the DuckDB worker, reloads data and operators, says so once, and keeps cached answers', async () => {
    const { page } = app();
    await page.evaluate(async () => {
      const db = window.semsql!;
      (window as unknown as { restarts: string[] }).restarts = [];
      db.onRestart((m) => (window as unknown as { restarts: string[] }).restarts.push(m));
      await db.load('name,bio\nada,"wrote the first program"\ngrace,"invented the compiler"\n', { table: 'people' });
      await db.query("CREATE OR REPLACE SEMANTIC FUNCTION is_pioneer(text VARCHAR) RETURNS BOOLEAN AS 'Is {{text}} about a computing pioneer?'");
    });
    const before = await query('SELECT name, is_pioneer(bio) AS p FROM people ORDER BY name');
    expect(before.stats.calls).toBe(2);

    await page.evaluate(() => window.semsql!.debug.crashEngine());
    await page.waitForFunction(() => (window as unknown as { restarts: string[] }).restarts.length > 0, null, { timeout: 60_000 });

    const after = await query('SELECT name, is_pioneer(bio) AS p FROM people ORDER BY name');
    expect(after.rows).toEqual(before.rows);
    expect(after.stats.calls).toBe(0);
    expect(after.stats.cached).toBe(2);
    const tweets = await query('SELECT count(*) FROM tweets');
    expect(tweets.rows).toEqual([[3000]]);
    const restarts = await page.evaluate(() => (window as unknown as { restarts: string[] }).restarts);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatch(/restarted.*loaded again.*cached answers are kept/);
  });
});

describe('fault soak', () => {
  it('completes 2,000 rows under 20% 429, 5% 5xx, 3% timeouts, 5% malformed at parallel 32, losing nothing', async () => {
    const { page } = app();
    await page.evaluate(
      async (faults) => {
        await window.semsql!.cache.clear();
        await window.semsql!.settings.update({ maxAttempts: 4, mock: { latencyMs: [5, 25], timeoutMs: 300, faults } });
      },
      { rateLimit: 0.2, server: 0.05, timeout: 0.03, malformed: 0.05 },
    );
    const sql =
      "-- @ parallel: 32\n-- @ budget: 3000\nSELECT id, (text || ' #' || id) ALIGNS 'SQL is good for AI' AS score FROM (SELECT * FROM tweets LIMIT 2000)";
    const out = await query(sql);
    expect(out.rows).toHaveLength(2000);
    const log = (await page.evaluate((id) => window.semsql!.callLog(id), out.queryId)).calls.filter((c) => c.status !== 'cached');
    // One record per distinct input; never more attempts than allowed.
    expect(log).toHaveLength(2000);
    expect(Math.max(...log.map((c) => c.attempts))).toBeLessThanOrEqual(4);
    expect(log.some((c) => c.attempts > 1)).toBe(true);
    const ok = log.filter((c) => c.status === 'ok').length;
    const failed = log.filter((c) => c.status === 'error').length;
    expect(ok + failed).toBe(2000);
    expect(failed).toBe(out.stats.errors);
    // Malformed answers (5%) are not retried, so some rows are row-level errors: NULL, the rest values.
    expect(failed).toBeGreaterThan(40);
    const nulls = out.rows.filter((r) => r[1] === null).length;
    expect(nulls).toBe(failed);
    for (const r of out.rows) if (r[1] !== null) expect(r[1]).toBeGreaterThanOrEqual(0);
    // The cache holds exactly the successful answers, in memory and in IndexedDB.
    const cache = await page.evaluate(() => window.semsql!.cache.stats());
    expect(cache.memoryEntries).toBe(ok);
    expect(cache.persistentEntries).toBe(ok);
    // A rerun (faults off) calls only the inputs that failed.
    await page.evaluate((faults) => window.semsql!.settings.update({ mock: { faults } }), NO_FAULTS);
    const rerun = await query(sql);
    expect(rerun.stats.calls).toBe(failed);
    expect(rerun.stats.cached).toBe(ok);
    expect(rerun.rows.filter((r) => r[1] === null)).toHaveLength(0);
  });
});

describe('reload in the middle of a query', () => {
  it('keeps every answer that completed 250 ms before the reload; the rerun calls only the rest', async () => {
    const { page, server } = app();
    await page.evaluate(async (faults) => {
      await window.semsql!.cache.clear();
      await window.semsql!.settings.update({ mock: { latencyMs: 100, faults } });
    }, NO_FAULTS);
    const sql = "-- @ parallel: 8\nSELECT id, (text || ' @' || id) EXTRACTS 'hashtags' FROM (SELECT * FROM tweets LIMIT 500)";
    const completedBefore = await page.evaluate(async (q) => {
      const started = performance.timeOrigin + performance.now();
      void window.semsql!.query(q).catch(() => {});
      // Until more than 50 answers are at least 250 ms old: counted, not timed, for a busy machine.
      for (;;) {
        const cutoff = performance.timeOrigin + performance.now() - 250;
        const log = await window.semsql!.callLog();
        const done = log.calls.filter((c) => c.status === 'ok' && c.started_at >= started && c.ended_at <= cutoff).length;
        if (done > 50) return done;
        await new Promise((r) => setTimeout(r, 100));
      }
    }, sql);
    expect(completedBefore).toBeGreaterThan(50);
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true');
    await page.evaluate(() => window.semsql!.settings.update({ mock: { latencyMs: 2 } }));
    const rerun = await query(sql);
    expect(rerun.stats.cached).toBeGreaterThanOrEqual(completedBefore);
    expect(rerun.stats.calls).toBe(500 - rerun.stats.cached);
    void server;
  });
});

describe('bad input keeps the app usable', () => {
  const cases: [string, string, RegExp | null][] = [
    ['malformed SQL', 'SELEC * FROM tweets', /syntax error/i],
    ['a semantic syntax error', 'SELECT * FROM tweets WHERE text MEANS', /line 1, column \d+/],
    ['an unknown table', "SELECT text MEANS 'x' FROM no_such_table", /no_such_table/],
    ['a type error', "SELECT 'abc' + 1", /./],
    ['an operator on a non-text column', "SELECT id, likes MEANS 'a big number' AS m FROM tweets WHERE id <= 3", null],
    ['an empty table', "SELECT text MEANS 'x' FROM (SELECT * FROM tweets WHERE false)", null],
    ['a NULL-only column', "SELECT NULL::VARCHAR MEANS 'x' AS m FROM range(5)", null],
  ];
  it.each(cases)('%s', async (_name, sql, error) => {
    const { page } = app();
    await page.evaluate((faults) => window.semsql!.settings.update({ mock: { latencyMs: 2, faults } }), NO_FAULTS);
    const outcome = await page.evaluate(
      (q) =>
        window.semsql!.query(q).then(
          (r) => ({ ok: true as const, rows: r.rows }),
          (e: Error) => ({ ok: false as const, message: e.message }),
        ),
      sql,
    );
    if (error) {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.message).toMatch(error);
    } else {
      expect(outcome.ok).toBe(true);
    }
    expect((await query('SELECT 1 AS still_working')).rows).toEqual([[1]]);
  });

  it('answers over a 10 MB text cell and a 10,000-column row', async () => {
    const big = await query("-- @ budget: 10\nSELECT length(t) AS n, t MEANS 'complaint' AS m FROM (SELECT repeat('word ', 2000000) AS t)");
    expect(big.rows).toEqual([[10_000_000, false]]);
    const wideCols = Array.from({ length: 10_000 }, (_, i) => `${i} AS c${i}`).join(', ');
    const wide = await query(`SELECT ${wideCols}`);
    expect(wide.columns).toHaveLength(10_000);
    expect(wide.rows[0]?.[9_999]).toBe(9_999);
  });
});

describe('resource limits', () => {
  it('refuses a 100k-call query by budget without calling', async () => {
    const message = await app().page.evaluate(() =>
      window.semsql!.query("SELECT (text || id || '.' || range) MEANS 'x' FROM tweets, range(34)").then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(message).toMatch(/needs 102000 model calls in pass 1, over its budget of 1000/);
  });

  it('runs a cached operator over a 10M-row table without running out of memory', async () => {
    const { page } = app();
    await setMockModel(page, 1);
    const out = await page.evaluate(async () => {
      const db = window.semsql!;
      await db.query("CREATE OR REPLACE TABLE ten_m AS SELECT 'note number ' || (range % 500) AS t FROM range(10000000)");
      // 500 distinct inputs: the first run answers them, the second is all cache hits.
      await db.query("-- @ parallel: 64\nSELECT count(*) FROM (SELECT DISTINCT t FROM ten_m) WHERE t MEANS 'a note'");
      const r = await db.query("SELECT count(*) AS n, count(*) FILTER (WHERE m) AS yes FROM (SELECT t MEANS 'a note' AS m FROM ten_m)");
      const stats = await db.debug.engineStats();
      await db.query('DROP TABLE ten_m');
      return { rows: r.rows, calls: r.stats.calls, heapBytes: stats.heapBytes };
    });
    expect(out.rows[0]?.[0]).toBe(10_000_000);
    expect(out.calls).toBe(0);
    expect(out.heapBytes).toBeLessThan(3.5 * 1024 ** 3);
  }, 240_000);

  it('leaves no calls in flight, no extra workers and a bounded heap after 20 quick cancels', async () => {
    const { page } = app();
    await page.evaluate((faults) => window.semsql!.settings.update({ mock: { latencyMs: 300, faults } }), NO_FAULTS);
    const before = await page.evaluate(() => window.semsql!.debug.engineStats());
    const outcomes = await page.evaluate(async () => {
      const results: string[] = [];
      for (let i = 0; i < 20; i++) {
        const controller = new AbortController();
        const pending = window.semsql!.query(`-- @ parallel: 16\nSELECT (text || ' ~${i}') ASK 'why?' FROM (SELECT * FROM tweets LIMIT 100)`, {
          signal: controller.signal,
        });
        await new Promise((r) => setTimeout(r, 60));
        controller.abort();
        results.push(
          await pending.then(
            () => 'finished',
            (e: Error) => e.name,
          ),
        );
      }
      return results;
    });
    expect(outcomes.every((o) => o === 'AbortError')).toBe(true);
    await page.waitForFunction(() => window.semsql!.debug.engineStats().then((s) => s.inFlightCalls === 0 && s.runningQueries === 0), null, { timeout: 5_000 });
    const after = await page.evaluate(() => window.semsql!.debug.engineStats());
    expect(after.workers).toBe(before.workers);
    expect(after.heapBytes - before.heapBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});
