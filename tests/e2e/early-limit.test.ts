import { beforeAll, describe, expect, it } from 'vitest';
import { modelRequest } from '../../src/engine/model-request';
import { mockAnswers } from '../../src/llm/mock/answers';
import { loadNlp } from '../../src/llm/mock/nlp/load-nlp';
import { MOCK_MODEL } from '../../src/client/default-settings';
import { BUILTIN_OPERATORS, type OperatorDef } from '../../src/sql';
import { useApp } from './support/app-fixture';
import { freshMockSession } from './support/mock-model';

const app = useApp();
// The mock's NLP libraries, as the model workers load them: references must answer alike.
const nlp = await loadNlp();
const query = (sql: string) => app().page.evaluate((q) => window.semsql!.query(q), sql);
const matches = BUILTIN_OPERATORS.find((o) => o.name === 'matches') as OperatorDef;
const isComplaint = (text: string) =>
  mockAnswers(modelRequest('ref', matches, [text, 'complaint'], { provider: 'mock', model: MOCK_MODEL, temperature: 0, instructions: [] }), nlp)[0] === true;

beforeAll(async () => {
  await freshMockSession(app().page, 1);
  // 5,000 distinct texts; the sample's complaints are 1 in 10, spread evenly through its ids.
  await query(
    "CREATE TABLE t5k AS SELECT row_number() OVER (ORDER BY r, id) AS id, text || ' (' || id || '.' || r || ')' AS text FROM tweets, range(2) t(r) ORDER BY r, id LIMIT 5000",
  );
});

describe('early answers for LIMIT', () => {
  it('returns 10 matching rows for fewer than 200 calls, and resolves every scanned row with early: off', async () => {
    const all = (await query('SELECT text FROM t5k ORDER BY id')).rows.map((r) => r[0] as string);
    const share = all.filter(isComplaint).length / all.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);

    const sql = "-- @ parallel: 16\nSELECT id, text FROM t5k WHERE text MEANS 'complaint' LIMIT 10";
    const out = await query(sql);
    expect(out.rows).toHaveLength(10);
    for (const [, text] of out.rows) expect(isComplaint(text as string)).toBe(true);
    expect(out.stats.calls).toBeLessThan(200);
    const plan = await app().page.evaluate((q) => window.semsql!.explain(q), sql);
    expect(plan.earlyLimit).toEqual({ eligible: true, limit: 10 });

    await app().page.evaluate(() => window.semsql!.cache.clear());
    const off = await query(`-- @ early: off\n-- @ budget: 6000\n-- @ parallel: 64\nSELECT id, text FROM t5k WHERE text MEANS 'complaint' LIMIT 10`);
    expect(off.rows).toHaveLength(10);
    expect(off.stats.calls).toBe(5000);
  });

  it('uses a fixed wave size when told to', async () => {
    await app().page.evaluate(() => window.semsql!.cache.clear());
    const out = await query("-- @ wave: 25\n-- @ parallel: 5\nSELECT id FROM t5k WHERE text MEANS 'complaint' LIMIT 3");
    expect(out.rows).toHaveLength(3);
    expect(out.stats.calls % 25).toBe(0);
  });

  it('gives ineligible queries the same rows as with early answers off', async () => {
    const SUB = '(SELECT * FROM t5k WHERE id <= 300)';
    const cases = [
      `SELECT id FROM ${SUB} WHERE text MEANS 'complaint' ORDER BY id LIMIT 5`,
      `SELECT count(*) FROM ${SUB} WHERE text MEANS 'complaint' LIMIT 5`,
      `SELECT id FROM ${SUB} WHERE text MEANS 'complaint' OR id = 1 LIMIT 5`,
      `SELECT id FROM ${SUB} WHERE NOT (text MEANS 'complaint') LIMIT 5`,
      `SELECT id, text MEANS 'complaint' AS c FROM ${SUB} LIMIT 5`,
    ];
    for (const sql of cases) {
      const plan = await app().page.evaluate((q) => window.semsql!.explain(q), sql);
      expect(plan.earlyLimit.eligible).toBe(false);
      const on = await query(sql);
      const off = await query(`-- @ early: off\n${sql}`);
      expect(on.rows).toEqual(off.rows);
    }
    const ordered = await query(`SELECT id, text FROM ${SUB} WHERE text MEANS 'complaint' ORDER BY id LIMIT 5`);
    const reference = (await query(`SELECT id, text FROM ${SUB} ORDER BY id`)).rows.filter((r) => isComplaint(r[1] as string)).slice(0, 5);
    expect(ordered.rows).toEqual(reference);
  });
});
