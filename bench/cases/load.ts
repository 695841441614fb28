import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { openApp } from '../../tests/e2e/support/browser';
import { serveStatic } from '../../tests/e2e/support/static-server';
import { median, round, timings, type BenchCase, type BenchRecord } from '../bench-context';
import { LOAD_DATA_DIR, LOAD_FORMATS, loadDataFiles, type LoadFormat } from './load-data';
import { watchWorkerHeap } from './worker-heap';

const SIZES = (process.env.SEMSQL_LOAD_ROWS ?? '300000,3000000').split(',').map(Number);
const root = resolve(import.meta.dirname, '../..');

/**
 * Issue 26: the same rows as CSV (DuckDB's own reader), Parquet and NDJSON (read in JavaScript,
 * src/db/parquet-load.ts and src/db/json-load.ts), loaded by URL from a local server as a user
 * would, into the built app. The worker's JS heap is sampled during each Parquet load.
 */
export const load: BenchCase = {
  name: 'load',
  description:
    "Loading the same rows by URL from a local server (bench/cases/load-data.ts: the sample tweets cycled, ~300 bytes a row as CSV) with `semsql.load(url)`: CSV through DuckDB's own reader, Parquet (DuckDB's defaults: Snappy, 122,880-row groups) and NDJSON through the app's readers. " +
    "`parquet_vs_csv` and `ndjson_vs_csv` are median load times over the CSV one (goals ≤ 1 and ≤ 2); `peak_heap_vs_file` is the DuckDB worker's peak JS heap (V8 used size, sampled every 20 ms over the DevTools protocol) above where it started, during the Parquet load, over the Parquet file's size (goal ≤ 2). " +
    '`peak_buffers_mb` is the same for array buffers (the wasm heap, where the table is built, among them).',
  async run(ctx) {
    const records: BenchRecord[] = [];
    const server = await serveStatic(resolve(root, 'dist'), { mounts: { '/bench-data/': LOAD_DATA_DIR } });
    // A context of its own, so the heap watch finds this page's DuckDB worker and no other.
    const context = await (ctx.page.context().browser() as NonNullable<ReturnType<ReturnType<typeof ctx.page.context>['browser']>>).newContext({
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    try {
      await openApp(page, server.url);
      for (const rows of SIZES) {
        const started = Date.now();
        const files = await loadDataFiles(rows);
        ctx.log(
          `load: ${rows} rows ready in ${Date.now() - started} ms (csv ${mb(files.csv.bytes)} MB, parquet ${mb(files.parquet.bytes)} MB, ndjson ${mb(files.ndjson.bytes)} MB)`,
        );
        const times: Record<LoadFormat, number[]> = { csv: [], parquet: [], ndjson: [] };
        let heap = { used: 0, buffers: 0 };
        for (let run = 0; run < ctx.runs; run++) {
          for (const format of LOAD_FORMATS) {
            const watch = format === 'parquet' ? await watchWorkerHeap(page, 'duckdb.worker') : null;
            const out = await page.evaluate(
              async ([url, table]) => {
                const t0 = performance.now();
                const loaded = await window.semsql!.load(url, { table, keep: false });
                const ms = performance.now() - t0;
                await window.semsql!.query(`DROP TABLE ${table}`);
                return { ms, rows: loaded.rows };
              },
              [`${server.origin}/bench-data/${rows}/rows.${format}`, `bench_${format}`] as const,
            );
            if (out.rows !== rows) throw new Error(`${format}: loaded ${out.rows} rows of ${rows}`);
            times[format].push(out.ms);
            if (watch) {
              const seen = await watch.stop();
              heap = { used: Math.max(heap.used, seen.peakUsed - seen.startUsed), buffers: Math.max(heap.buffers, seen.peakBacking - seen.startBacking) };
              ctx.log(
                `load: parquet ${rows}: ${Math.round(out.ms)} ms, ${seen.samples} heap samples, used ${mb(seen.startUsed)} → peak ${mb(seen.peakUsed)} MB, buffers ${mb(seen.startBacking)} → peak ${mb(seen.peakBacking)} MB`,
              );
            } else {
              ctx.log(`load: ${format} ${rows}: ${Math.round(out.ms)} ms`);
            }
          }
        }
        const csv = median(times.csv);
        records.push({
          case: 'load',
          rows,
          csv_mb: mb(files.csv.bytes),
          parquet_mb: mb(files.parquet.bytes),
          ndjson_mb: mb(files.ndjson.bytes),
          ...timings('csv', times.csv),
          ...timings('parquet', times.parquet),
          ...timings('ndjson', times.ndjson),
          parquet_vs_csv: round(median(times.parquet) / csv, 2),
          ndjson_vs_csv: round(median(times.ndjson) / csv, 2),
          peak_heap_mb: mb(heap.used),
          peak_heap_vs_file: round(heap.used / files.parquet.bytes, 2),
          peak_buffers_mb: mb(heap.buffers),
          // The machine is shared: its 1-minute load average when the size's runs ended, beside the ratios it skews.
          load_avg_1m: round(loadavg()[0] ?? 0, 1),
          goals: 'parquet_vs_csv <= 1, ndjson_vs_csv <= 2, peak_heap_vs_file <= 2',
        });
      }
    } finally {
      await context.close();
      await server.close();
    }
    return records;
  },
};

const mb = (bytes: number) => round(bytes / 1e6, 1);
