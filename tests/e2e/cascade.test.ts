import { beforeAll, describe, expect, it } from 'vitest';
import { CASCADE_CRITERION, cascadeDataset } from '../../bench/cases/cascade-data';
import { useApp } from './support/app-fixture';
import { freshMockSession } from './support/mock-model';

/**
 * Issue 19: `-- @ cascade` on a filter, through the real engine with the offline model as the
 * oracle and mock embeddings as the proxy. The cascade's result is checked against the same query
 * without it (every row asked), not against hard-coded answers.
 */
const app = useApp();
const ROWS = 1_600;
const FILTER = `SELECT id FROM cascade_rows WHERE text MEANS '${CASCADE_CRITERION}' ORDER BY id`;

interface Out {
  ids: number[];
  stats: {
    calls: number;
    cached: number;
    embedding_texts: number;
    embedding_requests: number;
    cascades?: {
      rows: number;
      calls: number;
      proxyTexts: number;
      decidedBy: Record<string, number>;
      fallback: string | null;
      thresholds: { low: number | null; high: number | null };
    }[];
  };
  queryId: string;
}

async function run(sql: string): Promise<Out> {
  return app().page.evaluate(async (q) => {
    const r = await window.semsql!.query(q);
    return { ids: r.rows.map((row) => Number(row[0])), stats: r.stats, queryId: r.queryId };
  }, sql);
}

function quality(result: number[], truth: number[]): { recall: number; precision: number } {
  const want = new Set(truth);
  const hits = result.filter((id) => want.has(id)).length;
  return { recall: truth.length === 0 ? 1 : hits / truth.length, precision: result.length === 0 ? 1 : hits / result.length };
}

let truth: number[] = [];

beforeAll(async () => {
  await freshMockSession(app().page, 1);
  const rows = cascadeDataset({ rows: ROWS, seed: 7 });
  const values = rows.map((r) => `(${r.id}, '${r.text.replaceAll("'", "''")}')`).join(', ');
  await app().page.evaluate((v) => window.semsql!.query(`CREATE OR REPLACE TABLE cascade_rows AS SELECT * FROM (VALUES ${v}) t(id, text)`), values);
  // The reference: every row asked, in a cache scope the cascade runs do not read (cache: off).
  truth = (await run(`-- @ cache: off\n-- @ parallel: 64\n-- @ budget: 5000\n${FILTER}`)).ids;
});

describe('cascades', () => {
  it('decides most rows by the proxy, meets its targets against the full run, and marks proxy rows in semantic_calls', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await run(`-- @ cascade: recall 0.9, precision 0.9, confidence 0.9\n-- @ parallel: 64\n-- @ budget: 5000\n${FILTER}`);
    const report = out.stats.cascades?.[0];
    expect(report).toBeDefined();
    expect(report?.fallback).toBeNull();
    expect(report?.rows).toBe(ROWS);
    expect((report?.decidedBy['proxyAccept'] ?? 0) + (report?.decidedBy['proxyReject'] ?? 0)).toBeGreaterThan(ROWS / 2);
    expect(report?.calls).toBeLessThan(ROWS / 2);
    // Model calls and the proxy's vectors are counted apart (issue 23): every text and the criterion embedded once.
    expect(out.stats.calls).toBe(report?.calls);
    expect(report?.proxyTexts).toBe(ROWS + 1);
    expect(out.stats.embedding_texts).toBe(ROWS + 1);
    expect(out.stats.embedding_requests).toBeGreaterThan(0);
    expect(out.stats.embedding_requests).toBeLessThan(ROWS / 10);
    const q = quality(out.ids, truth);
    expect(q.recall).toBeGreaterThanOrEqual(0.9);
    expect(q.precision).toBeGreaterThanOrEqual(0.9);
    const log = (await app().page.evaluate((id) => window.semsql!.callLog(id), out.queryId)).calls;
    const proxied = log.filter((c) => c.status === 'proxy').length;
    expect(proxied).toBe((report?.decidedBy['proxyAccept'] ?? 0) + (report?.decidedBy['proxyReject'] ?? 0));
    // Proxy decisions are never cached as the model's: without the cascade, exactly those rows are asked.
    const full = await run(`-- @ parallel: 64\n-- @ budget: 5000\n${FILTER}`);
    expect(full.ids).toEqual(truth);
    expect(full.stats.calls).toBe(proxied);
  });

  it('with a useless proxy (a criterion sharing no word with any row) asks every row: never a silent miss', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const criterion = 'zzqx vorpal wibble';
    const sql = (c: string) => `${c}-- @ parallel: 64\n-- @ budget: 5000\nSELECT id FROM cascade_rows WHERE text MEANS '${criterion}' ORDER BY id`;
    const out = await run(sql('-- @ cascade: recall 0.9, precision 0.9\n'));
    const report = out.stats.cascades?.[0];
    expect(report?.fallback).not.toBeNull();
    expect((report?.decidedBy['proxyAccept'] ?? 0) + (report?.decidedBy['proxyReject'] ?? 0)).toBe(0);
    // It stopped after its pilot (issue 23): no more than the pilot's 100 draws and the criterion were embedded.
    expect(['rare-positives', 'useless-proxy']).toContain(report?.fallback);
    expect(report?.proxyTexts).toBeLessThanOrEqual(101);
    expect(out.stats.embedding_texts).toBe(report?.proxyTexts);
    expect(out.stats.calls).toBe(ROWS);
    expect(out.ids).toEqual((await run(sql('-- @ cache: off\n'))).ids);
  });

  it('targets it cannot certify fall back to asking every row', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await run(`-- @ cascade: recall 0.999, precision 0.999\n-- @ parallel: 64\n-- @ budget: 5000\n${FILTER}`);
    expect(out.stats.cascades?.[0]?.fallback).toBe('targets-unreachable');
    expect(out.ids).toEqual(truth);
  });

  it('EXPLAIN SEMANTIC shows the cascade plan: sample and calls, before any call', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), `-- @ cascade: recall 0.9, precision 0.9\n${FILTER}`);
    expect(plan.cascades).toHaveLength(1);
    expect(plan.cascades[0]).toMatchObject({ operator: 'matches', rows: ROWS, fallback: null });
    expect(plan.cascades[0]?.calls.min).toBeLessThan(ROWS);
    expect(plan.cascades[0]?.calls.max).toBe(ROWS);
    // The texts its proxy would embed, apart from the calls: the pilot's at least, every row's at most, and the criterion.
    expect(plan.cascades[0]?.proxyTexts.max).toBe(ROWS + 1);
    expect(plan.cascades[0]?.proxyTexts.min).toBeLessThanOrEqual(101);
  });
});
