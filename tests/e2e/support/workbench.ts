import type { Page } from 'playwright-core';

/** Driving the workbench like a user: shared by the app, security and storage tests. */

/** Replaces the editor's text as a paste would (no per-key auto-closing of brackets or quotes). */
export async function setSql(page: Page, sql: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape'); // close any completion popup
}

export async function editorText(page: Page): Promise<string> {
  return page.locator('.cm-content').evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '').join('\n'));
}

export async function runs(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=runbar]', 'data-runs'));
}

/** Triggers a run and waits until it has finished (ok, error or cancelled). */
export async function runAndWait(page: Page, trigger: () => Promise<void>, timeout = 30_000): Promise<string> {
  const before = await runs(page);
  await trigger();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=runbar]')?.getAttribute('data-runs')) > n, before, { timeout });
  return (await page.getAttribute('[data-testid=runbar]', 'data-state')) ?? '';
}

export async function dropFiles(page: Page, files: { name: string; type: string; bytes: number[] }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files);
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: transfer });
}
