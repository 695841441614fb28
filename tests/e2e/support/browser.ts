import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; scripts/test.mjs installs it when missing. No test downloads a browser. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  return found;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Console messages and page errors seen so far, for assertions and for failure reports. */
  logs: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A fresh headless Chromium; Playwright gives each launch a new temporary user data dir. */
export async function launchBrowser(options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS });
  const context = await browser.newContext({ serviceWorkers: options.serviceWorkers ?? 'allow' });
  const logs: string[] = [];
  return {
    browser,
    context,
    logs,
    async newPage() {
      const page = await context.newPage();
      page.on('console', (msg) => logs.push(`[${msg.type()}] ${msg.text()}`));
      page.on('pageerror', (error) => logs.push(`[pageerror] ${error.message}`));
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}

/** Opens the app and waits until `window.semsql` is ready. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true', null, { timeout: 60_000 });
}
