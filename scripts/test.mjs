#!/usr/bin/env node
// `npm test`: every test. Unit tests (Node), then the e2e build, then browser tests in Debian's
// Chromium. Installs what a fresh machine lacks (node_modules; Chromium when run as root) and
// ends with one summary line: "tests: N passed, N failed".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const e2eOnly = process.argv.includes('--e2e-only');
const unitOnly = process.argv.includes('--unit-only');
const bin = (name) => join('node_modules', '.bin', name);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function ensureDependencies() {
  if (existsSync(bin('vitest'))) return;
  console.log('node_modules missing: running npm install');
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}

function findChromium() {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
}

function ensureChromium() {
  if (findChromium()) return;
  if (process.getuid?.() === 0) {
    console.log("Chromium missing: installing Debian's chromium (apt-get install -y chromium)");
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (findChromium()) return;
  }
  console.error('Browser tests need Chromium. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).');
  process.exit(1);
}

/** Runs one vitest config and returns its counts, read from vitest's JSON report. */
function vitest(label, args) {
  const report = join(tmpdir(), `semsql-${label}-${process.pid}.json`);
  const status = run(bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests ?? 0;
    failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTests ?? 0);
    rmSync(report);
  }
  if (status !== 0 && failed === 0) failed = 1; // a crash or a failing suite with no test counted
  return { passed, failed };
}

ensureDependencies();
const totals = { passed: 0, failed: 0 };
const add = (r) => {
  totals.passed += r.passed;
  totals.failed += r.failed;
};

if (!e2eOnly) add(vitest('unit', []));
if (!unitOnly) {
  ensureChromium();
  if (run(bin('vite'), ['build', '--mode', 'e2e', '--logLevel', 'warn']) !== 0) {
    totals.failed += 1;
    console.error('the e2e build failed');
  } else {
    add(vitest('e2e', ['-c', 'vitest.e2e.config.ts']));
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
