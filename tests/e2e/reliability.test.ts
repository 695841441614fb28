import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';

const app = useApp();
const query = (sql: string) => app().page.evaluate((q) => window.semsql!.query(q), sql);

beforeAll(async () => {
  await app().page.evaluate(async () => {
    await window.semsql!.cache.clear();
    await window.semsql!.settings.update({ mock: { latencyMs: 5, faults: { rateLimit: 0, server: 0, timeout: 0, malformed: 0 } } });
  });
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
