import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPARTMENT_NAMES, KINDS, listings } from '../../bench/cases/join-data';
import { hash32 } from '../../src/llm/mock/random';
import { startFakeEmbeddingsApi, type FakeEmbeddingsApi } from '../support/fake-embeddings-api';
import { useApp } from './support/app-fixture';
import { freshMockSession } from './support/mock-model';

/**
 * Issue 24: semantic joins through the real engine, the offline model answering and the mock
 * embeddings as the proxy. Every result is compared with the nested loop's (the same join without a
 * plan, every pair asked, in a cache scope the plans do not read: `cache: off`), not with
 * hard-coded answers.
 */
const app = useApp();
const servers: FakeEmbeddingsApi[] = [];

interface Out {
  rows: string[];
  calls: Record<string, number>;
  stats: {
    calls: number;
    cached: number;
    joins?: { plan: string; calls: number; pairs: number; block?: { fallback: string | null; recallBound: number | null }; classify?: { requests: number } }[];
  };
}

async function run(sql: string): Promise<Out> {
  return app().page.evaluate(async (q) => {
    const r = await window.semsql!.query(q);
    const calls: Record<string, number> = {};
    for (const c of (await window.semsql!.callLog(r.queryId)).calls)
      if (c.status === 'ok' || c.status === 'error') calls[c.operator] = (calls[c.operator] ?? 0) + 1;
    return { rows: r.rows.map((row) => row.map(String).join('|')).sort(), calls, stats: r.stats };
  }, sql);
}

async function table(name: string, columns: string, rows: string[]): Promise<void> {
  await app().page.evaluate((sql) => window.semsql!.query(sql), `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES ${rows.join(', ')}) t(${columns})`);
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const CATEGORY_JOIN = "SELECT l.id, c.cat FROM listings l JOIN cats c ON l.title MEANS ('a product in the category ' || c.cat)";
const KIND_JOIN = 'SELECT l.id, k.kind FROM listings l JOIN kinds k ON l.title MEANS k.kind';
const budget = '-- @ budget: 100000\n-- @ parallel: 64\n';

let categoryTruth: string[] = [];
/** Distinct titles: the join's left values (two listings may share a title). */
let titles = 0;

beforeAll(async () => {
  await freshMockSession(app().page, 1);
  const data = listings({ rows: 150, seed: 3, clearShare: 0.85, otherNames: 0.05, kinds: KINDS.slice(0, 24) });
  titles = new Set(data.map((l) => l.title)).size;
  await table(
    'listings',
    'id, title',
    data.map((l) => `(${l.id}, ${quote(l.title)})`),
  );
  await table(
    'cats',
    'cat',
    DEPARTMENT_NAMES.slice(0, 8).map((d) => `(${quote(d)})`),
  );
  await table(
    'kinds',
    'kind',
    KINDS.slice(0, 24).map((k) => `(${quote(k.name)})`),
  );
  categoryTruth = (await run(`${budget}-- @ cache: off\n${CATEGORY_JOIN}`)).rows;
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('semantic joins', () => {
  it('join: classify asks once per value of the large side and gives the nested loop its pairs', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await run(`${budget}-- @ join: classify\n${CATEGORY_JOIN}`);
    expect(out.calls['matches:classify']).toBe(titles);
    expect(out.calls['matches'] ?? 0).toBe(0);
    expect(out.stats.joins?.[0]).toMatchObject({ plan: 'classify', pairs: titles * 8, classify: { requests: titles } });
    expect(out.rows).toEqual(categoryTruth);
    expect(categoryTruth.length).toBeGreaterThan(50);
    // Asked again, every pair is known per pair: nothing is called.
    expect((await run(`${budget}-- @ join: classify\n${CATEGORY_JOIN}`)).stats.calls).toBe(0);
    // A settings default plans every join without an annotation; `-- @ join: exact` overrides it.
    await app().page.evaluate(() => window.semsql!.settings.update({ join: 'classify' }));
    try {
      expect((await run(`${budget}${CATEGORY_JOIN}`)).stats.joins?.[0]?.plan).toBe('classify');
      expect((await run(`${budget}-- @ join: exact\nEXPLAIN SEMANTIC ${CATEGORY_JOIN}`)).rows.find((r) => r.startsWith('join_plan|'))).toMatch(/nested-loop/);
    } finally {
      await app().page.evaluate(() => window.semsql!.settings.update({ join: 'exact' }));
    }
  });

  it('without an annotation the join is the nested loop, and its pair answers serve every plan after it', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const exact = await run(`${budget}${CATEGORY_JOIN}`);
    expect(exact.rows).toEqual(categoryTruth);
    expect(exact.calls['matches']).toBe(titles * 8);
    expect(exact.stats.joins).toBeUndefined();
    // The classify run before did not answer for the exact one: its answers are kept apart.
    const classify = await run(`${budget}-- @ join: classify\n${CATEGORY_JOIN}`);
    expect(classify.stats.calls, JSON.stringify(classify.calls)).toBe(0);
    expect(classify.rows).toEqual(categoryTruth);
    const blocked = await run(`${budget}-- @ join: recall 0.95\n${CATEGORY_JOIN}`);
    expect(blocked.stats.calls).toBe(0);
    expect(blocked.rows).toEqual(categoryTruth);
  });

  it('EXPLAIN SEMANTIC of a join without an annotation says what each plan would cost, and calls nothing', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await run(`EXPLAIN SEMANTIC ${CATEGORY_JOIN}`);
    const item = (name: string) => out.rows.find((r) => r.startsWith(`${name}|`)) ?? '';
    expect(item('join')).toContain(`${titles * 8} pairs (${titles} × 8 values), 0 known`);
    expect(item('join_plan')).toMatch(/^join_plan\|nested-loop: exact/);
    expect(item('join_calls')).toContain(`nested loop: ${titles * 8}; classify: ${titles} requests; blocking: about`);
    expect(out.stats.calls).toBe(0);
    const classify = await run(`-- @ join: classify\nEXPLAIN SEMANTIC ${CATEGORY_JOIN}`);
    expect(classify.rows.find((r) => r.startsWith('join_plan|'))).toMatch(/^join_plan\|classify: /);
  });

  it('join: recall 0.95 asks fewer pairs than the nested loop and keeps 95% of its matches', async () => {
    const truth = (await run(`${budget}-- @ cache: off\n${KIND_JOIN}`)).rows;
    const pairs = titles * 24;
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await run(`${budget}-- @ join: recall 0.95, seed 3\n${KIND_JOIN}`);
    const report = out.stats.joins?.[0];
    expect(report, JSON.stringify(report)).toMatchObject({ plan: 'block', pairs });
    expect(report?.block?.fallback).toBeNull();
    expect(report?.block?.recallBound).toBeGreaterThanOrEqual(0.95);
    expect(out.calls['matches']).toBeLessThan(pairs);
    const kept = out.rows.filter((r) => truth.includes(r)).length;
    expect(kept / truth.length).toBeGreaterThanOrEqual(0.95);
    // Every pair in the result was confirmed by the pairwise question.
    expect(out.rows.every((r) => truth.includes(r))).toBe(true);
    // Pairs blocking asked are pairwise answers: the nested loop after it asks only the rest.
    const after = await run(`${budget}${KIND_JOIN}`);
    expect(after.rows).toEqual(truth);
    expect(after.calls['matches']).toBe(pairs - (out.calls['matches'] ?? 0));
  });

  it('a proxy that knows nothing falls back to every pair: the nested loop result, never a silent miss', async () => {
    // Random vectors from an OpenAI-compatible endpoint: similarity says nothing about the pairs.
    const fake = await startFakeEmbeddingsApi({ vector: (t) => Array.from({ length: 8 }, (_, i) => hash32(`${t}#${i}`) / 2 ** 32 - 0.5) });
    servers.push(fake);
    await app().page.evaluate(async (url) => {
      await window.semsql!.cache.clear();
      await window.semsql!.settings.update({ embeddings: { provider: 'openai', baseURL: url, model: 'random-8' } });
    }, fake.url);
    try {
      const truth = (await run(`${budget}-- @ cache: off\n${KIND_JOIN}`)).rows;
      const out = await run(`${budget}-- @ join: recall 0.95\n${KIND_JOIN}`);
      expect(out.stats.joins?.[0]?.block?.fallback).not.toBeNull();
      expect(out.rows).toEqual(truth);
    } finally {
      await app().page.evaluate(() => window.semsql!.settings.update({ embeddings: { provider: 'mock', baseURL: '', model: 'mock-embed-256' } }));
    }
  });
});
