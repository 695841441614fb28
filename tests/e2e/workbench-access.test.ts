import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { openApp } from './support/browser';
import { freshMockSession } from './support/mock-model';
import { runAndWait, setSql } from './support/workbench';

/**
 * Issue 18: the workbench for everyone. An axe-core scan of the main views in both themes, a
 * visible focus ring and a keyboard path through the flow, and a phone-sized layout (390×844) where
 * Run, Settings and Export are reachable and the grid scrolls by touch. Screenshots go to
 * test-results/workbench/.
 */
const app = useApp();
const SHOTS = resolve(import.meta.dirname, '../../test-results/workbench');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's violations of serious or critical impact on the page as it is now. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Theme switches animate colours for 120 ms; a scan mid-way would measure a blend, so wait for every animation to end. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => {
    // A spinner runs forever; only what ends is waited for.
    const ending = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    return Promise.all(ending.map((a) => a.finished.catch(() => undefined))).then(() => undefined);
  });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await app().page.setViewportSize({ width: 1366, height: 820 });
  await freshMockSession(app().page);
});

describe('accessibility', () => {
  it('shows no serious or critical axe violations in the main views, in the light and the dark theme', async () => {
    const { page } = app();
    const found: Record<string, Violation[]> = {};
    const scan = async (view: string) => {
      await settle(page);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[view] = violations;
    };
    for (const theme of ['light', 'dark'] as const) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.click('[data-testid=theme-toggle]');
      await scan(`${theme}: first visit`);
      await setSql(page, 'SELECT id, author, text, sentiment(text) AS mood FROM tweets LIMIT 12');
      expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
      await scan(`${theme}: results`);
      await page.screenshot({ path: resolve(SHOTS, `20-results-${theme}.png`) });
      for (const view of ['profile', 'chart', 'timeline'] as const) {
        await page.click(`[data-testid=view-${view}]`);
        await page.waitForSelector(
          view === 'profile' ? '[data-testid=profile-column]' : view === 'chart' ? '[data-testid=chart] svg' : '[data-testid=timeline]',
          { timeout: 20_000 },
        );
        await scan(`${theme}: ${view}`);
        await page.screenshot({ path: resolve(SHOTS, `21-${view}-${theme}.png`) });
      }
      await page.click('[data-testid=view-results]');
      for (const panel of ['history', 'operators', 'data'] as const) {
        await page.click(`[data-testid=tab-${panel}]`);
        await scan(`${theme}: ${panel} panel`);
      }
      await page.click('[data-testid=open-settings]');
      await page.waitForSelector('[data-testid=settings][open]');
      await scan(`${theme}: settings`);
      await page.screenshot({ path: resolve(SHOTS, `22-settings-${theme}.png`) });
      await page.click('[data-testid=close-settings]');
    }
    expect(found).toEqual({});
  });

  it('has a visible focus ring and a keyboard path from the page to a result, with the editor’s Tab and Esc stated on screen', async () => {
    const { page } = app();
    expect(await page.textContent('[data-testid=editor-keys]')).toMatch(/Tab\s*indents;\s*Esc\s*then\s*Tab\s*leaves the editor/);

    // The skip link is the page's first stop (shown when focused); from it, Tab reaches the Run button and the editor.
    expect(await page.evaluate(() => document.querySelector('a[href]')?.textContent)).toBe('Skip to results');
    await page.focus('a.skip');
    expect((await page.locator('a.skip').boundingBox())?.y).toBeGreaterThanOrEqual(0);
    let sawRun = false;
    let ring = '';
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { testid: el.dataset.testid ?? '', editor: el.classList.contains('cm-content'), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      if (focused.testid === 'run') {
        sawRun = true;
        ring = focused.outline;
      }
      if (focused.editor) break;
    }
    expect(sawRun).toBe(true);
    expect(ring).toBe('solid 2px');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);
    await page.screenshot({ path: resolve(SHOTS, '23-keyboard-in-editor.png') });

    // In the editor Tab indents; Esc then Tab moves on.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(false);

    // Run from the keyboard, then reach the results with the skip link.
    await setSql(page, 'SELECT 1 AS one');
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
    await page.focus('a.skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('results');
  });
});

describe('a phone-sized screen', () => {
  it('at 390×844 keeps Run, Settings and Export reachable, the panels in a drawer, and the grid scrolling by touch', async () => {
    const { browser, server } = app();
    // A phone: touch, a mobile viewport, and the page laid out for it (meta viewport).
    const phone = await browser.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    try {
      const page = await phone.newPage();
      await openApp(page, server.url);
      await freshMockSession(page);
      const within = async (selector: string) => {
        const box = await page.locator(selector).boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 390 && box.y >= 0 && box.y + box.height <= 844;
      };
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await within('[data-testid=run]')).toBe(true);
      expect(await within('[data-testid=open-settings]')).toBe(true);
      await page.screenshot({ path: resolve(SHOTS, '30-phone-first-visit.png') });

      await setSql(page, 'SELECT id, author, text, created_at, likes FROM tweets LIMIT 50');
      expect(await runAndWait(page, () => page.tap('[data-testid=run]'))).toBe('ok');
      expect(await within('[data-testid=export-csv]')).toBe(true);
      const [download] = await Promise.all([page.waitForEvent('download'), page.tap('[data-testid=export-csv]')]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      await page.screenshot({ path: resolve(SHOTS, '31-phone-results.png') });

      // The grid is wider than the phone and scrolls both ways under a finger.
      const grid = page.locator('[data-testid=result-grid]');
      expect(await grid.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      const box = (await grid.boundingBox())!;
      const x = Math.round(box.x + box.width / 2);
      const y = Math.round(box.y + box.height / 2);
      const cdp = await phone.newCDPSession(page);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
      for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x - i * 15, y: y - i * 12 }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid=result-grid]');
        return el !== null && el.scrollLeft > 0 && el.scrollTop > 0;
      });

      // A swipe flings on, and a tap during a fling only stops it (as on a phone). On a busy machine the
      // compositor can stall mid-fling long enough to look settled, so tap again, as a user would, until
      // Settings opens (a bounded number of times: a Settings button that never opens still fails).
      await page.waitForFunction(
        () =>
          new Promise<boolean>((done) => {
            const el = document.querySelector('[data-testid=result-grid]') as HTMLElement;
            const at = `${el.scrollLeft},${el.scrollTop}`;
            setTimeout(() => done(`${el.scrollLeft},${el.scrollTop}` === at), 250);
          }),
      );
      for (let tap = 1; ; tap++) {
        await page.tap('[data-testid=open-settings]');
        const opened = await page.waitForSelector('[data-testid=settings][open]', { timeout: 5_000 }).then(
          () => true,
          () => false,
        );
        if (opened) break;
        expect(tap, 'taps on Settings before it opened').toBeLessThan(3);
      }
      expect(await within('[data-testid=close-settings]')).toBe(true);
      await page.screenshot({ path: resolve(SHOTS, '32-phone-settings.png') });
      await page.tap('[data-testid=close-settings]');

      await page.tap('[data-testid=open-panels]');
      await page.waitForSelector('#side-panels.open');
      await page.waitForFunction(() => document.querySelector('#side-panels')?.getBoundingClientRect().left === 0);
      expect(await within('[data-testid=tab-data]')).toBe(true);
      expect(await within('[data-testid=dropzone]')).toBe(true);
      await page.screenshot({ path: resolve(SHOTS, '33-phone-panels.png') });
      await page.tap('[data-testid=open-panels]');
      await page.waitForSelector('#side-panels:not(.open)');
    } finally {
      await phone.close();
    }
  });
});
