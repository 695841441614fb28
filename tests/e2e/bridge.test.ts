import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeProbeApi } from './fixtures/bridge-probe-api';
import { launchBrowser, type TestBrowser } from './support/browser';
import { E2E_DIST } from './support/app-fixture';
import { serveStatic, type StaticServer } from './support/static-server';

let server: StaticServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await serveStatic(E2E_DIST);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.url}tests/e2e/fixtures/bridge-probe.html`);
  await page.waitForFunction(() => document.documentElement.dataset.probeReady === 'true');
});

afterAll(async () => {
  await browser.close();
  await server.close();
});

type Probe = { probe: BridgeProbeApi };

const probeQuery = (sql: string) => page.evaluate((q) => (window as unknown as Probe).probe.query(q), sql);

const ROWS = 5_000;
// Row i: s = 'row-' || i (NULL every 11th row), i = the row number (NULL every 13th row).
const INPUT = `SELECT CASE WHEN range % 11 = 5 THEN NULL ELSE 'row-' || range END AS s,
                      CASE WHEN range % 13 = 6 THEN NULL ELSE range::INTEGER END AS i
               FROM range(${ROWS})`;

function expected(i: number, f: (s: string, i: number) => unknown): unknown {
  const s = i % 11 === 5 ? null : `row-${i}`;
  const n = i % 13 === 6 ? null : i;
  if (s === null || n === null || n % 7 === 0) return null;
  return f(s, n);
}

describe('the vectorized UDF bridge', () => {
  it('returns VARCHAR (multi-byte UTF-8), BOOLEAN, BIGINT, DOUBLE, INTEGER and NULL over 5,000 rows', async () => {
    const result = await probeQuery(`
      SELECT probe_varchar(s, i) AS v, probe_bool(s, i) AS b, probe_bigint(s, i)::VARCHAR AS big,
             probe_double(s, i) AS d, probe_int(s, i) AS n
      FROM (${INPUT})`);
    expect(result.rowCount).toBe(ROWS);
    expect(result.columns.map((c) => c.type)).toEqual(['VARCHAR', 'BOOLEAN', 'VARCHAR', 'DOUBLE', 'INTEGER']);
    const [v, b, big, d, n] = result.values as unknown[][];
    let nulls = 0;
    for (let i = 0; i < ROWS; i++) {
      expect(v?.[i]).toBe(expected(i, (s, k) => `${s}·${k}·ü€😀`));
      expect(b?.[i]).toBe(expected(i, (_s, k) => k % 2 === 0));
      expect(big?.[i]).toBe(expected(i, (_s, k) => (BigInt(k) * 3_000_000_000n).toString()));
      expect(d?.[i]).toBe(expected(i, (s, k) => k / 4 + s.length));
      expect(n?.[i]).toBe(expected(i, (_s, k) => k * 2));
      if (v?.[i] === null) nulls++;
    }
    expect(nulls).toBeGreaterThan(500);
    // Whole chunks reach the batch function: 5,000 rows arrive in 3 calls, not 5,000.
    const batches = await page.evaluate(() => (window as unknown as Probe).probe.batches('probe_varchar'));
    expect(batches.reduce((a, x) => a + x, 0)).toBe(ROWS);
    expect(batches.length).toBe(3);
  });

  it('surfaces an error thrown in a batch function as a query error, and keeps working', async () => {
    const error = await page.evaluate(() =>
      (window as unknown as Probe).probe.query("SELECT probe_throw('x') FROM range(10)").then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(error).toContain('probe exploded on purpose');
    const after = await probeQuery("SELECT probe_varchar('ok', 2) AS v");
    expect(after.values[0]).toEqual(['ok·2·ü€😀']);
  });

  it('does not grow the WASM heap over 50 queries of 100k-row VARCHAR results', async () => {
    const BOUND = 48 * 1024 * 1024;
    const run = () => probeQuery(`SELECT count(*) AS n, sum(length(probe_varchar('text-' || range, range::INTEGER))) AS total FROM range(100000)`);
    for (let q = 0; q < 3; q++) await run(); // warm up: the allocator settles its arenas
    const before = await page.evaluate(() => (window as unknown as Probe).probe.heapBytes());
    for (let q = 0; q < 50; q++) {
      const r = await run();
      expect(r.values[0]).toEqual([100000]);
    }
    const after = await page.evaluate(() => (window as unknown as Probe).probe.heapBytes());
    // A leak of the string buffers alone would be ~1.3 MB a query (65 MB over 50 queries).
    expect(after - before).toBeLessThanOrEqual(BOUND);
  });
});
