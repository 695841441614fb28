import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { openApp } from './support/browser';
import { dropFiles, editorText, runAndWait, runs, setSql } from './support/workbench';

/**
 * The workbench (issue 6), driven like a user: clicks, keys and drops on the built app in Chromium.
 * Screenshots go to test-results/screenshots/ for a human to look at.
 */
const app = useApp();
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const XSS = '<img src=x onerror="window.__xss=1">';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `${name}.png`) });
}

function bytesOf(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await app().page.setViewportSize({ width: 1366, height: 820 });
});

describe('a new user', () => {
  it('sees what to do first, clicks the example, and gets rows and a timeline of overlapping calls', async () => {
    const { page } = app();
    await page.waitForSelector('[data-testid=empty-state]');
    await page.waitForSelector('[data-testid=schema-table][data-table=tweets]');
    await shot(page, '01-first-visit-light');

    const before = await runs(page);
    await page.click('[data-testid=run-example]');
    // Mid-run: the run bar counts calls and the chart grows; no rows are shown yet.
    await page.waitForSelector('[data-testid=runbar][data-state=running]');
    await page.waitForSelector('[data-testid=timeline] rect.call', { timeout: 15_000 });
    expect(await page.locator('[data-testid=result-grid]').count()).toBe(0);
    await shot(page, '02-example-running');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=runbar]')?.getAttribute('data-runs')) > n, before, { timeout: 30_000 });

    expect(await page.getAttribute('[data-testid=runbar]', 'data-state')).toBe('ok');
    expect(await page.getAttribute('[data-testid=result-grid]', 'data-rows')).toBe('20');
    expect(await page.locator('[data-testid=result-grid] [role=columnheader]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('mood'), expect.stringContaining('sql_for_ai')]),
    );
    await shot(page, '03-example-results-light');

    await page.click('[data-testid=view-timeline]');
    const timeline = page.locator('[data-testid=timeline]');
    const bars = await timeline.locator('rect.call[data-status=ok]').count();
    expect(bars).toBe(40); // 20 rows × 2 operators, every input distinct
    expect(Number(await timeline.getAttribute('data-peak'))).toBeGreaterThan(1);
    expect(Number(await timeline.getAttribute('data-lanes'))).toBeGreaterThan(1);
    await shot(page, '04-example-timeline-light');

    await page.click('[data-testid=theme-toggle]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shot(page, '05-example-timeline-dark');
    await page.click('[data-testid=view-results]');
    await shot(page, '06-example-results-dark');
  });

  it('sees the rewriter’s error underlined where it points', async () => {
    const { page } = app();
    await setSql(page, 'SELECT 1;\n-- @ paralel: 3\nSELECT 2');
    const state = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(state).toBe('error');
    await page.waitForSelector('.cm-lintRange-error');
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toBe('paralel');
    // The message names the editor's line, not the line within the statement that ran.
    expect(await page.locator('[data-testid=query-error]').textContent()).toContain("line 2, column 6: unknown annotation 'paralel'");
    await shot(page, '07-error-underline-dark');
  });
});

describe('explain', () => {
  it('shows the rewritten SQL, call sites and first-pass calls without calling the model', async () => {
    const { page } = app();
    await setSql(page, "SELECT id FROM tweets WHERE text MEANS 'a question about SQL' LIMIT 5");
    await page.click('[data-testid=explain]');
    const plan = page.locator('[data-testid=plan]');
    await plan.waitFor();
    expect(await plan.textContent()).toContain('matches');
    expect(await plan.locator('pre').textContent()).toContain('__sem_');
  });
});

describe('loading data', () => {
  it('turns a dropped CSV and a dropped Parquet file into tables in the schema browser', async () => {
    const { page } = app();
    const csv = 'id,name,city\n1,Ada,London\n2,Grace,Arlington\n3,Linus,Helsinki\n';
    const parquet = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'sensor', data: ['a', 'b', 'c', 'd'], type: 'STRING' },
          { name: 'reading', data: [1.5, 2.25, 3, 4.75], type: 'DOUBLE' },
          { name: 'count', data: [1, 2, 3, 4], type: 'INT32' },
        ],
      }),
    );
    await page.click('[data-testid=tab-data]');
    await dropFiles(page, [
      { name: 'People List.csv', type: 'text/csv', bytes: bytesOf(csv) },
      { name: 'metrics.parquet', type: 'application/octet-stream', bytes: [...parquet] },
    ]);
    const people = page.locator('[data-testid=schema-table][data-table=people_list]');
    const metrics = page.locator('[data-testid=schema-table][data-table=metrics]');
    await people.waitFor({ timeout: 20_000 });
    await metrics.waitFor({ timeout: 20_000 });
    await metrics.locator('button[aria-expanded]').click();
    const columns = await metrics.locator('.columns li').allTextContents();
    expect(columns.join(' | ')).toMatch(/sensor.*VARCHAR.*reading.*DOUBLE.*count.*INTEGER/);
    await shot(page, '08-dropped-files-dark');

    // Clicking a table inserts a starter query; running it shows the Parquet rows.
    await metrics.locator('button.name').click();
    const text = await editorText(page);
    expect(text).toContain('FROM metrics');
    const state = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(state).toBe('ok');
    expect(await page.getAttribute('[data-testid=result-grid]', 'data-rows')).toBe('4');
  });
});

describe('cancelling', () => {
  it('stops a running query from the UI and shows no partial rows as if they were final', async () => {
    const { page } = app();
    await page.evaluate(() => window.semsql!.settings.update({ mock: { latencyMs: 700 } }));
    await setSql(page, "-- @ parallel: 4\n-- @ cache: off\nSELECT id, text ALIGNS 'please cancel me' AS s FROM tweets LIMIT 200");
    const before = await runs(page);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=run-stats] .stat b')?.textContent) >= 4, null, { timeout: 15_000 });
    await shot(page, '09-long-query-running');
    await page.click('[data-testid=cancel]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=runbar]')?.getAttribute('data-runs')) > n, before, { timeout: 5_000 });
    expect(await page.getAttribute('[data-testid=runbar]', 'data-state')).toBe('cancelled');
    await page.waitForSelector('[data-testid=cancelled]');
    expect(await page.locator('[data-testid=result-grid]').count()).toBe(0);
    await shot(page, '10-cancelled');
    // The calls that finished are still in the timeline, some as cancelled.
    await page.click('[data-testid=view-timeline]');
    expect(await page.locator('[data-testid=timeline] rect.call').count()).toBeGreaterThan(0);
    await page.evaluate(() => window.semsql!.settings.update({ mock: { latencyMs: [5, 20] } }));
  });
});

describe('untrusted text', () => {
  it('renders a cell and a model answer holding an <img onerror> payload as text, running nothing', async () => {
    const { page } = app();
    const csv = `id,payload\n1,"${XSS.replace(/"/g, '""')}"\n`;
    await dropFiles(page, [{ name: 'xss.csv', type: 'text/csv', bytes: bytesOf(csv) }]);
    await page.locator('[data-testid=schema-table][data-table=xss]').waitFor({ timeout: 20_000 });
    await setSql(page, "SELECT id, payload, condense(payload) AS model_says, payload ASK 'what is this?' AS answer FROM xss");
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
    const cells = await page.locator('[data-testid=result-grid] [role=gridcell]').allTextContents();
    expect(cells[1]).toBe(XSS); // the data
    expect(cells[2]).toBe(XSS); // the model's answer (the mock echoes it)
    expect(await page.locator('[data-testid=result-grid] img').count()).toBe(0);

    // The cell viewer shows the whole value, also as text.
    await page.locator('[data-testid=result-grid] [role=gridcell][data-col="2"]').dblclick();
    await page.waitForSelector('[data-testid=cell-viewer][open]');
    expect(await page.locator('[data-testid=cell-viewer] pre').textContent()).toBe(XSS);
    await shot(page, '11-xss-as-text');
    await page.keyboard.press('Escape');
    expect(await page.locator('img').count()).toBe(0);

    // Exports of the full result, in the page and offline, keep the payload as plain data.
    const saved: Record<string, Buffer> = {};
    for (const format of ['csv', 'json', 'parquet']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=export-${format}]`)]);
      expect(download.suggestedFilename()).toBe(`xss.${format}`);
      saved[format] = readFileSync((await download.path()) as string);
    }
    expect(saved.csv?.toString('utf8')).toContain(`"${XSS.replace(/"/g, '""')}"`);
    expect(JSON.parse(saved.json?.toString('utf8') ?? '[]')).toEqual([{ id: 1, payload: XSS, model_says: XSS, answer: cells[3] }]);
    const parquetRows = await parquetReadObjects({ file: new Uint8Array(saved.parquet ?? []).buffer });
    expect(parquetRows).toEqual([{ id: 1n, payload: XSS, model_says: XSS, answer: cells[3] }]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});

describe('sharing, history and settings', () => {
  it('round-trips the SQL through a share link, and a reload keeps history and settings', async () => {
    const { page, browser, server } = app();
    // Settings through the form: persisted by the client in IndexedDB.
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=settings][open]');
    await page.fill('[data-testid=setting-parallel]', '13');
    await page.press('[data-testid=setting-parallel]', 'Tab');
    // A fake key, built from parts so no literal in the tree looks like a real one.
    await page.fill('[data-testid=api-key]', ['sk', 'ant', 'test-SECRET-1234'].join('-'));
    await page.click('text=Save key');
    await page.waitForSelector('[data-testid=saved-key]');
    await shot(page, '12-settings-dark');
    // Sections drawn by the dialog's child components share its layout: fields in a grid, labels above inputs.
    const layout = await page.$eval('[data-testid=batch-endpoint]', (input) => ({
      grid: getComputedStyle(input.closest('.grid')!).display,
      label: getComputedStyle(input.closest('label')!).display,
      width: input.getBoundingClientRect().width / input.closest('label')!.getBoundingClientRect().width,
    }));
    expect(layout).toEqual({ grid: 'grid', label: 'grid', width: 1 });
    await page.waitForFunction(() => window.semsql!.settings.get().then((s) => s.parallel === 13));
    await page.click('[data-testid=close-settings]');

    const sql =
      "-- shared query\nSELECT author, count(*) AS n\nFROM tweets\nWHERE text MEANS 'a complaint about a product'\nGROUP BY author ORDER BY n DESC LIMIT 5";
    await setSql(page, sql);
    await page.click('[data-testid=share]');
    const link = await page.inputValue('[data-testid=share-link]');
    expect(link).toMatch(/#sql=[A-Za-z0-9_-]+$/);
    expect(link).not.toContain('SECRET');
    expect(link).not.toContain('1234');

    const other = await browser.newPage();
    await other.setViewportSize({ width: 1024, height: 720 });
    await openApp(other, link);
    expect(await editorText(other)).toBe(sql);
    expect(new URL(other.url()).hash).toBe(''); // the hash is consumed, so later edits survive a reload
    await shot(other, '13-shared-link-1024px');
    await other.close();

    // A past query's timeline is one click away in History.
    await page.click('[data-testid=tab-history]');
    const example = page.locator('[data-testid=history-entry]', { hasText: 'sentiment(text) AS mood' });
    await example.locator('[data-testid=history-timeline]').click();
    await page.waitForSelector('[data-testid=view-timeline][aria-selected=true]');
    expect(await page.locator('[data-testid=timeline] rect.call[data-status=ok]').count()).toBe(40);

    const historyBefore = await page.locator('[data-testid=history-entry]').count();
    await openApp(page, server.url);
    await page.click('[data-testid=tab-history]');
    await page.waitForSelector('[data-testid=history-entry]');
    const entries = await page.locator('[data-testid=history-entry]').count();
    expect(entries).toBeGreaterThanOrEqual(Math.max(historyBefore, 5));
    expect(await page.locator('[data-testid=history-entry] .sql').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('sentiment(text) AS mood')]),
    );
    await page.fill('[data-testid=history-search]', 'paralel');
    expect(await page.locator('[data-testid=history-entry]').count()).toBe(1);
    await shot(page, '14-history-after-reload');
    await page.fill('[data-testid=history-search]', '');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await page.click('[data-testid=open-settings]');
    expect(await page.inputValue('[data-testid=setting-parallel]')).toBe('13');
    expect(await page.textContent('[data-testid=saved-key]')).toContain('1234');
    await page.click('[data-testid=close-settings]');
  });
});

describe('a large result', () => {
  it('scrolls 100,000 rows to the last one while rendering only a window of them', async () => {
    const { page } = app();
    await setSql(page, "SELECT range AS n, 'row ' || range::VARCHAR AS label FROM range(100000)");
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
    const grid = page.locator('[data-testid=result-grid]');
    expect(await grid.getAttribute('data-rows')).toBe('100000');
    expect(await grid.locator('[role=row]').count()).toBeLessThan(120);

    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector('[role=gridcell]:text-is("row 99999")', { timeout: 5_000 });
    expect(await grid.locator('[role=row]').count()).toBeLessThan(120);
    const last = grid.locator('[role=gridcell]:text-is("row 99999")');
    const box = await last.boundingBox();
    const view = await grid.boundingBox();
    expect(box && view && box.y + box.height <= view.y + view.height + 1).toBe(true);
    await shot(page, '15-100k-rows-end');

    // Sorting descending by n puts the last row first, without copying the result.
    await grid.evaluate((el) => (el.scrollTop = 0));
    await grid.locator('[role=columnheader]', { hasText: 'n' }).first().click();
    await grid.locator('[role=columnheader]', { hasText: 'n' }).first().click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=result-grid] [role=gridcell][data-row="0"][data-col="1"]')?.textContent === 'row 99999',
    );
  });
});

describe('operators', () => {
  it('creates, edits and deletes a user-defined operator through the form', async () => {
    const { page } = app();
    page.on('dialog', (d) => void d.accept());
    await page.click('[data-testid=tab-operators]');
    await page.click('[data-testid=new-operator]');
    await page.fill('[data-testid=op-name]', 'refutes');
    await page.fill('[data-testid=op-args]', 'claim, evidence');
    await page.selectOption('[data-testid=op-returns]', 'BOOLEAN');
    await page.fill('[data-testid=op-infix]', 'REFUTES');
    await page.fill('[data-testid=op-prompt]', 'Does {{evidence}} refute {{claim}}?');
    await page.click('[data-testid=op-save]');
    const card = page.locator('[data-testid=user-operators] [data-testid=operator][data-name=refutes]');
    await card.waitFor();
    expect(await card.textContent()).toContain('REFUTES');
    await shot(page, '16-operators');

    await card.locator('[data-testid=op-edit]').click();
    await page.fill('[data-testid=op-prompt]', 'Is {{claim}} refuted by {{evidence}}?');
    await page.click('[data-testid=op-save]');
    await page.waitForFunction(() => window.semsql!.operators().then((ops) => ops.find((o) => o.name === 'refutes')?.prompt.startsWith('Is ')));

    await card.locator('[data-testid=op-delete]').click();
    await card.waitFor({ state: 'detached' });
  });
});
