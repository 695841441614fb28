#!/usr/bin/env node
// `npm run bench`: loads bench/run.ts through Vite's module runner (Node 20 cannot run TypeScript
// itself) and hands it the command line.
import { runnerImport } from 'vite';

const { module } = await runnerImport('./bench/run.ts');
await module.main(process.argv.slice(2));
