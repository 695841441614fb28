import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_DIST } from './support/app-fixture';
import { launchBrowser, openApp, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/static-server';

/**
 * Issue 9, storage failures: with IndexedDB failing (a broken store) or full (a tiny quota), queries
 * still run from memory and the user is told once. Each case gets a fresh browser profile.
 */
let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await serveStatic(E2E_DIST);
});
afterAll(async () => {
  await browser?.close();
  await server.close();
});

async function runTwice(page: import('playwright-core').Page) {
  return page.evaluate(async () => {
    const db = window.semsql!;
    await db.settings.update({ mock: { latencyMs: 2, faults: { rateLimit: 0, server: 0, timeout: 0, malformed: 0 } } });
    const first = await db.query("SELECT id, text MEANS 'complaint' AS c FROM tweets WHERE id <= 20");
    const second = await db.query("SELECT id, text MEANS 'complaint' AS c FROM tweets WHERE id <= 20");
    const third = await db.query("SELECT id, text ABOUT 'databases' AS s FROM tweets WHERE id <= 5");
    return { first, second, third, stats: await db.cache.stats() };
  });
}

describe('IndexedDB failures', () => {
  it('runs from memory with one warning when the answer store is broken', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    // A database of that name with no 'answers' store: every read and write of the tier fails.
    await page.goto(`${server.url}not-the-app`); // any page of the origin will do
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('semsql-cache', 1);
          request.onupgradeneeded = () => request.result.createObjectStore('something-else');
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    await openApp(page, server.url);
    const out = await runTwice(page);
    expect(out.first.rows).toHaveLength(20);
    expect(out.second.stats.calls).toBe(0);
    expect(out.second.rows).toEqual(out.first.rows);
    const warnings = [...out.first.warnings, ...out.second.warnings, ...out.third.warnings];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot use IndexedDB.*memory/);
    expect(out.stats.memoryOnly).toBe(true);
    await browser.close();
  });

  it('runs from memory with one warning when the disk quota is exhausted', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.origin, quotaSize: 1 });
    await openApp(page, server.url);
    const out = await runTwice(page);
    expect(out.first.rows).toHaveLength(20);
    expect(out.second.stats.calls).toBe(0);
    const warnings = [...out.first.warnings, ...out.second.warnings, ...out.third.warnings];
    // One for the answer cache; settings say so once too, since they cannot be saved either.
    expect(warnings.filter((w) => /answer cache/.test(w))).toHaveLength(1);
    expect(warnings.filter((w) => /Settings cannot be saved/.test(w))).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/QuotaExceededError/);
    await browser.close();
  });
});
