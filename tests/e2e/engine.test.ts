import { describe, expect, it, beforeAll } from 'vitest';
import { modelRequest } from '../../src/engine/model-request';
import { mockAnswers } from '../../src/llm/mock/answers';
import { loadNlp } from '../../src/llm/mock/nlp/load-nlp';
import { MOCK_MODEL } from '../../src/client/default-settings';
import { BUILTIN_OPERATORS, encodeGroup, type OperatorDef } from '../../src/sql';
import { useApp } from './support/app-fixture';
import { setMockModel } from './support/mock-model';
import { openApp } from './support/browser';
import { maxOverlap } from '../../src/client/max-overlap';

const app = useApp();
// The mock's NLP libraries, as the model workers load them: references must answer alike.
const nlp = await loadNlp();

/** The mock's answer for one input, computed here in Node: the one-call-at-a-time reference. */
function reference(operator: string, args: string[]): unknown {
  const op = BUILTIN_OPERATORS.find((o) => o.name === operator) as OperatorDef;
  return mockAnswers(modelRequest('reference', op, args, { provider: 'mock', model: MOCK_MODEL, temperature: 0, instructions: [] }), nlp)[0];
}

async function query(sql: string) {
  return app().page.evaluate((q) => window.semsql!.query(q), sql);
}

async function calls(queryId: string) {
  return (await app().page.evaluate((id) => window.semsql!.callLog(id), queryId)).calls;
}

beforeAll(async () => {
  await app().page.evaluate(() => window.semsql!.cache.clear());
});

describe('the seed query from the original report', () => {
  const SEED = "SELECT id, text ALIGNS 'SQL is good for AI' AS score2 FROM (SELECT * FROM tweets LIMIT 10)";

  it('runs 10 calls with 5 in flight, then answers from memory, then from IndexedDB after a reload', async () => {
    await setMockModel(app().page, 400);
    const first = await query(`-- @ parallel: 5\n${SEED}`);
    expect(first.rows).toHaveLength(10);
    for (const row of first.rows) expect(row[1]).toBeTypeOf('number');
    const log = (await calls(first.queryId)).filter((c) => c.status === 'ok');
    expect(log).toHaveLength(10);
    expect(maxOverlap(log)).toBe(5);
    expect(first.stats).toMatchObject({ calls: 10, passes: 2 });

    const second = await query(`-- @ parallel: 5\n${SEED}`);
    expect(second.stats.calls).toBe(0);
    expect(second.stats.cached).toBe(10);
    expect(second.rows).toEqual(first.rows);

    await openApp(app().page, app().server.url);
    const afterReload = await query(`-- @ parallel: 5\n${SEED}`);
    expect(afterReload.stats.calls).toBe(0);
    expect(afterReload.stats.cached).toBe(10);
    expect(afterReload.rows).toEqual(first.rows);
    // The table in DuckDB says the same as the API.
    const fromTable = await query(
      `SELECT count(*) FILTER (WHERE status = 'cached') AS cached_rows, sum(answers) FILTER (WHERE status = 'cached') AS answers FROM semantic_calls WHERE query_id = '${afterReload.queryId}'`,
    );
    expect(fromTable.rows).toEqual([[1, 10]]);
  });

  it('runs one call at a time with parallel: 1', async () => {
    await setMockModel(app().page, 60);
    const out = await query(`-- @ parallel: 1\n-- @ cache: off\n${SEED}`);
    const log = (await calls(out.queryId)).filter((c) => c.status === 'ok');
    expect(log).toHaveLength(10);
    expect(maxOverlap(log)).toBe(1);
  });
});

describe('deduplication and budget', () => {
  it('makes exactly 50 calls for 1,000 rows holding 50 distinct texts', async () => {
    await setMockModel(app().page, 5);
    const out = await query(
      `-- @ parallel: 16\nSELECT text, text MEANS 'a complaint' AS c FROM (SELECT 'distinct text number ' || (range % 50) AS text FROM range(1000))`,
    );
    expect(out.rows).toHaveLength(1000);
    expect(out.stats.calls).toBe(50);
    expect((await calls(out.queryId)).filter((c) => c.status === 'ok')).toHaveLength(50);
  });

  it('refuses a query over budget without calling, and says how many calls it needs', async () => {
    const error = await app().page.evaluate(() =>
      window.semsql!.query("-- @ budget: 5\nSELECT text ASK 'budget probe?' FROM (SELECT * FROM tweets LIMIT 20)").then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(error).toMatch(/needs 20 model calls in pass 1, over its budget of 5/);
    const log = await app().page.evaluate(() => window.semsql!.callLog());
    expect(log.calls.filter((c) => c.operator === 'ask' && c.status !== 'cached')).toHaveLength(0);
  });
});

describe('answers equal a one-call-at-a-time evaluation', () => {
  const SUBSET = 'SELECT * FROM tweets WHERE id <= 150';
  let tweets: { id: number; author: string; text: string; likes: number }[] = [];

  beforeAll(async () => {
    await setMockModel(app().page, 2);
    const out = await query(`SELECT id, author, text, likes FROM (${SUBSET}) ORDER BY id`);
    tweets = out.rows.map(([id, author, text, likes]) => ({ id: id as number, author: author as string, text: text as string, likes: likes as number }));
    expect(tweets).toHaveLength(150);
  });

  it('a filter feeding a map', async () => {
    const out = await query(`-- @ parallel: 32\nSELECT id, text ASK 'why?' AS why FROM (${SUBSET}) WHERE text MEANS 'complaint' ORDER BY id`);
    const expected = tweets.filter((t) => reference('matches', [t.text, 'complaint']) === true).map((t) => [t.id, reference('ask', [t.text, 'why?'])]);
    expect(expected.length).toBeGreaterThan(3);
    expect(out.rows).toEqual(expected);
    expect(out.stats.passes).toBe(3);
  });

  it('a CASE guarding an operator', async () => {
    const out = await query(`-- @ parallel: 32\nSELECT id, CASE WHEN text MEANS 'praise' THEN sentiment(text) ELSE NULL END AS s FROM (${SUBSET}) ORDER BY id`);
    const expected = tweets.map((t) => [t.id, reference('matches', [t.text, 'praise']) === true ? reference('sentiment', [t.text]) : null]);
    expect(out.rows).toEqual(expected);
  });

  it('an aggregate per group', async () => {
    const out = await query(`-- @ parallel: 32\nSELECT author, summarize(text) AS summary FROM (${SUBSET}) GROUP BY author ORDER BY author`);
    const groups = new Map<string, string[]>();
    for (const t of tweets) groups.set(t.author, [...(groups.get(t.author) ?? []), t.text]);
    const expected = [...groups.keys()].sort().map((author) => [author, reference('summarize', [encodeGroup(groups.get(author) ?? []) as string])]);
    expect(out.rows).toEqual(expected);
  });

  it('a semantic join', async () => {
    const out = await query(
      `-- @ parallel: 32\nSELECT t.id, l.label FROM (SELECT * FROM tweets WHERE id <= 40) t JOIN (VALUES ('complaint'), ('praise'), ('a question')) l(label) ON t.text MEANS l.label ORDER BY t.id, l.label`,
    );
    const expected = tweets
      .filter((t) => t.id <= 40)
      .flatMap((t) => ['a question', 'complaint', 'praise'].filter((label) => reference('matches', [t.text, label]) === true).map((label) => [t.id, label]));
    expect(out.rows).toEqual(expected);
  });
});

describe('cancellation', () => {
  it('stops on cancel, keeps finished answers, and the rerun calls only the rest', async () => {
    await setMockModel(app().page, 250);
    const sql = "-- @ parallel: 4\nSELECT id, (text || ' #' || id) EXTRACTS 'the main topic' AS topic FROM (SELECT * FROM tweets WHERE id BETWEEN 300 AND 339)";
    const cancelled = await app().page.evaluate(async (q) => {
      const controller = new AbortController();
      const startedAt = performance.timeOrigin + performance.now();
      const pending = window.semsql!.query(q, { signal: controller.signal }).then(
        () => 'finished',
        (e: Error) => e.name,
      );
      // Cancel once ten answers are in (about 0.6 s of the query's 2.5 s): counted, not timed, so a
      // busy machine that starts the model workers late changes nothing.
      for (;;) {
        const log = await window.semsql!.callLog();
        if (log.calls.filter((c) => c.status === 'ok' && c.started_at >= startedAt).length >= 10) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      controller.abort();
      const outcome = await pending;
      return { outcome };
    }, sql);
    // Cancelled, not finished (fewer than 40 answers below); `npm run bench -- --case cancel` measures how soon.
    expect(cancelled.outcome).toBe('AbortError');
    const log = await app().page.evaluate(() => window.semsql!.callLog());
    const cancelledQuery = log.queries.find((q) => q.status === 'cancelled');
    expect(cancelledQuery).toBeDefined();
    const finished = log.calls.filter((c) => c.query_id === cancelledQuery!.query_id && c.status === 'ok').length;
    expect(finished).toBeGreaterThan(8);
    expect(finished).toBeLessThan(40);
    await setMockModel(app().page, 5);
    const rerun = await query(sql);
    expect(rerun.stats.calls).toBe(40 - finished);
    expect(rerun.stats.cached).toBe(finished);
  });
});
