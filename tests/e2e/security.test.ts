import { describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { runAndWait, setSql } from './support/workbench';

/** Issue 9, security: hostile data renders as text, and the page's CSP holds. */
const app = useApp();
const payload = (n: number) => `<img src=x onerror="window.__xss=${n}">`;

describe('hostile names and messages', () => {
  it('renders column names, table names and error messages holding markup as text', async () => {
    const { page } = app();
    await page.evaluate(
      async (headers) => {
        await window.semsql!.load(`"${headers[0]!.replace(/"/g, '""')}",b\n1,2\n`, { table: 'hostile_columns' });
        await window.semsql!.query(`CREATE TABLE "${headers[1]!.replace(/"/g, '""')}" AS SELECT 1 AS a`);
      },
      [payload(1), payload(2)],
    );
    // Column name in the grid header.
    expect(await runAndWait(page, () => setSql(page, 'SELECT * FROM hostile_columns').then(() => page.keyboard.press('Control+Enter')))).toBe('ok');
    await expect.poll(() => page.getByText(payload(1)).count()).toBeGreaterThan(0);
    // Error message that quotes the name back.
    const state = await runAndWait(page, () =>
      setSql(page, `SELECT * FROM "${payload(3).replace(/"/g, '""')}missing"`).then(() => page.keyboard.press('Control+Enter')),
    );
    expect(state).toBe('error');
    await expect.poll(() => page.getByText('missing', { exact: false }).count()).toBeGreaterThan(0);
    // Table name in the schema browser, after a refresh of the catalog.
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});

describe('Content Security Policy', () => {
  it('lets the app run with no violations, and blocks connections to other origins', async () => {
    const { page } = app();
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const out = await page.evaluate(() => window.semsql!.query("SELECT text MEANS 'complaint' FROM tweets LIMIT 3").then((r) => r.rows.length));
    expect(out).toBe(3);
    const blocked = await page.evaluate(() =>
      fetch('http://[::1]:9/exfiltrate').then(
        () => 'sent',
        () => 'blocked',
      ),
    );
    expect(blocked).toBe('blocked');
    const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
    expect(violations).toEqual([expect.stringMatching(/^connect-src http:\/\/\[::1\]:9/)]);
    const inline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline;
    });
    expect(inline).toBeUndefined();
  });
});
