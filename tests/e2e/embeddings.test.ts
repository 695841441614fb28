import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeEmbeddingsApi, type FakeEmbeddingsApi } from '../support/fake-embeddings-api';
import { useApp } from './support/app-fixture';
import { openApp } from './support/browser';
import { freshMockSession } from './support/mock-model';

/**
 * Issue 17, embeddings: the operators answered by an embeddings model (embed, vector_search,
 * RANKED BY, MEANING), with the offline mock (word overlap) and with an OpenAI-compatible
 * `/v1/embeddings` endpoint on 127.0.0.1 and the user's key. Vectors are asked once per text,
 * cached like answers, and compared in DuckDB.
 */
const app = useApp();
const servers: FakeEmbeddingsApi[] = [];

const query = (sql: string) => app().page.evaluate((q) => window.semsql!.query(q), sql);

afterEach(async () => {
  await app().page.evaluate(() => window.semsql!.settings.update({ embeddings: { provider: 'mock', baseURL: '', model: 'mock-embed-256' } }));
});

afterAll(async () => {
  await app().page.evaluate(() => window.semsql!.embeddingsKey.forget());
  while (servers.length > 0) await servers.pop()?.close();
});

describe('embeddings with the offline mock', () => {
  it('gives each text a unit vector, close for shared words and far for unrelated ones', async () => {
    await freshMockSession(app().page, 1);
    const out = await query(`SELECT len(embed('baking sourdough bread')) AS dims,
      list_cosine_similarity(embed('baking sourdough bread'), embed('I baked bread with my sourdough starter')) AS near,
      list_cosine_similarity(embed('baking sourdough bread'), embed('the stock market fell sharply')) AS far`);
    const [dims, near, far] = out.rows[0] as [number, number, number];
    expect(dims).toBe(256);
    expect(near).toBeGreaterThan(0.4);
    expect(Math.abs(far)).toBeLessThan(0.2);
  });

  it('finds the rows nearest in meaning with vector_search, and asks each text once', async () => {
    await freshMockSession(app().page, 1);
    const out = await query("SELECT * FROM vector_search('sourdough bread starter', 'tweets.text', 3)");
    expect(out.columns.map((c) => c.name)).toEqual(['id', 'text', 'similarity', 'distance']);
    expect(out.rows).toHaveLength(3);
    for (const [, text] of out.rows) expect(String(text).toLowerCase()).toContain('sourdough');
    const similarities = out.rows.map((r) => r[2] as number);
    expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
    const again = await query("SELECT * FROM vector_search('sourdough bread starter', 'tweets.text', 3)");
    expect(again.stats.calls).toBe(0);
    expect(again.rows).toEqual(out.rows);
    // Cached across a reload too, like any answer.
    await openApp(app().page, app().server.url);
    const reloaded = await query("SELECT * FROM vector_search('sourdough bread starter', 'tweets.text', 3)");
    expect(reloaded.stats.calls).toBe(0);
  });

  it('ranks a group by a criterion and clusters it by meaning', async () => {
    const ranked = await query(
      "SELECT a RANKED BY 'bread baking' AS r FROM (VALUES ('a recipe for baking bread at home'), ('quarterly tax filing'), ('bread flour and baking')) t(a)",
    );
    const rankings = (JSON.parse(String(ranked.rows[0]?.[0])) as { rankings: { value: string; rank: number }[] }).rankings;
    expect(rankings.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rankings[2]?.value).toBe('quarterly tax filing');
    const clustered = await query(
      "SELECT meaning(c, 2) AS k FROM (VALUES ('bread baking'), ('baking bread loaves'), ('tax filing'), ('filing taxes early')) t(c)",
    );
    const clusters = (JSON.parse(String(clustered.rows[0]?.[0])) as { clusters: { members: string[] }[] }).clusters;
    expect(clusters).toHaveLength(2);
    const together = (a: string, b: string) => clusters.some((c) => c.members.includes(a) && c.members.includes(b));
    expect(together('bread baking', 'baking bread loaves')).toBe(true);
    expect(together('tax filing', 'filing taxes early')).toBe(true);
  });
});

describe('embeddings from an OpenAI-compatible endpoint', () => {
  it('sends many texts per request with the user key in the auth header only, and caches each vector', async () => {
    const key = `emb-test-${randomBytes(8).toString('hex')}`;
    // Two dimensions: "bread" texts point one way, the rest the other.
    const fake = await startFakeEmbeddingsApi({ key, vector: (t) => (t.toLowerCase().includes('bread') ? [1, 0.1] : [0.1, 1]) });
    servers.push(fake);
    await app().page.evaluate(
      async ({ key, url }) => {
        await window.semsql!.embeddingsKey.set(key);
        await window.semsql!.settings.update({ embeddings: { provider: 'openai', baseURL: url, model: 'fake-embed-2' } });
      },
      { key, url: fake.url },
    );
    const out = await query("SELECT id, text, list_cosine_similarity(embed(text), embed('bread')) > 0.9 AS about_bread FROM tweets WHERE id <= 40 ORDER BY id");
    for (const [, text, aboutBread] of out.rows) expect(aboutBread).toBe(String(text).toLowerCase().includes('bread'));
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(Math.max(...fake.requests.map((r) => r.input.length))).toBeGreaterThan(10);
    for (const r of fake.requests) {
      expect(r.authorization).toBe(`Bearer ${key}`);
      expect(r.model).toBe('fake-embed-2');
    }
    const texts = fake.requests.flatMap((r) => r.input);
    expect(new Set(texts).size).toBe(texts.length);
    const again = await query("SELECT id, list_cosine_similarity(embed(text), embed('bread')) > 0.9 FROM tweets WHERE id <= 40");
    expect(again.stats.calls).toBe(0);
  });

  it('a rejected key is one clear error that names the embeddings key, not the key itself', async () => {
    const fake = await startFakeEmbeddingsApi({ key: 'the-right-one', vector: () => [1, 0] });
    servers.push(fake);
    await app().page.evaluate(async (url) => {
      await window.semsql!.embeddingsKey.set('a-wrong-key');
      await window.semsql!.settings.update({ embeddings: { provider: 'openai', baseURL: url, model: 'fake-embed-2' } });
    }, fake.url);
    const message = await app().page.evaluate(() =>
      window.semsql!.query("SELECT embed('x')").then(
        () => 'no error',
        (e: Error) => e.message,
      ),
    );
    expect(message).toMatch(/embeddings key in Settings/);
    expect(message).not.toContain('a-wrong-key');
  });
});
