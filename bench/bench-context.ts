import type { Page } from 'playwright-core';

/** One measured figure with the figure it is judged against. */
export interface BenchRecord {
  case: string;
  [field: string]: string | number | boolean | null | number[];
}

export interface BenchContext {
  page: Page;
  /** Runs of each measurement; the case reports median and spread over them. */
  runs: number;
  log(message: string): void;
}

export interface BenchCase {
  name: string;
  /** What it measures, for docs/benchmarks.md. */
  description: string;
  run(ctx: BenchContext): Promise<BenchRecord[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Sets the mock model's latency and turns faults off, through the public client API. */
export async function setMock(page: Page, latencyMs: number | [number, number], faults = { rateLimit: 0, server: 0, timeout: 0, malformed: 0 }): Promise<void> {
  await page.evaluate(({ latencyMs, faults }) => window.semsql!.settings.update({ mock: { latencyMs, faults } }).then(() => undefined), { latencyMs, faults });
}

/** Runs a query in the page and returns its client-side wall time and stats. */
export async function timedQuery(page: Page, sql: string) {
  return page.evaluate(async (q) => {
    const start = performance.now();
    const result = await window.semsql!.query(q);
    const wall = performance.now() - start;
    const log = await window.semsql!.callLog(result.queryId);
    return { wallMs: wall, stats: result.stats, rows: result.rows.length, calls: log.calls.filter((c) => c.status !== 'cached').map((c) => ({ started_at: c.started_at, ended_at: c.ended_at, attempts: c.attempts, status: c.status })) };
  }, sql);
}
