import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi } from '../support/fake-messages-api';
import { E2E_DIST, useApp } from './support/app-fixture';
import { launchBrowser, openApp } from './support/browser';
import { freshMockSession, NO_FAULTS, setMockModel } from './support/mock-model';
import { serveStatic } from './support/static-server';
import { dropFiles, editorText, runAndWait, setSql } from './support/workbench';

/**
 * Issue 18, the workbench for daily use, driven like a user in Chromium: result states that tell
 * the truth, errors in the user's words, data that stays, URL checks, completion, profile and
 * chart, tabs, and a start that does not wait for DuckDB. Screenshots go to test-results/workbench/.
 */
const app = useApp();
const SHOTS = resolve(import.meta.dirname, '../../test-results/workbench');
const REVIEWS_CSV = readFileSync(resolve(import.meta.dirname, 'fixtures/anthropic/reviews.csv'), 'utf8');
const servers: FakeMessagesApi[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `${name}.png`) });
}

async function run(page: Page, sql: string): Promise<string> {
  await setSql(page, sql);
  return runAndWait(page, () => page.keyboard.press('Control+Enter'));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await app().page.setViewportSize({ width: 1366, height: 820 });
  await freshMockSession(app().page);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('result states that tell the truth', () => {
  it('ends a query with a wrong key in FAILED with the reason on screen, not a green DONE of NULLs', async () => {
    const { page } = app();
    const fake = await startFakeMessagesApi({ respond: () => ({ kind: 'error', status: 401, message: 'invalid x-api-key', delayMs: 20 }) });
    servers.push(fake);
    await page.evaluate(async (url) => {
      await window.semsql!.apiKey.set(['sk', 'ant', 'wrong-key-0000'].join('-'));
      await window.semsql!.settings.update({ provider: 'anthropic', model: 'claude-haiku-4-5', anthropic: { baseURL: url } });
    }, fake.url);
    try {
      expect(await run(page, "SELECT id, text MEANS 'a complaint' AS complaint FROM tweets LIMIT 5")).toBe('error');
      const summary = page.locator('[data-testid=run-summary]');
      expect(await summary.getAttribute('data-result')).toBe('failed');
      expect(await page.textContent('[data-testid=result-badge]')).toBe('Failed');
      // The reason is text on the page, not a tooltip.
      expect(await page.textContent('[data-testid=failure-reason]')).toMatch(/rejected the API key.*Check the Anthropic API key in Settings/);
      expect(await page.locator('[data-testid=result-grid]').count()).toBe(0);
      expect(fake.requests.length).toBeGreaterThan(0);
      await shot(page, '01-wrong-key-failed');
    } finally {
      await page.evaluate(async () => {
        await window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', anthropic: { baseURL: '' } });
        await window.semsql!.apiKey.forget();
      });
    }
  });

  it('ends with failed rows in DONE WITH ERRORS: the count, the first reason, and the failed calls one click away', async () => {
    const { page } = app();
    await setMockModel(page, 2, { ...NO_FAULTS, malformed: 1 });
    await page.evaluate(() => window.semsql!.settings.update({ maxAttempts: 1 }));
    try {
      expect(await run(page, "-- @ cache: off\nSELECT id, text ABOUT 'cooking' AS cooking FROM tweets WHERE id <= 3")).toBe('ok');
      expect(await page.getAttribute('[data-testid=run-summary]', 'data-result')).toBe('done-with-errors');
      expect(await page.textContent('[data-testid=result-badge]')).toBe('Done with errors');
      const errors = page.locator('[data-testid=row-errors]');
      // innerText: the text as shown, whitespace collapsed as the page renders it (the markup's line breaks are not words).
      expect(await errors.innerText()).toMatch(/^3 inputs got no answer, so their rows hold NULL\. First reason: .*did not fit its schema/);
      expect(await errors.isVisible()).toBe(true);
      await shot(page, '02-done-with-errors');

      const tabsBefore = await page.locator('[data-testid=query-tab]').count();
      await page.click('[data-testid=show-failed-calls]');
      // A new tab, with its own runner: its first run is the one to wait for.
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=query-tab]').length === n + 1, tabsBefore);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=runbar]')?.getAttribute('data-runs')) === 1);
      expect(await page.getAttribute('[data-testid=runbar]', 'data-state')).toBe('ok');
      expect(await editorText(page)).toContain('FROM semantic_calls');
      expect(await page.getAttribute('[data-testid=result-grid]', 'data-rows')).toBe('3');
      const headers = await page.locator('[data-testid=result-grid] [role=columnheader]').allTextContents();
      expect(headers.join(' ')).toContain('error');
      await shot(page, '03-failed-calls-tab');
      await page.locator('[data-testid=query-tab][data-tab-id] [data-testid=close-tab]').last().click();
    } finally {
      await setMockModel(page, 2);
      await page.evaluate(() => window.semsql!.settings.update({ maxAttempts: 4 }));
    }
  });
});

describe("errors in the user's words", () => {
  it('underlines an unknown column of a semantic query in the editor and never shows the rewritten SQL', async () => {
    const { page } = app();
    expect(await run(page, "SELECT id, txt FROM tweets WHERE txt MEANS 'x'")).toBe('error');
    await page.waitForSelector('.cm-lintRange-error');
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toBe('txt');
    const message = (await page.textContent('[data-testid=query-error]')) ?? '';
    expect(message).toContain('txt');
    expect(message).not.toContain('__sem_');
    expect(await page.textContent('[data-testid=failure-reason]')).not.toContain('__sem_');
    await shot(page, '04-unknown-column-underlined');
  });
});

describe('completion and help in the editor', () => {
  async function completeAt(page: Page, sql: string): Promise<string[]> {
    await setSql(page, sql.replace('|', ''));
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < sql.indexOf('|'); i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    return page.locator('.cm-tooltip-autocomplete .cm-completionLabel').allTextContents();
  }

  it('offers the column author for SELECT au| FROM tweets, ahead of any keyword', async () => {
    const { page } = app();
    const labels = await completeAt(page, 'SELECT au| FROM tweets');
    expect(labels[0]).toBe('author');
    await shot(page, '05-completion-columns');
    await page.keyboard.press('Escape');
  });

  it('offers the columns of an alias after `t.`, and no operators there', async () => {
    const { page } = app();
    const labels = await completeAt(page, 'SELECT t.| FROM tweets t');
    expect(labels).toEqual(expect.arrayContaining(['id', 'author', 'text', 'created_at', 'likes']));
    expect(labels).not.toContain('ALIGNS');
    await page.keyboard.press('Escape');
  });

  it('explains an operator under the pointer from the operator catalogue', async () => {
    const { page } = app();
    await setSql(page, "SELECT id FROM tweets WHERE text MEANS 'a question'");
    await page.locator('.cm-content .cm-semantic-op', { hasText: 'MEANS' }).hover();
    const help = page.locator('[data-testid=operator-help]');
    await help.waitFor();
    expect(await help.textContent()).toContain('matches');
    await shot(page, '06-operator-hover');
    // The pointer leaves, and the help with it.
    await page.mouse.move(1, 1);
    await help.waitFor({ state: 'detached' });
  });
});

describe('data that stays, and URL checks', () => {
  it('keeps a loaded CSV across a reload, restores it when a query names it, and removes it on request', async () => {
    const { page, server } = app();
    await page.click('[data-testid=tab-data]');
    await dropFiles(page, [{ name: 'reviews.csv', type: 'text/csv', bytes: [...new TextEncoder().encode(REVIEWS_CSV)] }]);
    await page.locator('[data-testid=schema-table][data-table=reviews]').waitFor({ timeout: 20_000 });
    expect(await run(page, 'SELECT count(*) AS n FROM reviews')).toBe('ok');

    await openApp(page, server.url);
    const saved = page.locator('[data-testid=schema-table][data-table=reviews]');
    await saved.waitFor();
    // Listed from the browser's storage, not read back yet: that waits for a query that names it.
    expect(await saved.getAttribute('data-pending')).toBe('true');
    await shot(page, '07-saved-table-after-reload');
    expect(await run(page, 'SELECT count(*) AS n FROM reviews')).toBe('ok');
    expect(await page.textContent('[data-testid=result-grid] [role=gridcell][data-col="0"]')).toBe(String(REVIEWS_CSV.trim().split('\n').length - 1));
    await page.waitForSelector('[data-testid=schema-table][data-table=reviews][data-pending=false]');

    page.once('dialog', (d) => void d.accept());
    await saved.locator('[data-testid=remove-table]').click();
    await saved.waitFor({ state: 'detached' });
    await openApp(page, server.url);
    await page.locator('[data-testid=schema-table][data-table=tweets]').waitFor();
    expect(await page.locator('[data-testid=schema-table][data-table=reviews]').count()).toBe(0);
    // The history keeps the queries, and says their table is gone.
    await page.click('[data-testid=tab-history]');
    const entry = page.locator('[data-testid=history-entry]', { hasText: 'FROM reviews' }).first();
    await entry.locator('[data-testid=history-gone]').waitFor();
    expect(await entry.getAttribute('data-tables-gone')).toBe('true');
    expect(await entry.locator('[data-testid=history-gone]').innerText()).toContain('reviews is no longer loaded');
    await shot(page, '08-history-table-gone');
    await page.click('[data-testid=tab-data]');
  });

  it('refuses a URL that serves a web page and says to use the raw file link', async () => {
    const { page, server } = app();
    await page.fill('[data-testid=url-input]', `${server.url}index.html`);
    await page.press('[data-testid=url-input]', 'Enter');
    const toast = page.locator('[data-testid=toast]', { hasText: 'web page' });
    await toast.waitFor({ timeout: 20_000 });
    expect(await toast.textContent()).toContain('is a web page (HTML), not a data file: use the raw file link');
    expect(await page.locator('[data-testid=schema-table][data-table=index]').count()).toBe(0);
    await shot(page, '09-html-url-refused');
  });
});

describe('profile and chart', () => {
  it('profiles the sample table from the data panel: types, nulls, distinct values, min/max, top values and histograms', async () => {
    const { page } = app();
    await page.locator('[data-testid=schema-table][data-table=tweets] [data-testid=profile-table]').click();
    const likes = page.locator('[data-testid=profile-column][data-column=likes]');
    await likes.waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=profile-column]').count()).toBe(5);
    expect(await likes.textContent()).toMatch(/BIGINT.*rows\s*3,000.*nulls\s*0 \(0%\).*distinct/s);
    expect(await likes.locator('[data-testid=profile-histogram] rect').count()).toBe(12);
    expect(await page.locator('[data-testid=profile-column][data-column=author] .top li').count()).toBe(5);
    await shot(page, '10-profile-table');
  });

  it('draws a result as bars picked from its column types, and profiles the result', async () => {
    const { page } = app();
    expect(await run(page, 'SELECT author, count(*) AS tweets, sum(likes) AS likes FROM tweets GROUP BY author ORDER BY tweets DESC LIMIT 12')).toBe('ok');
    await page.click('[data-testid=view-chart]');
    const chart = page.locator('[data-testid=chart]');
    await chart.locator('svg').first().waitFor({ timeout: 20_000 });
    expect(await chart.getAttribute('data-mark')).toBe('bar');
    expect(await chart.locator('svg[role=img] rect').count()).toBeGreaterThanOrEqual(12);
    await shot(page, '11-chart-bars');
    // Two numbers: the user picks a scatter.
    await page.selectOption('[data-testid=chart-x]', { label: 'tweets' });
    await page.click('[data-testid=chart-mark-scatter]');
    await page.waitForSelector('[data-testid=chart][data-mark=scatter] svg circle');
    await shot(page, '12-chart-scatter');

    await page.click('[data-testid=view-profile]');
    await page.locator('[data-testid=profile-column][data-column=tweets]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=profile-column]').count()).toBe(3);
    expect(await page.textContent('[data-testid=profile-view]')).toContain('the result on show');
  });
});

describe('query tabs', () => {
  it('keeps several tabs with their text across a reload', async () => {
    const { page, server } = app();
    await page.click('[data-testid=new-tab]');
    await setSql(page, 'SELECT 42 AS answer');
    const count = await page.locator('[data-testid=query-tab]').count();
    await openApp(page, server.url);
    expect(await page.locator('[data-testid=query-tab]').count()).toBe(count);
    expect(await editorText(page)).toBe('SELECT 42 AS answer');
    await page.locator('[data-testid=query-tab] button[aria-current]').waitFor();
    await page.locator('[data-testid=query-tab]').first().locator('button').first().click();
    expect(await editorText(page)).not.toBe('SELECT 42 AS answer');
    await shot(page, '13-tabs');
  });
});

describe('the smaller things', () => {
  it('asks before clearing the answer cache, and deletes nothing when told to keep it', async () => {
    const { page } = app();
    expect(await run(page, "SELECT id, text MEANS 'a complaint' AS c FROM tweets LIMIT 3")).toBe('ok');
    const answers = () => page.evaluate(() => window.semsql!.cache.stats().then((s) => s.memoryEntries));
    expect(await answers()).toBeGreaterThan(0);
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=settings][open]');
    await page.click('[data-testid=clear-cache]');
    expect(await page.textContent('[data-testid=settings] [role=alert]')).toMatch(/^Delete [\d,]+ answers\? Queries will ask the model again/);
    await page.click('[data-testid=keep-cache]');
    expect(await answers()).toBeGreaterThan(0);
    await page.click('[data-testid=clear-cache]');
    await page.click('[data-testid=confirm-clear-cache]');
    await page.locator('[data-testid=toast]', { hasText: 'Answer cache cleared' }).waitFor();
    expect(await answers()).toBe(0);
    await page.click('[data-testid=close-settings]');
  });

  it('describes the provider that is selected, and the toolbar states the real parallel setting', async () => {
    const { page } = app();
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=settings][open]');
    expect(await page.textContent('[data-testid=provider-description]')).toContain('The mock model answers on this machine');
    await page.click('[data-testid=provider-anthropic]', { force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid=provider-description]')?.textContent?.includes("Anthropic's models"));
    await page.click('[data-testid=provider-mock]', { force: true });
    await page.fill('[data-testid=setting-parallel]', '11');
    await page.press('[data-testid=setting-parallel]', 'Tab');
    await page.click('[data-testid=close-settings]');
    await page.waitForFunction(() => document.querySelector('[data-testid=toolbar-hint]')?.textContent?.includes('-- @ parallel: 11'));
    await page.evaluate(() => window.semsql!.settings.update({ parallel: 8 }));
  });

  it('exports the user’s operators to a JSON file and imports them back', async () => {
    const { page } = app();
    page.on('dialog', (d) => void d.accept());
    await run(page, "CREATE OR REPLACE SEMANTIC FUNCTION praises(text VARCHAR) RETURNS BOOLEAN AS 'Does {{text}} praise something?'");
    await page.click('[data-testid=tab-operators]');
    const card = page.locator('[data-testid=user-operators] [data-testid=operator][data-name=praises]');
    await card.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-operators]')]);
    const file = (await download.path()) as string;
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      format: 'semsql-operators',
      operators: [{ name: 'praises', returns: 'BOOLEAN', prompt: 'Does {{text}} praise something?' }],
    });
    await card.locator('[data-testid=op-delete]').click();
    await card.waitFor({ state: 'detached' });
    await page.setInputFiles('[data-testid=operators-file]', file);
    await card.waitFor();
    expect(await page.evaluate(() => window.semsql!.operators().then((ops) => ops.find((o) => o.name === 'praises')?.prompt))).toBe(
      'Does {{text}} praise something?',
    );
    await page.click('[data-testid=tab-data]');
  });
});

describe('start-up', () => {
  it('lets a query be written and run while DuckDB boots: Run waits for the engine, visibly', async () => {
    const server = await serveStatic(E2E_DIST);
    // No service worker: DuckDB's wasm must come through the network, where it is held back.
    const browser = await launchBrowser({ serviceWorkers: 'block' });
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1366, height: 820 });
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(/duckdb-(eh|mvp)-[^/]*\.wasm$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(server.url);
      await setSql(page, 'SELECT count(*) AS n FROM tweets');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=runbar][data-state=running] [data-testid=engine-wait]');
      expect(await page.textContent('[data-testid=engine-wait]')).toContain('Waiting for the engine');
      // The data panel works meanwhile.
      expect(await page.isEnabled('[data-testid=url-input]')).toBe(true);
      await page.screenshot({ path: resolve(SHOTS, '14-run-waits-for-engine.png') });
      release();
      await page.waitForFunction(() => document.querySelector('[data-testid=runbar]')?.getAttribute('data-state') === 'ok', null, { timeout: 60_000 });
      expect(await page.textContent('[data-testid=result-grid] [role=gridcell][data-col="0"]')).toBe('3000');
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
