import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_DIST } from './support/app-fixture';
import { launchBrowser, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/static-server';

/**
 * The embed widget across origins: the widget is served from one 127.0.0.1 port, host pages from
 * others (tests/e2e/fixtures/embed). The host page records every message with the frame it came from.
 */
const FIXTURES = resolve(import.meta.dirname, 'fixtures/embed');
const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

interface Received {
  at: number;
  origin: string;
  frame: string | null;
  data: { type: string; widgetId: string; semsql: number; requestId?: string; [key: string]: unknown };
}
interface HostWindow {
  received: Received[];
  embed(id: string, hash: string): void;
  addSibling(id: string, src: string): void;
  send(id: string, message: unknown): void;
}

let widget: StaticServer;
let host: StaticServer;
let other: StaticServer;
let browser: TestBrowser;
let page: Page;

async function received(p: Page): Promise<Received[]> {
  return p.evaluate(() => (window as unknown as HostWindow).received);
}

async function waitForMessage(p: Page, frame: string, type: string, requestId?: string, timeout = 45_000): Promise<Received> {
  const handle = await p.waitForFunction(
    ([f, t, r]) =>
      (window as unknown as HostWindow).received.find((m) => m.frame === f && m.data?.type === t && (r === null || m.data.requestId === r)) ?? null,
    [frame, type, requestId ?? null] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as Received;
}

async function openHost(server: StaticServer): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(`${server.url}host.html?widget=${encodeURIComponent(`${widget.url}embed.html`)}`);
  return p;
}

function widgetFrame(p: Page, id: string): Frame {
  const frame = p.frame({ name: id });
  if (!frame) throw new Error(`no frame ${id}`);
  return frame;
}

async function runsIn(p: Page, id: string): Promise<number> {
  return Number(await widgetFrame(p, id).getAttribute('[data-testid=runbar]', 'data-runs'));
}

const query = (id: string, requestId: string, sql: string) => ({ semsql: 1, type: 'query', widgetId: id, requestId, sql });
/** Each query asks for new answers (the cache is shared by the widgets of one host). */
const tweetsQuery = (limit: number, parallel: number) =>
  `-- @ parallel: ${parallel}\nSELECT id, sentiment(text) AS mood, text ALIGNS 'widget ${limit}' AS score FROM (SELECT * FROM tweets ORDER BY id LIMIT ${limit})`;

beforeAll(async () => {
  widget = await serveStatic(E2E_DIST);
  host = await serveStatic(FIXTURES);
  other = await serveStatic(FIXTURES);
  browser = await launchBrowser();
  page = await openHost(host);
  // No `origins=` in the hash: the widget accepts its embedding page's origin (ancestorOrigins).
  await page.evaluate(() => {
    const w = window as unknown as HostWindow;
    w.embed('w1', 'id=w1&data=data/tweets.csv&height=auto&timeline=1');
    w.embed('w2', 'id=w2&data=data/tweets.csv&height=auto');
  });
  await waitForMessage(page, 'w1', 'ready', undefined, 60_000);
  await waitForMessage(page, 'w2', 'ready', undefined, 60_000);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([widget?.close(), host?.close(), other?.close()]);
});

describe('a host page on another origin', () => {
  it('says ready from the widget origin with the protocol version and widget id', async () => {
    const ready = (await received(page)).filter((m) => m.data.type === 'ready');
    expect(ready.map((m) => [m.frame, m.origin, m.data.widgetId, m.data.semsql])).toEqual(
      expect.arrayContaining([
        ['w1', widget.origin, 'w1', 1],
        ['w2', widget.origin, 'w2', 1],
      ]),
    );
  });

  it('sends a query and gets progress, a result, and a resize when the result grows', async () => {
    const before = await received(page);
    const lastHeight = before.filter((m) => m.frame === 'w1' && m.data.type === 'resize').at(-1)?.data.height as number;
    expect(lastHeight).toBeGreaterThan(0);
    await page.evaluate((m) => (window as unknown as HostWindow).send('w1', m), query('w1', 'r1', tweetsQuery(12, 2)));
    const result = await waitForMessage(page, 'w1', 'result', 'r1');
    expect(result.data).toMatchObject({ semsql: 1, widgetId: 'w1', requestId: 'r1', rowCount: 12, truncated: false });
    expect((result.data.columns as { name: string }[]).map((c) => c.name)).toEqual(['id', 'mood', 'score']);
    expect(result.data.rows as unknown[][]).toHaveLength(12);
    expect((result.data.stats as { calls: number }).calls).toBe(24);
    const progress = (await received(page)).filter((m) => m.frame === 'w1' && m.data.type === 'progress' && m.data.requestId === 'r1');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((m) => m.at < result.at)).toBe(true);
    // The grid adds 12 rows: the widget reports its new height (debounced), larger than before.
    const grown = await page.waitForFunction(
      ([after, h]) =>
        (window as unknown as HostWindow).received.find(
          (m) => m.frame === 'w1' && m.data.type === 'resize' && m.at >= after && (m.data.height as number) > h,
        ) ?? null,
      [result.at, lastHeight] as const,
      { timeout: 10_000 },
    );
    expect(((await grown.jsonValue()) as Received).data.height).toBeGreaterThan(lastHeight + 150);
    // The host resized the frame to fit, and the widget shows the rows.
    expect(await widgetFrame(page, 'w1').getAttribute('[data-testid=result-grid]', 'data-rows')).toBe('12');
  });

  it('caps a large result and flags it as truncated', async () => {
    await page.evaluate((m) => (window as unknown as HostWindow).send('w2', m), query('w2', 'big', 'SELECT range AS n FROM range(2500)'));
    const result = await waitForMessage(page, 'w2', 'result', 'big');
    expect(result.data).toMatchObject({ rowCount: 2500, truncated: true });
    expect(result.data.rows as unknown[][]).toHaveLength(1000);
    // Plain values: a host can JSON.stringify them.
    expect((result.data.rows as unknown[][])[999]).toEqual([999]);
  });

  it('runs queries in two widgets at once without mixing their messages', async () => {
    const start = await page.evaluate(() => performance.now());
    await page.evaluate(
      ([a, b]) => {
        const w = window as unknown as HostWindow;
        w.send('w1', a);
        w.send('w2', b);
      },
      [query('w1', 'a', tweetsQuery(5, 1)), query('w2', 'b', tweetsQuery(7, 1))] as const,
    );
    const [ra, rb] = await Promise.all([waitForMessage(page, 'w1', 'result', 'a'), waitForMessage(page, 'w2', 'result', 'b')]);
    expect(ra.data).toMatchObject({ widgetId: 'w1', rowCount: 5 });
    expect(rb.data).toMatchObject({ widgetId: 'w2', rowCount: 7 });
    const since = (await received(page)).filter((m) => m.at >= start);
    // Every message names the widget of the frame that sent it, and the request that frame ran.
    for (const m of since) {
      expect(m.data.widgetId).toBe(m.frame);
      if (m.data.requestId !== undefined) expect(m.data.requestId).toBe(m.frame === 'w1' ? 'a' : 'b');
    }
    // At the same time: each widget reported progress before the other one finished.
    const firstProgress = (frame: string) => since.find((m) => m.frame === frame && m.data.type === 'progress')?.at ?? Infinity;
    expect(firstProgress('w1')).toBeLessThan(rb.at);
    expect(firstProgress('w2')).toBeLessThan(ra.at);
  });

  it('answers load, setOptions and cancel', async () => {
    await page.evaluate(() => {
      const w = window as unknown as HostWindow;
      w.send('w2', { semsql: 1, type: 'load', widgetId: 'w2', requestId: 'l1', url: 'data/tweets.csv', table: 'more_tweets' });
      w.send('w2', { semsql: 1, type: 'setOptions', widgetId: 'w2', options: { theme: 'dark', readonly: true } });
    });
    expect((await waitForMessage(page, 'w2', 'loaded', 'l1')).data).toMatchObject({ table: 'more_tweets', rows: 3000 });
    const frame = widgetFrame(page, 'w2');
    await frame.waitForSelector('[data-testid=sql-readonly]');
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await page.evaluate((m) => (window as unknown as HostWindow).send('w2', m), query('w2', 'slow', tweetsQuery(60, 1)));
    await waitForMessage(page, 'w2', 'progress', 'slow');
    await page.evaluate(() => (window as unknown as HostWindow).send('w2', { semsql: 1, type: 'query', widgetId: 'w2', requestId: 'second', sql: 'SELECT 1' }));
    expect((await waitForMessage(page, 'w2', 'error', 'second')).data.reason).toBe('busy');
    await page.evaluate(() => (window as unknown as HostWindow).send('w2', { semsql: 1, type: 'cancel', widgetId: 'w2', requestId: 'slow' }));
    expect((await waitForMessage(page, 'w2', 'error', 'slow')).data.reason).toBe('cancelled');
  });
});

describe('messages the widget must ignore', () => {
  it('ignores another frame of the host page, malformed messages and keys, and still answers its parent', async () => {
    await page.evaluate((src) => (window as unknown as HostWindow).addSibling('sibling', src), `${host.url}sibling.html`);
    const sibling = await (await page.waitForSelector('#sibling')).contentFrame();
    await sibling!.waitForFunction(() => 'postToWidget' in window);
    const runsBefore = await runsIn(page, 'w1');
    // Same (allowed) origin as the parent, but not the parent window.
    await sibling!.evaluate(([m, origin]) => (window as unknown as { postToWidget(id: string, m: unknown, o: string): void }).postToWidget('w1', m, origin), [
      query('w1', 'from-sibling', 'SELECT 1 AS sibling'),
      widget.origin,
    ] as const);
    await page.evaluate(() => {
      const w = window as unknown as HostWindow;
      // From the parent, but not in the protocol's shape: a key riding along, another version, another widget.
      w.send('w1', { semsql: 1, type: 'query', widgetId: 'w1', requestId: 'with-key', sql: 'SELECT 1', apiKey: 'sk-ant-test' });
      w.send('w1', { semsql: 2, type: 'query', widgetId: 'w1', requestId: 'v2', sql: 'SELECT 1' });
      w.send('w1', { semsql: 1, type: 'query', widgetId: 'w2', requestId: 'wrong-id', sql: 'SELECT 1' });
      w.send('w1', { semsql: 1, type: 'query', widgetId: 'w1', requestId: 'good', sql: 'SELECT 2 AS good' });
    });
    const good = await waitForMessage(page, 'w1', 'result', 'good');
    expect(good.data.rows).toEqual([[2]]);
    // Messages are handled in order: had any of the others been taken, it would have run first.
    expect(await runsIn(page, 'w1')).toBe(runsBefore + 1);
    const ignored = (await received(page)).filter((m) => ['from-sibling', 'with-key', 'v2', 'wrong-id'].includes(m.data.requestId ?? ''));
    expect(ignored).toEqual([]);
  });

  it('ignores a page on an origin it does not allow, even as its parent', async () => {
    const stranger = await openHost(other);
    try {
      // The widget is told to accept only the host origin, and is embedded by another.
      await stranger.evaluate(
        (origins) => (window as unknown as HostWindow).embed('w3', `id=w3&data=data/tweets.csv&origins=${encodeURIComponent(origins)}`),
        host.origin,
      );
      const frame = await (await stranger.waitForSelector('#w3')).contentFrame();
      await frame!.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true', null, { timeout: 60_000 });
      await stranger.evaluate((m) => (window as unknown as HostWindow).send('w3', m), query('w3', 'stranger', 'SELECT 3'));
      await stranger.waitForTimeout(1500);
      // Nothing ran, and nothing was sent to this page: not even `ready`.
      expect(await frame!.getAttribute('[data-testid=runbar]', 'data-runs')).toBe('0');
      expect(await received(stranger)).toEqual([]);
    } finally {
      await stranger.close();
    }
  });
});

describe('the example page', () => {
  it('shows its widgets (static, driven by the page, asking for your model) and the snippets as text', async () => {
    const example = await browser.newPage();
    try {
      await example.setViewportSize({ width: 1100, height: 1500 });
      await example.goto(`${widget.url}embed-example.html`);
      await example.waitForFunction(() => /rows/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000 });
      expect(await example.textContent('#status')).toMatch(/^q1: 5 rows/);
      expect(await example.locator('#rows tr').count()).toBe(6);
      const staticFrame = await (await example.waitForSelector('#static')).contentFrame();
      await staticFrame!.waitForSelector('[data-testid=result-grid]', { timeout: 60_000 });
      await staticFrame!.waitForSelector('[data-testid=timeline]');
      // The snippets are shown as code, not turned into live frames: three widgets, no more.
      expect(await example.locator('iframe').count()).toBe(3);
      // The allow-list flow names the origin to allow (issue 14).
      expect(await example.textContent('[data-testid=this-origin]')).toBe(widget.origin);
      expect(await example.locator('pre code').first().textContent()).toContain('<iframe');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await example.screenshot({ path: resolve(SCREENSHOTS, 'embed-example.png'), fullPage: true });
    } finally {
      await example.close();
    }
  });
});
