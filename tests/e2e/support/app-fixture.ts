import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, openApp, type TestBrowser } from './browser';
import { serveStatic, type StaticServer } from './static-server';

export const E2E_DIST = resolve(import.meta.dirname, '../../../dist-e2e');

export interface AppFixture {
  server: StaticServer;
  browser: TestBrowser;
  page: Page;
}

/**
 * One static server and one Chromium per test file, with the app open on a page. The getter throws
 * until beforeAll has run, so a test cannot use a half-made fixture.
 */
export function useApp(options: { basePath?: string; path?: string; mounts?: () => Record<string, string> } = {}): () => AppFixture {
  let fixture: AppFixture | null = null;
  beforeAll(async () => {
    const server = await serveStatic(E2E_DIST, { basePath: options.basePath ?? '/', ...(options.mounts ? { mounts: options.mounts() } : {}) });
    const browser = await launchBrowser();
    const page = await browser.newPage();
    await openApp(page, server.url + (options.path ?? ''));
    fixture = { server, browser, page };
  });
  afterAll(async () => {
    await fixture?.browser.close();
    await fixture?.server.close();
  });
  return () => {
    if (!fixture) throw new Error('app fixture used before beforeAll');
    return fixture;
  };
}
