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
  /** `--seeds N`: seeds for cases scored over seeds (semantic-join); each case's own count otherwise. */
  seeds?: number;
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

/** `{ <name>_median_ms, <name>_min_ms, <name>_max_ms }` of several runs. */
export function timings(name: string, values: number[]): Record<string, number> {
  const { min, max } = spread(values);
  return { [`${name}_median_ms`]: round(median(values)), [`${name}_min_ms`]: round(min), [`${name}_max_ms`]: round(max) };
}

export { setMockModel as setMock } from '../tests/e2e/support/mock-model';

/** Runs a query in the page and returns its client-side wall time and stats. */
export async function timedQuery(page: Page, sql: string) {
  return page.evaluate(async (q) => {
    const start = performance.now();
    const result = await window.semsql!.query(q);
    const wall = performance.now() - start;
    const log = await window.semsql!.callLog(result.queryId);
    return {
      wallMs: wall,
      stats: result.stats,
      rows: result.rows.length,
      calls: log.calls
        .filter((c) => c.status !== 'cached')
        .map((c) => ({ started_at: c.started_at, ended_at: c.ended_at, attempts: c.attempts, status: c.status })),
    };
  }, sql);
}
