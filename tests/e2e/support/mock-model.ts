import type { Page } from 'playwright-core';

export const NO_FAULTS = { rateLimit: 0, server: 0, timeout: 0, malformed: 0 };

/** The word-hashing embedder: deterministic and instant, for tests that are not about the on-device model. */
export const MOCK_EMBEDDINGS = { provider: 'mock', baseURL: '', model: 'mock-embed-256' } as const;

/**
 * Sets the mock model's latency (and faults, off by default) through the public client API, with the
 * mock embedder answering the embedding operators (tests/e2e/on-device-embeddings.test.ts is the
 * one file that loads the on-device model).
 */
export async function setMockModel(page: Page, latencyMs: number | [number, number], faults = NO_FAULTS): Promise<void> {
  await page.evaluate(
    ({ latencyMs, faults, embeddings }) => window.semsql!.settings.update({ mock: { latencyMs, faults }, embeddings }).then(() => undefined),
    { latencyMs, faults, embeddings: MOCK_EMBEDDINGS },
  );
}

/** A clean slate for a test file: empty answer cache, fast fault-free mock. */
export async function freshMockSession(page: Page, latencyMs = 5): Promise<void> {
  await page.evaluate(() => window.semsql!.cache.clear());
  await setMockModel(page, latencyMs);
}
