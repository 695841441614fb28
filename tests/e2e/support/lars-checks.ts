import type { Page } from 'playwright-core';

/**
 * Checks of a query's result the way LARS's own test cases read one (a value, a range, one of a few,
 * contains, JSON keys), for the conformance tests of each LARS release (lars-conformance.test.ts,
 * lars-v24.test.ts).
 */
export interface Result {
  columns: string[];
  rows: unknown[][];
}

export interface Check {
  what: string;
  ok: (r: Result) => boolean;
}

export const first = (r: Result): unknown => r.rows[0]?.[0];
export const text = (r: Result): string => String(first(r) ?? '');
export const is = (v: unknown): Check => ({ what: `= ${JSON.stringify(v)}`, ok: (r) => first(r) === v });
export const contains = (s: string): Check => ({ what: `contains ${s}`, ok: (r) => text(r).toLowerCase().includes(s.toLowerCase()) });
export const oneOf = (...vs: unknown[]): Check => ({ what: `one of ${vs.join(', ')}`, ok: (r) => vs.includes(first(r)) });
export const range = (lo: number, hi: number): Check => ({
  what: `in [${lo}, ${hi}]`,
  ok: (r) => typeof first(r) === 'number' && (first(r) as number) >= lo && (first(r) as number) <= hi,
});
export const matches = (re: RegExp): Check => ({ what: `matches ${re}`, ok: (r) => re.test(text(r)) });
export const jsonWith = (key: string, value?: unknown): Check => ({
  what: `JSON with ${key}${value === undefined ? '' : ` = ${JSON.stringify(value)}`}`,
  ok: (r) => {
    const parsed = JSON.parse(text(r)) as Record<string, unknown>;
    return key in parsed && (value === undefined || JSON.stringify(parsed[key]) === JSON.stringify(value));
  },
});
export const rowCount = (n: number): Check => ({ what: `${n} rows`, ok: (r) => r.rows.length === n });
export const columnsAre = (...names: string[]): Check => ({
  what: `columns ${names.join(', ')}`,
  ok: (r) => JSON.stringify(r.columns) === JSON.stringify(names),
});

export interface Case {
  /** The name or form as the issue lists it. */
  item: string;
  sql: string;
  expect: Check;
}

/** A statement run through the app's public API: its columns and rows. */
export function runQuery(page: Page, sql: string): Promise<Result> {
  return page.evaluate((q) => window.semsql!.query(q).then((r) => ({ columns: r.columns.map((c) => c.name), rows: r.rows })), sql);
}
