#!/usr/bin/env node
// `npm run docs`: docs/semantic-sql.md from the operator catalogue, with every example's answer from the
// app (needs the e2e build: `npx vite build --mode e2e`). Loaded through Vite's module runner, as
// bench.mjs does, because Node 20 cannot run TypeScript itself.
import { runnerImport } from 'vite';

const { module } = await runnerImport('./scripts/docs/generate.ts');
await module.main();
