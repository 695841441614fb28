import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAPHRASES, auc } from '../unit/llm/embeddings/paraphrases';
import { E2E_DIST } from './support/app-fixture';
import { launchBrowser, openApp, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/static-server';

/**
 * Issue 23: the on-device embedding model in the built app, in Chromium. The one browser test file
 * that loads the real model: once online, once more offline from the service worker's cache. Node
 * covers the model itself (tests/unit/llm/embeddings/use-lite.test.ts).
 */
let server: StaticServer;
let browser: TestBrowser;
let page: Page;

/** Sentences by topic, written for this test; each query shares at most a stopword with its topic's sentences. */
const TOPICS: Record<string, { query: string; sentences: string[] }> = {
  cooking: {
    query: 'recipes and preparing food',
    sentences: [
      'Simmer the onions in butter until golden.',
      'Knead the dough and let it rise overnight.',
      'Season the roast with garlic and rosemary.',
      'Whisk eggs with sugar for the cake batter.',
      'Chop the vegetables finely for a stir fry.',
    ],
  },
  football: {
    query: 'soccer matches and players',
    sentences: [
      'The striker scored twice in the second half.',
      'Our goalkeeper saved a penalty in extra time.',
      'The referee showed a red card to the defender.',
      'The league title was decided on the final day.',
      'The coach changed the formation at halftime.',
    ],
  },
  weather: {
    query: 'rain, storms and the forecast',
    sentences: [
      'Heavy showers are expected all afternoon.',
      'A thunderstorm knocked out power last night.',
      'Temperatures will drop below freezing tomorrow.',
      'Strong winds and hail hit the coast.',
      'It will be sunny with a light breeze.',
    ],
  },
  computers: {
    query: 'software bugs and programming',
    sentences: [
      'The app crashes when I open a large file.',
      'I fixed the memory leak in the parser.',
      'Compile the code before running the unit tests.',
      'The database query is slow without an index.',
      'Update the laptop drivers to fix the screen.',
    ],
  },
};

beforeAll(async () => {
  server = await serveStatic(E2E_DIST);
  browser = await launchBrowser();
  page = await browser.newPage();
  // The first visit installs the service worker; from the second, every fetch (the model's
  // included, from any worker the page starts) goes through it.
  await openApp(page, server.url);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await openApp(page, server.url);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Follows the model's status in the page, from before anything loads. */
async function recordStatuses(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { statuses: unknown[] };
    w.statuses = [];
    window.semsql!.embeddingModel.onStatus((s) => w.statuses.push(s));
  });
}

describe('the on-device embedding model in the app', () => {
  it("is the default, loads from the app's origin on first use with visible progress, and tokenizes a known sentence into its known ids", async () => {
    expect(await page.evaluate(() => window.semsql!.settings.get().then((s) => s.embeddings.provider))).toBe('on-device');
    await recordStatuses(page);
    const modelRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/models/')) modelRequests.push(new URL(r.url()).origin);
    });
    const loading = page.evaluate(() => window.semsql!.embeddingModel.tokenize('Hello world. The café opened.'));
    // The run bar shows the download while it is under way.
    await page.waitForSelector('[data-testid=embedding-model-status][data-state=loading]', { timeout: 60_000 });
    const ids = await loading;
    // The same ids as in Node (tests/unit/llm/embeddings/use-lite.test.ts): the built worker's
    // tokenizer read its source as UTF-8 (the word separator "▁" and "é" intact).
    expect(ids).toEqual([341, 4125, 311, 6, 34, 976, 209, 1133, 2921, 6]);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: { state: string; loadedBytes: number; totalBytes: number }[] }).statuses);
    const progress = statuses.filter((s) => s.state === 'loading' && s.loadedBytes > 0);
    expect(progress.length).toBeGreaterThan(3);
    expect(statuses.at(-1)).toMatchObject({ state: 'ready' });
    expect(statuses.at(-1)?.loadedBytes).toBe(statuses.at(-1)?.totalBytes);
    expect(new Set(modelRequests)).toEqual(new Set([server.origin]));
    await page.waitForSelector('[data-testid=embedding-model-status]', { state: 'detached' });
  });

  it('ranks paraphrases that share no content word above the same texts paired at random (embed in SQL)', async () => {
    const n = PARAPHRASES.length;
    const rows = PARAPHRASES.map(([a, b], i) => `(${i}, '${a.replaceAll("'", "''")}', '${b.replaceAll("'", "''")}')`).join(', ');
    const sql = `WITH p(i, a, b) AS (VALUES ${rows})
      SELECT x.i AS left_i, y.i AS right_i, list_cosine_similarity(embed(x.a), embed(y.b)) AS s FROM p x JOIN p y ON y.i = x.i OR y.i = (x.i + 7) % ${n} ORDER BY 1, 2`;
    const out = await page.evaluate((q) => window.semsql!.query(q), sql);
    const paired = out.rows.filter((r) => r[0] === r[1]).map((r) => Number(r[2]));
    const shuffled = out.rows.filter((r) => r[0] !== r[1]).map((r) => Number(r[2]));
    expect(paired).toHaveLength(n);
    const score = auc(paired, shuffled);
    console.log(`on-device paraphrases in the app: AUC ${score.toFixed(3)}`);
    expect(score).toBeGreaterThan(0.9);
    // Vectors are asked once per text, answered by the embeddings worker, and counted apart from model calls.
    expect(out.stats.calls).toBe(0);
    expect(out.stats.embedding_texts).toBe(2 * n);
  });

  it('retrieves a small labelled set of sentences by topic with vector_search (recall@5)', async () => {
    const rows = Object.entries(TOPICS).flatMap(([topic, t]) => t.sentences.map((s) => `('${topic}', '${s.replaceAll("'", "''")}')`));
    await page.evaluate((q) => window.semsql!.query(q), `CREATE OR REPLACE TABLE docs AS SELECT * FROM (VALUES ${rows.join(', ')}) t(topic, text)`);
    const recalls: Record<string, number> = {};
    for (const [topic, t] of Object.entries(TOPICS)) {
      const found = await page.evaluate(
        (q) => window.semsql!.query(q).then((r) => r.rows.map((row) => String(row[1]))),
        `SELECT * FROM vector_search('${t.query}', 'docs.text', 5, 0)`,
      );
      recalls[topic] = found.filter((text) => t.sentences.includes(text)).length / t.sentences.length;
    }
    const mean = Object.values(recalls).reduce((s, r) => s + r, 0) / Object.keys(recalls).length;
    console.log(`vector_search recall@5 by topic: ${JSON.stringify(recalls)}; mean ${mean.toFixed(2)}`);
    expect(mean).toBeGreaterThanOrEqual(0.8);
    expect(Math.min(...Object.values(recalls))).toBeGreaterThanOrEqual(0.6);
  });

  it('keeps the page responsive while it embeds 2,000 texts: the editor takes typing mid-query', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { bulk: { done: number; settled: boolean; controller: AbortController } };
      w.bulk = { done: 0, settled: false, controller: new AbortController() };
      void window
        .semsql!.query("-- @ budget: 100000\nSELECT count(embed(text || ' #' || i)) FROM tweets, range(1) r(i) LIMIT 2000", {
          signal: w.bulk.controller.signal,
          onProgress: (p) => (w.bulk.done = p.done),
        })
        .catch(() => {})
        .finally(() => (w.bulk.settled = true));
    });
    // Wait until the embeddings worker is answering this query's texts.
    await page.waitForFunction(() => (window as unknown as { bulk: { done: number } }).bulk.done > 0, null, { timeout: 120_000 });
    const editor = page.locator('.cm-content').first();
    await editor.click();
    await page.keyboard.type(' -- typed while embedding');
    await page.waitForFunction(() => document.querySelector('.cm-content')?.textContent?.includes('typed while embedding'));
    // The typing was answered while the query still ran (it is then cancelled: the point was the page).
    expect(await page.evaluate(() => (window as unknown as { bulk: { settled: boolean } }).bulk.settled)).toBe(false);
    await page.evaluate(() => (window as unknown as { bulk: { controller: AbortController } }).bulk.controller.abort());
    await page.waitForFunction(() => (window as unknown as { bulk: { settled: boolean } }).bulk.settled, null, { timeout: 60_000 });
  });

  it('works with the network off after one load: the service worker serves the model', async () => {
    await browser.context.setOffline(true);
    await server.close();
    await openApp(page, server.url);
    await recordStatuses(page);
    // A text no earlier test embedded: its vector must come from the model, not the answer cache.
    const out = await page.evaluate(() =>
      window.semsql!.query("SELECT list_cosine_similarity(embed('I purchased an automobile yesterday'), embed('I bought a new car last night')) AS s"),
    );
    expect(Number(out.rows[0]?.[0])).toBeGreaterThan(0.5);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: { state: string }[] }).statuses.map((s) => s.state));
    expect(statuses).toContain('loading');
    expect(statuses.at(-1)).toBe('ready');
  });
});
