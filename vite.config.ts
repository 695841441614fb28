import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ mode }) => ({
  // Relative base: the built app must work from any sub-path of a static host.
  base: './',
  plugins: [
    svelte(),
    // A service worker that precaches the build, so the app and the widget work offline after one
    // visit (docs/hosting.md). Registered by src/embed/service-worker.ts with a relative URL, so the
    // build works from any sub-path; no manifest: semsql is not an installable app.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,csv}'],
        // The mvp wasm only serves browsers without wasm exceptions: cached when first used, not
        // precached, which halves the first download.
        globIgnores: ['**/duckdb-mvp-*.wasm'],
        // The eh wasm is ~35 MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // A new build takes over at once; precaches of older builds are deleted.
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // Every page is precached by name; there is no single-page fallback to serve for others.
        navigateFallback: null,
        // Hashed asset names already carry their version.
        dontCacheBustURLsMatching: /-[\w-]{8}\.\w+$/,
        runtimeCaching: [
          {
            urlPattern: ({ url }) => /\/duckdb-mvp-[\w-]+\.wasm$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'semsql-mvp-wasm', expiration: { maxEntries: 2 } },
          },
        ],
      },
    }),
  ],
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
        embed: here('embed.html'),
        ...(mode === 'e2e' ? { bridgeProbe: here('tests/e2e/fixtures/bridge-probe.html') } : {}),
      },
    },
  },
  preview: { host: '127.0.0.1' },
}));
