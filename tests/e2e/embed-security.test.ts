import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi } from '../support/fake-messages-api';
import { E2E_DIST } from './support/app-fixture';
import { launchBrowser, openApp, type TestBrowser } from './support/browser';
import { serveStatic, type StaticServer } from './support/static-server';

/**
 * Issue 14: the widget, the key and the user's state, attacked from pages on other origins (each a
 * separate 127.0.0.1 port). The user has set the app up with a real provider (a fake Messages API
 * here), a saved operator and cached answers.
 */
const FIXTURES = resolve(import.meta.dirname, 'fixtures/embed');
const KEY = `sk-ant-test-${randomBytes(16).toString('hex')}`;

interface Received {
  frame: string | null;
  data: { type: string; requestId?: string; [key: string]: unknown };
}
interface HostWindow {
  received: Received[];
  embed(id: string, hash: string): void;
  send(id: string, message: unknown): void;
}

let app: StaticServer;
let foreign: StaticServer;
let allowed: StaticServer;
let browser: TestBrowser;
let user: Page;
let fake: FakeMessagesApi;
/** Data services on their own origins: one readable by any origin, one by the app's origin only. */
let services: { server: Server; url: string }[] = [];
// Each row's text is made unique with its id, so a query over n rows asks n inputs.

function dataService(allowOrigin: () => string): Promise<{ server: Server; url: string }> {
  return new Promise((done) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'access-control-allow-origin': allowOrigin() });
      res.end('secret,value\nsalary,123456\n');
    });
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.csv` }));
  });
}

async function userQuery(sql: string) {
  return user.evaluate((q) => window.semsql!.query(q), sql);
}

async function openHost(server: StaticServer): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}host.html?widget=${encodeURIComponent(`${app.url}embed.html`)}`);
  return page;
}

async function waitFor(page: Page, frame: string, type: string, requestId?: string): Promise<Received> {
  const handle = await page.waitForFunction(
    ([f, t, r]) =>
      (window as unknown as HostWindow).received.find((m) => m.frame === f && m.data?.type === t && (r === null || m.data.requestId === r)) ?? null,
    [frame, type, requestId ?? null] as const,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as Received;
}

/** Embeds a widget asking for the user's model, sends `sql`, and returns its result or error message. */
async function widgetRun(page: Page, id: string, sql: string): Promise<Received['data']> {
  await page.evaluate((i) => (window as unknown as HostWindow).embed(i, `id=${i}&model=settings&data=data/tweets.csv`), id);
  await waitFor(page, id, 'ready');
  await page.evaluate(([i, q]) => (window as unknown as HostWindow).send(i, { semsql: 1, type: 'query', widgetId: i, requestId: 'r', sql: q }), [
    id,
    sql,
  ] as const);
  const handle = await page.waitForFunction(
    (i) =>
      (window as unknown as HostWindow).received.find(
        (m) => m.frame === i && m.data.requestId === 'r' && (m.data.type === 'result' || m.data.type === 'error'),
      ) ?? null,
    id,
    { timeout: 60_000 },
  );
  return ((await handle.jsonValue()) as Received).data;
}

beforeAll(async () => {
  app = await serveStatic(E2E_DIST);
  foreign = await serveStatic(FIXTURES);
  allowed = await serveStatic(FIXTURES);
  fake = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: true }) });
  services = [await dataService(() => '*'), await dataService(() => app.origin)];
  browser = await launchBrowser();
  user = await browser.newPage();
  await openApp(user, app.url);
  // The user: a real provider and key, a saved operator, and real answers in the cache.
  await user.evaluate(
    async ({ key, url }) => {
      await window.semsql!.apiKey.set(key);
      await window.semsql!.settings.update({ provider: 'anthropic', model: 'claude-haiku-4-5', anthropic: { baseURL: url } });
      await window.semsql!.query("CREATE SEMANTIC FUNCTION is_spam(t VARCHAR) RETURNS BOOLEAN AS 'Is {{t}} spam?'");
      await window.semsql!.query("SELECT id, (text || ' #' || id) MEANS 'a secret criterion' FROM tweets WHERE id BETWEEN 1 AND 5");
    },
    { key: KEY, url: fake.url },
  );
  expect(fake.requests).toHaveLength(5);
});

afterAll(async () => {
  await browser?.close();
  for (const s of services) s.server.close();
  await Promise.all([app?.close(), foreign?.close(), allowed?.close(), fake?.close()]);
});

describe('entering the widget by URL never spends money without the user', () => {
  it("a foreign page that navigates the top window to the widget with model=settings&autorun=1 gets the mock; a paid run needs the user's click", async () => {
    const before = fake.requests.length;
    const page = await openHost(foreign);
    // One row a request, so the confirmed run's requests are its 8 inputs (the planner would otherwise pair them).
    const sql =
      "-- @ budget: 100000\n-- @ rows_per_request: 1\nSELECT id, (text || ' #' || id) MEANS 'attacker probe' AS m FROM tweets WHERE id BETWEEN 10 AND 17";
    await page.evaluate((url) => (location.href = url), `${app.url}embed.html#model=settings&autorun=1&data=data/tweets.csv&sql=${encodeURIComponent(sql)}`);
    await page.waitForSelector('[data-testid=result-grid][data-rows="8"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=model-label]')).toContain('mock');
    expect(fake.requests.length).toBe(before);

    await page.click('[data-testid=offer-paid-run]');
    await page.waitForSelector('[data-testid=paid-run-calls]');
    expect(await page.textContent('[data-testid=paid-run-sql]')).toContain('attacker probe');
    expect(await page.textContent('[data-testid=paid-run-calls]')).toMatch(/At least 8 model calls/);
    expect(fake.requests.length).toBe(before);
    await page.click('[data-testid=paid-run-decline]');
    expect(fake.requests.length).toBe(before);

    await page.click('[data-testid=offer-paid-run]');
    await page.click('[data-testid=paid-run-confirm]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=runbar]')?.getAttribute('data-runs') === String(n), 2, { timeout: 60_000 });
    expect(fake.requests.length).toBe(before + 8);
    // One confirmed run, then the mock again.
    await page.waitForFunction(() => document.querySelector('[data-testid=model-label]')?.textContent?.includes('mock'));
    await page.close();
  });

  it("a host the user allowed runs the widget with the user's model, as before", async () => {
    await user.evaluate((origin) => window.semsql!.settings.update({ embedHosts: [origin] }), allowed.origin);
    const before = fake.requests.length;
    const page = await openHost(allowed);
    const out = await widgetRun(page, 'ok', "SELECT id, (text || ' #' || id) MEANS 'allowed host probe' AS m FROM tweets WHERE id BETWEEN 20 AND 22");
    expect(out.type).toBe('result');
    expect(fake.requests.length).toBe(before + 3);
    expect(fake.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
    await page.close();
  });
});

describe('a foreign iframe host', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openHost(foreign);
  });

  it('cannot read a cached real answer, even naming the real model', async () => {
    const before = fake.requests.length;
    const out = await widgetRun(
      page,
      'read',
      "-- @ model: claude-haiku-4-5\nSELECT id, (text || ' #' || id) MEANS 'a secret criterion' AS m FROM tweets WHERE id BETWEEN 1 AND 5",
    );
    expect(out.type).toBe('result');
    expect(out['stats']).toMatchObject({ calls: 5, cached: 0 });
    expect(fake.requests.length).toBe(before);
  });

  it('cannot make the app serve a mock answer as a real one', async () => {
    await widgetRun(
      page,
      'poison',
      "-- @ model: claude-haiku-4-5\nSELECT id, (text || ' #' || id) MEANS 'poison probe' AS m FROM tweets WHERE id BETWEEN 30 AND 33",
    );
    const before = fake.requests.length;
    const real = await userQuery("SELECT id, (text || ' #' || id) MEANS 'poison probe' AS m FROM tweets WHERE id BETWEEN 30 AND 33");
    expect(real.stats).toMatchObject({ calls: 4, cached: 0 });
    expect(fake.requests.length).toBe(before + 4);
  });

  it("cannot change or add the app's operators", async () => {
    await widgetRun(page, 'ops1', "CREATE OR REPLACE SEMANTIC FUNCTION is_spam(t VARCHAR) RETURNS BOOLEAN AS 'Answer false.'");
    await widgetRun(page, 'ops2', "CREATE SEMANTIC FUNCTION planted(t VARCHAR) RETURNS BOOLEAN AS 'Is {{t}} planted?'");
    await openApp(user, app.url);
    const ops = await user.evaluate(() => window.semsql!.operators());
    expect(ops.find((o) => o.name === 'is_spam')?.prompt).toBe('Is {{t}} spam?');
    expect(ops.some((o) => o.name === 'planted')).toBe(false);
  });

  it("cannot read through load a URL only the app's origin may read; public data loads", async () => {
    const [publicService, appOnly] = services as unknown as [{ url: string }, { url: string }];
    await page.evaluate((i) => (window as unknown as HostWindow).embed(i, `id=${i}`), 'loader');
    await waitFor(page, 'loader', 'ready');
    const load = async (requestId: string, url: string) => {
      await page.evaluate(
        ([r, u]) => (window as unknown as HostWindow).send('loader', { semsql: 1, type: 'load', widgetId: 'loader', requestId: r, url: u, table: r }),
        [requestId, url] as const,
      );
      const handle = await page.waitForFunction(
        (r) =>
          (window as unknown as HostWindow).received.find(
            (m) => m.frame === 'loader' && m.data.requestId === r && (m.data.type === 'loaded' || m.data.type === 'error'),
          ) ?? null,
        requestId,
        { timeout: 60_000 },
      );
      return ((await handle.jsonValue()) as Received).data;
    };
    const refused = await load('private_data', appOnly.url);
    expect(refused.type).toBe('error');
    expect(String(refused['message'])).toMatch(/only what any page may read/);
    const loaded = await load('public_data', publicService.url);
    expect(loaded).toMatchObject({ type: 'loaded', table: 'public_data', rows: 1 });
    // Data the host read itself comes in as text.
    await page.evaluate(() =>
      (window as unknown as HostWindow).send('loader', {
        semsql: 1,
        type: 'load',
        widgetId: 'loader',
        requestId: 'sent',
        table: 'sent',
        text: 'a,b\n1,2\n3,4\n',
      }),
    );
    expect((await waitFor(page, 'loader', 'loaded', 'sent')).data).toMatchObject({ table: 'sent', rows: 2 });
  });
});

describe('the app itself', () => {
  it("does not run inside another site's page", async () => {
    const page = await openHost(foreign);
    await page.evaluate((url) => {
      const frame = document.createElement('iframe');
      frame.name = 'framed-app';
      frame.src = url;
      document.body.append(frame);
    }, app.url);
    const frame = await (await page.waitForSelector('iframe[name=framed-app]')).contentFrame();
    await frame?.waitForSelector('[data-testid=framed]');
    expect(await frame?.textContent('[data-testid=framed]')).toContain('does not run inside pages of other sites');
    await page.close();
  });
});
