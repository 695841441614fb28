import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ mode }) => ({
  // Relative base: the built app must work from any sub-path of a static host.
  base: './',
  plugins: [svelte()],
  resolve: {
    alias: {
      // The blocking bindings (the only ones with createScalarFunction) are not in the package's
      // exports map, so they are reached by path. See DESIGN.md, "The UDF bridge".
      'duckdb-wasm-blocking': here('node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs'),
    },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // wasm files must stay separate files: they are fetched by URL, never inlined.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 2000,
    // The e2e build adds a probe page for the bridge tests and goes to its own folder, so a
    // deployable dist/ never carries test pages.
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    rollupOptions: {
      // DuckDB-WASM's Emscripten glue contains direct eval; it is theirs and unused by us, so the
      // warning is noise that would bury ours.
      onwarn(warning, warn) {
        if (warning.code === 'EVAL' && warning.id?.includes('@duckdb/duckdb-wasm')) return;
        warn(warning);
      },
      input: {
        main: here('index.html'),
        ...(mode === 'e2e' ? { bridgeProbe: here('tests/e2e/fixtures/bridge-probe.html') } : {}),
      },
    },
  },
  preview: { host: '127.0.0.1' },
}));
