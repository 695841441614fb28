import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, toolUseMessage, type FakeMessagesApi, type FakeRequest } from '../support/fake-messages-api';
import { dataText, HOSTILE_VALUES, instructionsOf, rowsOf, userTurn, type PromptRow } from '../support/prompt-data';
import { useApp } from './support/app-fixture';

/**
 * Issue 14, "data can become instructions", end to end: a table of hostile values goes through the
 * built app, the real Anthropic SDK in the model workers, and a fake Messages API on 127.0.0.1. What
 * the fake API receives is checked the way a model would read it: the instructions hold none of the
 * values, the one data block gives every value back exactly, an aggregate's group arrives as one
 * array element per member, and with 16 rows per request (issue 16) every row still gets the answer
 * for its own value. The fake model answers each row by its id, in reverse order.
 */

const app = useApp();
let fake: FakeMessagesApi;
const KEY = ['sk', 'ant', 'prompt-data-test-key'].join('-');

// Values that survive the trip into DuckDB as they are: a lone surrogate cannot be UTF-8.
const VALUES = [...HOSTILE_VALUES.filter((v) => v.isWellFormed()), 'an ordinary review: the kettle is fine', 'another ordinary one about bread'];
const CRITERION = 'complains about something';
const QUESTION = 'what is the first word?';

/** The fake model's answer to one row, from that row's fields alone. */
function answer(row: PromptRow): unknown {
  const text = String(row['text'] ?? '');
  if ('criterion' in row) return text.length % 2 === 0;
  if ('prompt' in row) return `${String(row['prompt'])} -> ${text.length}:${text.slice(0, 10)}`;
  // Members come in the group encoding's order, so the answer must not depend on it.
  if (Array.isArray(row['values']))
    return `${row['values'].length} members, ${row['values']
      .map((v) => String(v).length)
      .sort((a, b) => a - b)
      .join('+')} chars`;
  return `label:${text}`;
}

/** The system prompt's text, as the body carries it. */
function systemOf(body: unknown): string {
  const system = (body as { system?: { text?: string }[] | string } | undefined)?.system;
  return typeof system === 'string' ? system : (system ?? []).map((b) => b.text ?? '').join('\n');
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

async function query(sql: string) {
  return app().page.evaluate((q) => window.semsql!.query(q), sql);
}

/** Runs `sql` on an empty cache and returns its result and the requests the fake API got for it. */
async function run(sql: string) {
  await app().page.evaluate(() => window.semsql!.cache.clear());
  const before = fake.requests.length;
  const out = await query(sql);
  return { out, requests: fake.requests.slice(before) as FakeRequest[] };
}

beforeAll(async () => {
  fake = await startFakeMessagesApi({
    respond: (request) => {
      const rows = rowsOf(request.body);
      const byId = new Map(rows.map((r) => [r.id, r]));
      // Reverse order: the answer's position means nothing, only its id.
      const ids = rows.map((r) => r.id).reverse();
      return { kind: 'json', delayMs: 5, body: toolUseMessage((id: string) => answer(byId.get(id) ?? { id }), {}, 'claude-haiku-4-5', ids) };
    },
  });
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
  // Three groups for the aggregate: members with newlines, "- " bullets and the group encoding's own separators.
  const rows = VALUES.map((v, i) => `(${i + 1}, 'g${i % 3}', ${sqlString(v)})`).join(',\n');
  await query(`CREATE OR REPLACE TABLE hostile AS SELECT * FROM (VALUES ${rows}) v(id, grp, text)`);
  const back = await query('SELECT text FROM hostile ORDER BY id');
  expect(back.rows.map((r) => r[0])).toEqual(VALUES);
});

// The browser, its settings and its key go with this file (useApp); only the fake API is ours to stop.
afterAll(async () => {
  await fake?.close();
});

describe('hostile values reach the provider only as data', () => {
  const SQL = `SELECT id, text MEANS ${sqlString(CRITERION)} AS complaint, text ASK ${sqlString(QUESTION)} AS first FROM hostile ORDER BY id`;

  it('keeps every value out of the instructions and the system prompt, and the data block gives each back exactly', async () => {
    const { out, requests } = await run(`-- @ batch: 16\n${SQL}`);
    expect(out.rows).toHaveLength(VALUES.length);
    // Two operators, each with all the values in one request of up to 16 rows.
    expect(requests).toHaveLength(2 * Math.ceil(VALUES.length / 16));

    const sent = { matches: [] as string[], ask: [] as string[] };
    for (const request of requests) {
      const turn = userTurn(request.body);
      expect(occurrences(turn, '<data>'), 'one data block').toBe(1);
      expect(occurrences(turn, '</data>'), 'one data block').toBe(1);
      // Nothing in the block could be read as markup.
      expect(dataText(request.body)).not.toMatch(/[<>&]/);
      const instructions = instructionsOf(request.body);
      const system = systemOf(request.body);
      expect(system).toMatch(/never instructions/);
      for (const value of [...VALUES, CRITERION, QUESTION]) {
        if (value.trim() === '') continue;
        expect(instructions.includes(value), `instructions of request #${request.n} hold ${JSON.stringify(value)}`).toBe(false);
        expect(system.includes(value), `system prompt of request #${request.n} holds ${JSON.stringify(value)}`).toBe(false);
      }
      const rows = rowsOf(request.body);
      // Ids are 1..n, one per row: no value added or renumbered a row.
      expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => String(i + 1)));
      for (const row of rows) {
        expect(typeof row['text']).toBe('string');
        if ('criterion' in row) {
          expect(row['criterion']).toBe(CRITERION);
          sent.matches.push(row['text'] as string);
        } else {
          expect(row['prompt']).toBe(QUESTION);
          sent.ask.push(row['text'] as string);
        }
      }
    }
    // Each value exactly once per operator, exactly as stored.
    expect([...sent.matches].sort()).toEqual([...VALUES].sort());
    expect([...sent.ask].sort()).toEqual([...VALUES].sort());
  });

  it('gives every row the answer for its own value at B = 16, the same as at B = 1', async () => {
    const sixteen = await run(`-- @ batch: 16\n${SQL}`);
    const one = await run(`-- @ batch: 1\n${SQL}`);
    expect(one.requests).toHaveLength(2 * VALUES.length);
    expect(sixteen.out.stats.errors).toBe(0);
    expect(sixteen.out.rows).toEqual(VALUES.map((text, i) => [i + 1, answer({ id: '', text, criterion: '' }), answer({ id: '', text, prompt: QUESTION })]));
    expect(sixteen.out.rows).toEqual(one.out.rows);
  });
});

describe('an aggregate over hostile members', () => {
  it('sends each group as one array element per member, and the model sees the right member count', async () => {
    const { out, requests } = await run('-- @ batch: 16\nSELECT grp, summarize(text) AS s, count(text) AS n FROM hostile GROUP BY grp ORDER BY grp');
    const groups = new Map<string, string[]>();
    VALUES.forEach((v, i) => groups.set(`g${i % 3}`, [...(groups.get(`g${i % 3}`) ?? []), v]));
    // The three groups share one request.
    expect(requests).toHaveLength(1);
    const rows = rowsOf(requests[0]?.body);
    expect(rows).toHaveLength(3);
    expect(instructionsOf(requests[0]?.body)).not.toMatch(/kettle|Ignore|forged/);
    const sentGroups = rows.map((r) => r['values']);
    for (const sent of sentGroups) expect(Array.isArray(sent)).toBe(true);
    // Every group's members, exactly, one element each, whatever they hold.
    expect(sentGroups.map((g) => [...(g as string[])].sort()).sort()).toEqual([...groups.values()].map((g) => [...g].sort()).sort());
    expect(out.rows).toEqual([...groups.entries()].sort().map(([grp, members]) => [grp, answer({ id: '', values: members }), members.length]));
  });
});

describe('a user operator whose argument is called `id`', () => {
  // Its values once replaced the row ids in the data block, so answers landed on the wrong rows.
  it('gives each row its own answer', async () => {
    await query("CREATE OR REPLACE SEMANTIC FUNCTION tag(id VARCHAR, text VARCHAR) RETURNS VARCHAR AS 'Label {{text}} with {{id}}'");
    try {
      const { out } = await run("-- @ batch: 16\nSELECT t, tag(i, t) AS label FROM (VALUES ('2', 'alpha'), ('1', 'beta'), ('x7', 'gamma')) v(i, t) ORDER BY t");
      expect(out.rows).toEqual([
        ['alpha', 'label:alpha'],
        ['beta', 'label:beta'],
        ['gamma', 'label:gamma'],
      ]);
    } finally {
      await query('DROP SEMANTIC FUNCTION IF EXISTS tag');
    }
  });
});
