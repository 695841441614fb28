import { defineConfig } from 'vitest/config';

// Unit tests cover the pure modules only and run in Node; everything that needs DuckDB-WASM,
// workers or IndexedDB runs in real Chromium through tests/e2e (see scripts/test.mjs).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
