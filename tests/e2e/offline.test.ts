import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_DIST } from './support/app-fixture';
import { launchBrowser, openApp, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/static-server';

/**
 * Static hosting (docs/hosting.md): the build served from a sub-path by a plain static server with no
 * special headers, then, after one visit, with no network at all: the service worker answers.
 */
const BASE = '/tools/semsql/';

let server: StaticServer;
let browser: TestBrowser;
let page: Page;
const failed: string[] = [];

const semanticQuery = (limit: number) => `-- @ parallel: 4\nSELECT id, sentiment(text) AS mood FROM (SELECT * FROM tweets ORDER BY id DESC LIMIT ${limit})`;

beforeAll(async () => {
  server = await serveStatic(E2E_DIST, { basePath: BASE });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('response', (r: Response) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the build on a static host', () => {
  it('runs from a sub-path: every file is found relative to the page', async () => {
    expect(server.url).toBe(`${server.origin}${BASE}`);
    await openApp(page, server.url);
    const out = await page.evaluate((sql) => window.semsql!.query(sql), semanticQuery(5));
    expect(out.rows).toHaveLength(5);
    expect(out.stats.calls).toBe(5);
    expect(failed).toEqual([]);
  });

  it('registers a service worker for its own folder that precaches the build', async () => {
    const sw = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const keys = await caches.keys();
      const precached = (await Promise.all(keys.map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat();
      return { scope: registration.scope, script: registration.active?.scriptURL ?? null, precached };
    });
    expect(sw.scope).toBe(server.url);
    expect(sw.script).toBe(`${server.url}sw.js`);
    const names = sw.precached.map((u) => new URL(u).pathname.replace(BASE, '').replace(/\?.*$/, ''));
    expect(names).toEqual(expect.arrayContaining(['index.html', 'embed.html', 'data/tweets.csv']));
    expect(names.some((n) => /^assets\/duckdb-eh-.*\.wasm$/.test(n))).toBe(true);
    // The mvp wasm (old browsers only) is cached when used, not downloaded up front.
    expect(names.some((n) => /duckdb-mvp/.test(n))).toBe(false);
  });

  it('reloads and runs a mock-model query with the network cut and the server gone', async () => {
    // A controlled page first: after this reload every request of the page goes through the worker.
    await openApp(page, server.url);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${server.url}sw.js`);
    await browser.context.setOffline(true);
    await server.close();
    try {
      await openApp(page, server.url);
      const out = await page.evaluate((sql) => window.semsql!.query(sql), semanticQuery(8));
      expect(out.rows).toHaveLength(8);
      // Three answers are from the first test (cached in IndexedDB), five are new mock calls.
      expect(out.stats).toMatchObject({ calls: 3, cached: 5 });
      // Nothing but the service worker answers: a file it did not precache cannot be fetched.
      expect(
        await page.evaluate(
          (url) =>
            fetch(url).then(
              () => 'reached',
              () => 'unreachable',
            ),
          `${server.url}not-precached-${Date.now()}.txt`,
        ),
      ).toBe('unreachable');

      // The widget is precached too.
      const widget = await browser.newPage();
      const sql = encodeURIComponent("SELECT count(*) AS n, count(*) FILTER (WHERE text MEANS 'offline') >= 0 AS ok FROM (SELECT * FROM tweets LIMIT 4)");
      await widget.goto(`${server.url}embed.html#data=data/tweets.csv&autorun=1&sql=${sql}`);
      await widget.waitForSelector('[data-testid=result-grid][data-rows="1"]', { timeout: 60_000 });
      expect(await widget.textContent('[data-testid=embed-results]')).toContain('4');
      await widget.close();
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
