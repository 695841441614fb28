import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASCADE_CRITERION, cascadeDataset } from '../../bench/cases/cascade-data';
import { useApp } from './support/app-fixture';
import { freshMockSession, setMockModel } from './support/mock-model';
import { runAndWait, setSql } from './support/workbench';

/**
 * Issue 25: running estimates of an aggregate over semantic answers, `-- @ approximate`, Stop here,
 * and the call log. Checked against the same statement run exactly, through the real engine and the
 * offline model, never against hard-coded answers.
 */
const app = useApp();
const ROWS = 2_000;
const COUNT = `SELECT count(*) AS n FROM est_rows WHERE text MEANS '${CASCADE_CRITERION}'`;

interface Estimate {
  estimate: number | null;
  low: number | null;
  high: number | null;
  answered: number;
  inputs: number;
}
interface Out {
  queryId: string;
  columns: string[];
  rows: unknown[][];
  stats: { calls: number; cached: number; estimate?: { reason: string; estimates: Estimate[] } };
  seen: Estimate[][];
}

/** Runs `sql` and keeps every progress event's estimates; with `stopAt`, presses Stop here once that many answers are in. */
async function run(page: Page, sql: string, stopAt?: number): Promise<Out> {
  return page.evaluate(
    async ({ sql, stopAt }) => {
      const seen: Estimate[][] = [];
      const stop = new AbortController();
      const r = await window.semsql!.query(sql, {
        stop: stop.signal,
        onProgress: (p) => {
          if (!p.estimates) return;
          seen.push(p.estimates);
          if (stopAt !== undefined && p.estimates.every((e) => e.answered >= stopAt)) stop.abort();
        },
      });
      return {
        queryId: r.queryId,
        columns: r.columns.map((c) => c.name),
        rows: r.rows.map((row) => [...row].map((v) => (typeof v === 'bigint' ? Number(v) : v))),
        stats: r.stats as Out['stats'],
        seen,
      };
    },
    { sql, stopAt },
  );
}

let exactCount = 0;

beforeAll(async () => {
  const { page } = app();
  await freshMockSession(page, 1);
  const values = cascadeDataset({ rows: ROWS, seed: 11 })
    .map((r) => `(${r.id}, '${r.text.replaceAll("'", "''")}')`)
    .join(', ');
  await page.evaluate((v) => window.semsql!.query(`CREATE OR REPLACE TABLE est_rows AS SELECT * FROM (VALUES ${v}) t(id, text)`), values);
  // The reference: the rows themselves, every row asked, in a cache scope the other runs do not read.
  const ids = await page.evaluate(
    (q) => window.semsql!.query(q).then((r) => r.rows.length),
    `-- @ cache: off\n-- @ parallel: 64\n-- @ budget: 5000\nSELECT id FROM est_rows WHERE text MEANS '${CASCADE_CRITERION}'`,
  );
  exactCount = ids;
});

describe('running estimates', () => {
  it('without the annotation, an aggregate is exact and its progress carries estimates that tighten', async () => {
    const { page } = app();
    await page.evaluate(() => window.semsql!.cache.clear());
    await setMockModel(page, [2, 6]);
    const out = await run(page, `-- @ parallel: 16\n-- @ budget: 5000\n${COUNT}`);
    expect(out.rows).toEqual([[exactCount]]);
    expect(out.stats.estimate).toBeUndefined();
    expect(out.stats.calls).toBe(ROWS);
    const answered = out.seen.map((e) => e[0]?.answered ?? 0);
    expect(answered.length).toBeGreaterThan(1);
    expect(answered).toEqual([...answered].sort((a, b) => a - b));
    const first = out.seen.find((e) => (e[0]?.low ?? null) !== null)?.[0];
    const last = out.seen.at(-1)?.[0];
    expect(first?.inputs).toBe(ROWS);
    expect((last?.high ?? 1) - (last?.low ?? 0)).toBeLessThan((first?.high ?? 1) - (first?.low ?? 0));
  });

  it('-- @ approximate stops at its error with far fewer calls, says it is an estimate, and a rerun pays only what is missing', async () => {
    const { page } = app();
    await page.evaluate(() => window.semsql!.cache.clear());
    await setMockModel(page, 1);
    const out = await run(page, `-- @ approximate: error 0.05\n-- @ parallel: 8\n-- @ budget: 5000\n${COUNT}`);
    expect(out.stats.estimate?.reason).toBe('approximate');
    expect(out.columns).toEqual(['operator', 'criterion', 'kind', 'estimate', 'low', 'high', 'confidence', 'answered', 'inputs', 'method']);
    const [row] = out.rows as [string, string, string, number, number, number, number, number, number, string][];
    expect((row?.[5] ?? 1) - (row?.[4] ?? 0)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(row?.[8]).toBe(ROWS);
    expect(out.stats.calls).toBeLessThan(ROWS / 2);
    // The call log keeps the truth: semantic_queries says the result was an estimate.
    const logged = await page.evaluate(
      (id) => window.semsql!.query(`SELECT result FROM semantic_queries WHERE query_id = '${id}'`).then((r) => r.rows),
      out.queryId,
    );
    expect(logged).toEqual([['approximate']]);
    const answered = row?.[7] ?? 0;
    const rerun = await run(page, `-- @ parallel: 16\n-- @ budget: 5000\n${COUNT}`);
    expect(rerun.rows).toEqual([[exactCount]]);
    expect(rerun.stats.estimate).toBeUndefined();
    expect(rerun.stats.cached).toBeGreaterThanOrEqual(answered);
    expect(rerun.stats.calls + rerun.stats.cached).toBe(ROWS);
  });

  it('Stop here returns the estimate, keeps what was paid, and asks nothing more', async () => {
    const { page } = app();
    await page.evaluate(() => window.semsql!.cache.clear());
    await setMockModel(page, 20);
    const out = await run(page, `-- @ parallel: 4\n-- @ budget: 5000\n${COUNT}`, 60);
    expect(out.stats.estimate?.reason).toBe('stopped');
    const [row] = out.rows as [string, string, string, number, number, number][];
    expect(row?.[4]).toBeLessThanOrEqual(row?.[3] ?? 0);
    expect(row?.[5]).toBeGreaterThanOrEqual(row?.[3] ?? 1);
    expect(out.stats.calls).toBeLessThan(ROWS / 2);
    const okCalls = async () => (await page.evaluate((id) => window.semsql!.callLog(id), out.queryId)).calls.filter((c) => c.status === 'ok').length;
    const paid = await okCalls();
    // Nothing of it runs on: the engine has no call in flight, and the log gains no call later.
    expect((await page.evaluate(() => window.semsql!.debug.engineStats())).inFlightCalls).toBe(0);
    const logged = await page.evaluate(
      (id) => window.semsql!.query(`SELECT result FROM semantic_queries WHERE query_id = '${id}'`).then((r) => r.rows),
      out.queryId,
    );
    expect(logged).toEqual([['stopped']]);
    expect(await okCalls()).toBe(paid);
    // Every answer paid for is kept: the rerun finds them in the cache.
    const rerun = await run(page, `-- @ parallel: 64\n-- @ budget: 5000\n${COUNT}`);
    expect(rerun.stats.cached).toBe(paid);
    expect(rerun.rows).toEqual([[exactCount]]);
  });

  it('in the workbench: the estimate with its interval while it runs, and Stop here from the keyboard ends it with the estimate shown as one', async () => {
    const { page } = app();
    await page.evaluate(() => window.semsql!.cache.clear());
    await setMockModel(page, 20);
    await setSql(page, `-- @ parallel: 4\n-- @ budget: 5000\n${COUNT}`);
    const state = await runAndWait(page, async () => {
      await page.keyboard.press('Control+Enter');
      const stop = page.locator('[data-testid=stop-here]');
      await stop.waitFor();
      await page.waitForFunction(() => /\d+(\.\d)?% – \d+(\.\d)?%/.test(document.querySelector('[data-testid=estimate]')?.textContent ?? ''));
      await stop.focus();
      await page.keyboard.press('Enter');
    });
    expect(state).toBe('ok');
    await expect.poll(() => page.getAttribute('[data-testid=estimates]', 'data-state')).toBe('stopped');
    expect(await page.textContent('[data-testid=estimate-badge]')).toBe('Estimate');
    expect(await page.textContent('[data-testid=estimate]')).toMatch(/of 2,000 answered/);
  });

  it('a statement that is not an aggregate runs exactly even with -- @ approximate', async () => {
    await setMockModel(app().page, 1);
    const out = await run(
      app().page,
      `-- @ approximate: error 0.2\n-- @ parallel: 64\n-- @ budget: 5000\nSELECT id FROM est_rows WHERE text MEANS '${CASCADE_CRITERION}'`,
    );
    expect(out.rows.length).toBe(exactCount);
    expect(out.stats.estimate).toBeUndefined();
    expect(out.seen).toEqual([]);
  });
});
