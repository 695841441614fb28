import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorInfo } from '../../src/protocol/duckdb-worker-api';
import { startFakeMessagesApi, type FakeMessagesApi } from '../support/fake-messages-api';
import { rowsOf, type PromptRow } from '../support/prompt-data';
import { useApp } from './support/app-fixture';
import { freshMockSession } from './support/mock-model';

/**
 * Rows per call (issue 16), end to end in the built app: `-- @ batch: B` sends B rows of an operator
 * per request, and the answers do not depend on B. With the mock model, every scalar operator the
 * client lists runs over the same 70 sample tweets at B = 1, 4, 16 and 64, one query per B, and the
 * whole result sets must be equal. Through the real SDK and a fake Messages API whose model answers
 * each row by its id, B = 16 gives the same rows as B = 1 with far fewer requests, and the call log
 * says how many rows each answer came with.
 */

const app = useApp();
const servers: FakeMessagesApi[] = [];

async function query(sql: string) {
  return app().page.evaluate((q) => window.semsql!.query(q), sql);
}

async function clearCache(): Promise<void> {
  await app().page.evaluate(() => window.semsql!.cache.clear());
}

/** rows_in_request of a query's answered rows, per operator, as the semantic_calls table has them. */
async function rowsInRequest(queryId: string): Promise<Map<string, number[]>> {
  const out = await query(
    `SELECT operator, rows_in_request FROM semantic_calls WHERE query_id = '${queryId}' AND status = 'ok' ORDER BY operator, rows_in_request`,
  );
  const byOperator = new Map<string, number[]>();
  for (const [operator, n] of out.rows as [string, number][]) byOperator.set(operator, [...(byOperator.get(operator) ?? []), Number(n)]);
  return byOperator;
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A literal for an argument after the first, by its name: something each operator can work with. */
const LITERALS: Record<string, string> = {
  criterion: 'complains about something',
  topic: 'baking bread',
  statement: 'SQL is good for AI',
  conclusion: 'the author cooks at home',
  claim: 'the author dislikes coffee',
  b: 'I love query engines',
  entity_type: 'person',
  prompt: 'what is the mood of this?',
  what: 'the food mentioned',
  categories: 'food,tech,travel,other',
  language: 'French',
  instruction: 'a JSON object with key topic',
  kind: 'sentence in English',
  labels: 'food,tech,travel',
  patterns: '["is about food", "is about software"]',
  yields: '["food", "tech"]',
  path_description: 'the note',
};

/** The first argument, by its name: the tweet's text, or for a JSON document one that holds it. */
const FIRST: Record<string, string> = {
  data: `'{"note": "' || replace(replace(text, '\\', ''), '"', '') || '"}'`,
};

/**
 * One call of `op` over the `text` column, written with its function spelling, its required
 * arguments and the optional ones this file has a literal for (an optional argument can change the
 * operator: `sentiment(text, focus)` is the sentiment dimension, a label per row, not the scalar).
 */
function callOf(op: OperatorInfo): string {
  const fn = op.spellings.functions[0] as string;
  // llm(prompt, values…): the prompt is the instructions and must be a literal; the values follow.
  if (op.name === 'llm') return `${fn}('Is {{a}} about food? Answer yes or no.', text)`;
  const given = op.args.filter((arg) => !arg.optional || LITERALS[arg.name] !== undefined);
  const args = given.map((arg, i) =>
    i === 0 ? (FIRST[arg.name] ?? 'text') : arg.type === 'INTEGER' ? '3' : sqlString(LITERALS[arg.name] ?? `something about ${arg.name}`),
  );
  return `${fn}(${args.join(', ')})`;
}

let scalars: OperatorInfo[] = [];

beforeAll(async () => {
  await freshMockSession(app().page, 2);
  const operators = await app().page.evaluate(() => window.semsql!.operators());
  scalars = operators.filter((op) => op.builtin && op.shape === 'scalar' && op.answeredBy === 'model' && op.spellings.functions.length > 0);
});

// The browser, its settings and its key go with this file (useApp); only the fake API is ours to stop.
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('with the mock model', () => {
  it('answers every scalar operator identically at B = 1, 4, 16 and 64', async () => {
    // The listing is the client's: a new scalar operator joins this test without an edit.
    expect(scalars.map((op) => op.name)).toEqual(expect.arrayContaining(['matches', 'score', 'sentiment', 'ask', 'extracts', 'classify', 'llm']));
    const columns = scalars.map((op) => `${callOf(op)} AS ${op.name}`).join(',\n  ');
    const sql = `SELECT id, ${columns}\nFROM tweets WHERE id <= 70 ORDER BY id`;
    const distinctTexts = Number((await query('SELECT count(DISTINCT text) FROM tweets WHERE id <= 70')).rows[0]?.[0]);
    expect(distinctTexts).toBeGreaterThan(64);

    const results: { batch: number; rows: unknown[][] }[] = [];
    for (const batch of [1, 4, 16, 64]) {
      await clearCache();
      const out = await query(`-- @ batch: ${batch}\n-- @ parallel: 16\n-- @ budget: 5000\n${sql}`);
      expect(out.rows).toHaveLength(70);
      expect(out.stats.errors, `errors at B = ${batch}`).toBe(0);
      expect(out.stats.cached, `nothing cached at B = ${batch}`).toBe(0);
      results.push({ batch, rows: out.rows });

      // Each operator's rows went at most B to a request, and several to a request when B > 1.
      // (Not exactly B: the engine hands misses over in slices of 256 over all operators, and rows of
      // one operator in different slices go in different requests.)
      const sizes = await rowsInRequest(out.queryId);
      expect([...sizes.keys()].sort()).toEqual(scalars.map((op) => op.name).sort());
      for (const [operator, list] of sizes) {
        expect(
          list.every((n) => n >= 1 && n <= batch),
          `${operator} at B = ${batch}: ${list.join(',')}`,
        ).toBe(true);
        if (batch > 1) expect(Math.max(...list), `${operator} at B = ${batch}`).toBeGreaterThan(1);
      }
    }
    // Something other than NULL came back for every operator, so "identical" compares answers.
    const [first] = results;
    expect(
      scalars.filter((_, i) => !first?.rows.some((r) => r[i + 1] !== null)).map((op) => op.name),
      'operators answering only NULL',
    ).toEqual([]);
    for (const { batch, rows } of results.slice(1)) expect(rows, `B = ${batch} against B = 1`).toEqual(first?.rows);
  });

  it('answers aggregates identically with B groups per request', async () => {
    const sql = `SELECT id % 5 AS g, summarize(text) AS s, sentiment_agg(text) AS m, themes(text, 3) AS t, classify(text, 'food,tech,travel,other') AS c
FROM tweets WHERE id <= 70 GROUP BY g ORDER BY g`;
    const results: unknown[][][] = [];
    for (const batch of [1, 4]) {
      await clearCache();
      const out = await query(`-- @ batch: ${batch}\n${sql}`);
      expect(out.rows).toHaveLength(5);
      expect(out.stats.errors).toBe(0);
      results.push(out.rows);
      const sizes = await rowsInRequest(out.queryId);
      for (const [operator, list] of sizes) expect(Math.max(...list), `${operator} at B = ${batch}`).toBe(Math.min(batch, 5));
    }
    expect(results[1]).toEqual(results[0]);
  });

  // The budget counts requests: 39 distinct texts at B = 16 are 3 requests (once refused as 39 calls).
  it('lets a batched query run within a budget that counts its requests', async () => {
    await clearCache();
    const out = await query("-- @ batch: 16\n-- @ budget: 5\nSELECT id, text MEANS 'mentions food' AS food FROM tweets WHERE id <= 40 ORDER BY id");
    expect(out.rows).toHaveLength(40);
    expect(out.stats.errors).toBe(0);
    expect(out.rows.every((r) => typeof r[1] === 'boolean')).toBe(true);
    expect(out.stats.attempts).toBe(3);
  });
});

describe('through the real SDK and a fake Messages API', () => {
  const KEY = ['sk', 'ant', 'rows-per-call-test-key'].join('-');

  /** The fake model: each row's answer from that row's own fields, whatever else the request holds. */
  function answer(row: PromptRow): unknown {
    const text = String(row['text'] ?? '');
    if ('criterion' in row) return text.length % 2 === 0;
    if ('topic' in row) return (text.length % 10) / 10;
    if ('prompt' in row) return `${String(row['prompt'])} -> ${text.split(/\s+/)[0] ?? ''}`;
    return ((text.length % 21) - 10) / 10;
  }

  const SQL = `SELECT id, text,
  text MEANS 'complains about something' AS complaint,
  text ABOUT 'baking bread' AS baking,
  sentiment(text) AS mood,
  text ASK 'what is the first word?' AS first
FROM tweets WHERE id <= 40 ORDER BY id`;

  it('gives the same rows at B = 16 as at B = 1, in far fewer requests, and logs rows per request', async () => {
    const fake = await startFakeMessagesApi({
      respond: (request) => {
        const rows = new Map(rowsOf(request.body).map((r) => [r.id, r]));
        return { kind: 'answer', value: (id: string) => answer(rows.get(id) ?? { id }), delayMs: 5 };
      },
    });
    servers.push(fake);
    await app().page.evaluate(
      async ({ key, url }) => {
        await window.semsql!.apiKey.set(key);
        await window.semsql!.settings.update({
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          anthropic: { baseURL: url, timeoutMs: 10_000 },
          maxAttempts: 4,
        });
      },
      { key: KEY, url: fake.url },
    );
    const distinct = Number((await query('SELECT count(DISTINCT text) FROM tweets WHERE id <= 40')).rows[0]?.[0]);

    const run = async (batch: number) => {
      await clearCache();
      const before = fake.requests.length;
      const out = await query(`-- @ batch: ${batch}\n-- @ parallel: 8\n${SQL}`);
      return { out, requests: fake.requests.slice(before), sizes: await rowsInRequest(out.queryId) };
    };
    const one = await run(1);
    const sixteen = await run(16);

    // The same rows, and each the fake model's answer for that row's own text.
    expect(sixteen.out.rows).toEqual(one.out.rows);
    expect(one.out.rows).toHaveLength(40);
    for (const [, text, complaint, baking, mood, first] of one.out.rows as [number, string, ...unknown[]][]) {
      expect([complaint, baking, mood, first]).toEqual([
        answer({ id: '', text, criterion: '' }),
        answer({ id: '', text, topic: '' }),
        answer({ id: '', text }),
        answer({ id: '', text, prompt: 'what is the first word?' }),
      ]);
    }
    expect(one.out.stats.errors + sixteen.out.stats.errors).toBe(0);

    // One request per distinct input and operator at B = 1; at B = 16, ceil(distinct / 16) per operator.
    expect(one.requests).toHaveLength(4 * distinct);
    expect(sixteen.requests).toHaveLength(4 * Math.ceil(distinct / 16));
    expect(one.requests.every((r) => rowsOf(r.body).length === 1)).toBe(true);
    expect(sixteen.requests.map((r) => rowsOf(r.body).length).sort((a, b) => b - a)).toEqual(
      [16, 16, distinct - 32].flatMap((n) => [n, n, n, n]).sort((a, b) => b - a),
    );

    // semantic_calls: every answer came alone at B = 1, and with 16 (or the rest) at B = 16.
    const expectedSizes = [...Array(distinct - 32).fill(distinct - 32), ...Array(32).fill(16)].sort((a, b) => a - b);
    for (const op of ['matches', 'score', 'sentiment', 'ask']) {
      expect(one.sizes.get(op), op).toEqual(Array(distinct).fill(1));
      expect(sixteen.sizes.get(op), op).toEqual(expectedSizes);
    }
  });
});
