import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { launchBrowser, openApp } from '../tests/e2e/support/browser';
import { serveStatic } from '../tests/e2e/support/static-server';
import { setMock, timedQuery, type BenchCase, type BenchRecord } from './bench-context';
import { cached, dependent, earlyLimit, faults, rewrite, startup, warmStart } from './cases/more';
import { mockQuality } from './cases/mock-quality';
import { budgetRefusal, cancelLatency } from './cases/limits';
import { rateLimited } from './cases/rate-limited';
import { batchApi } from './cases/batch-api';
import { cascade } from './cases/cascade';
import { routing } from './cases/routing';
import { approximate } from './cases/approximate';
import { embeddingsLocal } from './cases/embeddings-local';
import { semanticJoin } from './cases/semantic-join';
import { parallelIssue4, parallelScale, parallelSeed } from './cases/parallel';
import { load } from './cases/load';

const CASES: BenchCase[] = [
  rewrite,
  startup,
  parallelSeed,
  parallelIssue4,
  parallelScale,
  dependent,
  earlyLimit,
  cached,
  warmStart,
  faults,
  budgetRefusal,
  cancelLatency,
  rateLimited,
  batchApi,
  cascade,
  semanticJoin,
  mockQuality,
  embeddingsLocal,
  routing,
  approximate,
  load,
];

const root = resolve(import.meta.dirname, '..');

/**
 * `npm run bench [-- --case NAME ...] [--runs N] [--seeds N] [--no-build]`: builds the app, serves it, drives it
 * in Debian's Chromium through the client API, prints one `BENCH {json}` line per measurement, and
 * writes bench/results/latest.json and docs/benchmarks.md.
 */
export async function main(argv: string[]): Promise<void> {
  const wanted = argv.flatMap((a, i) => (a === '--case' ? [argv[i + 1] ?? ''] : []));
  const runsArg = argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
  const seedsArg = argv.indexOf('--seeds');
  const seeds = seedsArg >= 0 ? Number(argv[seedsArg + 1]) : undefined;
  const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w));
  if (unknown.length) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  const cases = wanted.length ? CASES.filter((c) => wanted.includes(c.name)) : CASES;

  if (!argv.includes('--no-build')) {
    const build = spawnSync(resolve(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const server = await serveStatic(resolve(root, 'dist'));
  // No service worker: its background precache (~40 MB) would compete with what is measured.
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  const records: BenchRecord[] = [];
  try {
    const page = await browser.newPage();
    await openApp(page, server.url);
    // The first query of a session pays for JIT and allocator warm-up (~120 ms measured); cases
    // measure the steady state, so one untimed query runs first.
    await setMock(page, 1);
    await timedQuery(
      page,
      "-- @ cache: off\n-- @ parallel: 64\nSELECT text ALIGNS 'warm-up' FROM (SELECT text || id || range AS text FROM tweets, range(20) LIMIT 1000)",
    );
    for (const c of cases) {
      const started = Date.now();
      const out = await c.run({ page, runs, ...(seeds !== undefined ? { seeds } : {}), log: (m) => console.error(`  ${m}`) });
      for (const record of out) {
        console.log(`BENCH ${JSON.stringify(record)}`);
        records.push(record);
      }
      console.error(`  ${c.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
  // A run of some cases replaces those cases' records and keeps the others'.
  const latest = resolve(root, 'bench/results/latest.json');
  const kept =
    wanted.length && existsSync(latest)
      ? (JSON.parse(readFileSync(latest, 'utf8')) as { records: BenchRecord[] }).records.filter((r) => !wanted.includes(String(r.case)))
      : [];
  const all = [...kept, ...records].sort((a, b) => CASES.findIndex((c) => c.name === a.case) - CASES.findIndex((c) => c.name === b.case));
  mkdirSync(resolve(root, 'bench/results'), { recursive: true });
  writeFileSync(latest, `${JSON.stringify({ machine, records: all }, null, 2)}\n`);
  writeFileSync(resolve(root, 'docs/benchmarks.md'), markdown(machine, CASES, all));
}

function markdown(machine: Record<string, string | number>, cases: BenchCase[], records: BenchRecord[]): string {
  const lines = [
    '# Benchmarks',
    '',
    "Made by `npm run bench` (the built app in Debian's Chromium, driven through the client API, mock model).",
    `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memory_gb} GB, Node ${machine.node}; ${machine.date}.`,
    '',
  ];
  for (const c of cases) {
    const rows = records.filter((r) => r.case === c.name);
    if (!rows.length) continue;
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'case');
    lines.push(`## ${c.name}`, '', c.description, '', `| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`);
    for (const r of rows) lines.push(`| ${keys.map((k) => String(r[k] ?? '')).join(' | ')} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
