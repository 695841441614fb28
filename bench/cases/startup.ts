import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { openApp } from '../../tests/e2e/support/browser';
import { serveStatic } from '../../tests/e2e/support/static-server';
import { median, round, timings, type BenchCase } from '../bench-context';
import { gzipKb, pageJsFiles } from '../js-size';

const root = resolve(import.meta.dirname, '../..');
/** Where bench/bare-duckdb/vite.config.ts builds the bare page (outside the linted tree). */
const BARE_OUT = resolve(root, 'node_modules/.cache/semsql-bench-bare-duckdb');

/** Performance marks of the page, from navigation start (NaN when a mark is missing). */
async function marks(page: Page, names: readonly string[]): Promise<Record<string, number>> {
  return page.evaluate((list) => Object.fromEntries(list.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN])), names);
}

/** Navigation to the bare page's first answered query (DuckDB-WASM alone, same bundle). */
async function bareBoot(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.bareReady !== undefined, null, { timeout: 60_000 });
  if ((await page.evaluate(() => document.documentElement.dataset.bareReady)) !== 'true')
    throw new Error(`bare DuckDB boot failed: ${await page.textContent('#state')}`);
  return (await marks(page, ['bare:ready']))['bare:ready'] as number;
}

function assetSizes(dist: string) {
  const sizes = { js: 0, js_gzip: 0, css: 0, css_gzip: 0, wasm: 0, wasm_gzip: 0 };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const kind = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : name.endsWith('.wasm') ? 'wasm' : null;
        if (!kind) continue;
        const bytes = readFileSync(path);
        sizes[kind] += bytes.length;
        sizes[`${kind}_gzip`] += gzipSync(bytes).length;
      }
    }
  };
  walk(dist);
  const kb = (n: number) => round(n / 1024);
  return Object.fromEntries(Object.entries(sizes).map(([k, v]) => [`${k}_kb`, kb(v)]));
}

export const startup: BenchCase = {
  name: 'startup',
  description:
    "Navigation to ready on localhost, from the pages' own performance marks: `engine_start_ms` when the page asks for the DuckDB worker, `editor_interactive_ms` when the editor, the example and the data panel work (DuckDB still booting; Run waits), `engine_ready_ms` when the engine answers SQL (Run no longer waits for it), `ready_ms` when the sample table is in too (a query that names it waits until then). " +
    '`bare_duckdb_ms` is DuckDB-WASM booted alone to its first answered query, with the same bundle (blocking bindings and wasm files), in the same browser, alternating with the app in the same run (bench/bare-duckdb). `ready_vs_bare_duckdb` = engine_ready_ms / bare_duckdb_ms (each: navigation to an engine that answers), target ≤ 1.2; `sample_ready_vs_bare_duckdb` = ready_ms / bare_duckdb_ms. ' +
    "Built asset sizes: `page_js` is what index.html loads statically (charts, Parquet export and the model's NLP libraries load later, by dynamic import), `worker_js` the DuckDB and model worker bundles. Target: page JS ≤ 400 KB gzipped.",
  async run(ctx) {
    const build = spawnSync(resolve(root, 'node_modules/.bin/vite'), ['build', '--config', resolve(root, 'bench/bare-duckdb/vite.config.ts')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the bare DuckDB page did not build');
    const bare = await serveStatic(BARE_OUT);
    const appUrl = ctx.page.url();
    const ready: number[] = [];
    const engine: number[] = [];
    const editor: number[] = [];
    const start: number[] = [];
    const plain: number[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        // Alternating, so both see the same machine load; each navigation fetches and compiles anew.
        plain.push(await bareBoot(ctx.page, bare.url));
        await openApp(ctx.page, appUrl);
        const m = await marks(ctx.page, ['semsql:engine-start', 'semsql:editor-ready', 'semsql:engine-ready', 'semsql:ready']);
        start.push(m['semsql:engine-start'] as number);
        editor.push(m['semsql:editor-ready'] as number);
        engine.push(m['semsql:engine-ready'] as number);
        ready.push(m['semsql:ready'] as number);
      }
    } finally {
      await bare.close();
    }
    ctx.log(`startup: bare ${plain.map((n) => round(n)).join(', ')} ms; app ready ${ready.map((n) => round(n)).join(', ')} ms`);
    const dist = resolve(root, 'dist');
    const page = pageJsFiles(dist, 'index.html');
    const js = readdirSync(join(dist, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => join('assets', f));
    const workers = js.filter((f) => /(duckdb|llm)\.worker/.test(f));
    const lazy = js.filter((f) => !page.includes(f) && !workers.includes(f));
    return [
      {
        case: 'startup',
        engine_start_ms: round(median(start)),
        editor_interactive_ms: round(median(editor)),
        engine_ready_ms: round(median(engine)),
        ready_ms: round(median(ready)),
        bare_duckdb_ms: round(median(plain)),
        ready_vs_bare_duckdb: round(median(engine) / median(plain), 2),
        sample_ready_vs_bare_duckdb: round(median(ready) / median(plain), 2),
        target_ratio: 1.2,
        ...timings('ready', ready),
        ...timings('bare_duckdb', plain),
        page_js_gzip_kb: round(gzipKb(dist, page)),
        worker_js_gzip_kb: round(gzipKb(dist, workers)),
        lazy_js_gzip_kb: round(gzipKb(dist, lazy)),
        target_js_gzip_kb: 400,
        ...assetSizes(dist),
      },
    ];
  },
};
