import type { Page } from 'playwright-core';
import { launchBrowser, openApp } from '../../tests/e2e/support/browser';
import { round, type BenchCase } from '../bench-context';

/**
 * Issue 23: the on-device embedding model in the built app. A browser of its own, with the service
 * worker on (the bench's shared page runs without one): the model's first load from the server
 * (cold), its load in a new page from the service worker's cache, then the sample tweets embedded
 * through SQL (every distinct text once: 3,000 rows, 2,020 texts), and the model's peak memory.
 */
export const embeddingsLocal: BenchCase = {
  name: 'embeddings-local',
  description:
    'The on-device embedding model (Universal Sentence Encoder lite, TensorFlow.js WASM backend, its own worker): `load_ms_cold` from the server, `load_ms_cached` in a new page from the service worker, `texts_per_s` over the sample tweets embedded with `embed(text)` in SQL (all of the product path: DuckDB, the scheduler, a model worker, the embeddings worker), and `peak_heap_mb` of the embeddings worker (its WASM heap and JS heap). Goal: texts_per_s ≥ 50 on the 2-core machine.',
  async run({ page: shared, log }) {
    const url = shared.url();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // First visit: the service worker installs (and precaches the app); the second is controlled by it.
      await openApp(page, url);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await openApp(page, url);
      const cold = await timedLoad(page);
      const second = await browser.newPage();
      await openApp(second, url);
      const cached = await timedLoad(second);
      await second.close();
      const run = await page.evaluate(async () => {
        const started = performance.now();
        const r = await window.semsql!.query('-- @ budget: 100000\n-- @ parallel: 8\nSELECT count(embed(text)) FROM tweets');
        const wallMs = performance.now() - started;
        const status = await window.semsql!.embeddingModel.status();
        return {
          wallMs,
          rows: Number(r.rows[0]?.[0]),
          texts: r.stats.embedding_texts,
          requests: r.stats.embedding_requests,
          calls: r.stats.calls,
          peak: status.peakMemoryBytes,
        };
      });
      const textsPerS = run.texts / (run.wallMs / 1000);
      log(`load ${round(cold)} ms cold, ${round(cached)} ms cached; ${run.texts} texts in ${round(run.wallMs / 1000, 2)} s: ${round(textsPerS)} texts/s`);
      return [
        {
          case: 'embeddings-local',
          model: 'use-lite-en-0.2.0',
          load_ms_cold: round(cold),
          load_ms_cached: round(cached),
          rows: run.rows,
          texts: run.texts,
          embedding_requests: run.requests,
          model_calls: run.calls,
          texts_per_s: round(textsPerS, 1),
          peak_heap_mb: round(run.peak / 2 ** 20, 1),
          goal: 'texts_per_s >= 50',
        },
      ];
    } finally {
      await browser.close();
    }
  },
};

/** Loads the model in `page` (a new embeddings worker) and returns the page's wall time for it. */
async function timedLoad(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    const status = await window.semsql!.embeddingModel.load();
    if (status.state !== 'ready') throw new Error(`the model did not load: ${status.error}`);
    return performance.now() - started;
  });
}
