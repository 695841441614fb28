import type { Page } from 'playwright-core';

export const NO_FAULTS = { rateLimit: 0, server: 0, timeout: 0, malformed: 0 };

/** Sets the mock model's latency (and faults, off by default) through the public client API. */
export async function setMockModel(page: Page, latencyMs: number | [number, number], faults = NO_FAULTS): Promise<void> {
  await page.evaluate(({ latencyMs, faults }) => window.semsql!.settings.update({ mock: { latencyMs, faults } }).then(() => undefined), { latencyMs, faults });
}

/** A clean slate for a test file: empty answer cache, fast fault-free mock. */
export async function freshMockSession(page: Page, latencyMs = 5): Promise<void> {
  await page.evaluate(() => window.semsql!.cache.clear());
  await setMockModel(page, latencyMs);
}
