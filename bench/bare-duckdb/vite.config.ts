import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the page is built: outside the linted tree (ESLint and tsc never see built files). */
export const BARE_DUCKDB_OUT = here('../../node_modules/.cache/semsql-bench-bare-duckdb');

/** The bare DuckDB-WASM page of bench case startup, built with the app's DuckDB alias and settings. */
export default defineConfig({
  root: here('.'),
  base: './',
  resolve: { alias: { 'duckdb-wasm-blocking': here('../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs') } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: BARE_DUCKDB_OUT,
    emptyOutDir: true,
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      onwarn(warning, warn) {
        if (warning.code === 'EVAL' && warning.id?.includes('@duckdb/duckdb-wasm')) return;
        warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
