import { defineConfig } from 'vitest/config';

// Browser tests: Node drives Debian's Chromium through playwright-core against the e2e build
// (dist-e2e/, made by scripts/test.mjs). One file at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
