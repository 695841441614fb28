import { isNumericType } from './format';

export type ChartMark = 'bar' | 'line' | 'scatter' | 'histogram';

/** What a chart draws: a mark over column x (and column y; null counts rows per x). */
export interface ChartSpec {
  mark: ChartMark;
  x: number;
  y: number | null;
}

export type ColumnKind = 'number' | 'time' | 'category';

/** Most points a line or scatter draws: beyond this the SVG stops being readable or quick. */
export const MAX_POINTS = 5_000;
/** Most bars: the largest categories, the rest are left out (and the chart says so). */
export const MAX_BARS = 30;

export function columnKind(type: string): ColumnKind {
  if (isNumericType(type)) return 'number';
  if (/^(DATE|TIME|TIMESTAMP)/i.test(type)) return 'time';
  return 'category';
}

/** An identifier column (id, user_id, …) is a poor axis when another number is there. */
const ID_NAME = /^(id|.*_id)$/i;

/**
 * The chart a result gets before the user picks one, from its column types: time and a number draw
 * a line, a category and a number bars, two numbers a scatter, one number a histogram, categories
 * alone bars of row counts. Null when there is nothing to draw (no columns).
 */
export function defaultChart(columns: readonly { name: string; type: string }[]): ChartSpec | null {
  const kinds = columns.map((c) => columnKind(c.type));
  const numbers = kinds.flatMap((k, i) => (k === 'number' ? [i] : []));
  const measures = numbers.filter((i) => !ID_NAME.test(columns[i]?.name ?? ''));
  const measure = measures[0] ?? numbers[0];
  const time = kinds.indexOf('time');
  const category = kinds.indexOf('category');
  if (time >= 0 && measure !== undefined) return { mark: 'line', x: time, y: measure };
  if (category >= 0 && measure !== undefined) return { mark: 'bar', x: category, y: measure };
  if (measures.length >= 2) return { mark: 'scatter', x: measures[0] as number, y: measures[1] as number };
  if (measure !== undefined) return { mark: 'histogram', x: measure, y: null };
  if (category >= 0) return { mark: 'bar', x: category, y: null };
  if (time >= 0) return { mark: 'histogram', x: time, y: null };
  return null;
}

/** The marks that fit an x and y column, for the chart's mark picker. */
export function marksFor(xKind: ColumnKind, yKind: ColumnKind | null): ChartMark[] {
  if (yKind === null) return xKind === 'category' ? ['bar'] : ['histogram', 'bar'];
  if (yKind !== 'number') return [];
  if (xKind === 'category') return ['bar'];
  return ['line', 'scatter', 'bar'];
}

/** A chart's points: x as a number, a Date or text, y as a number; rows with a missing value are left out. */
export function chartPoints(rows: readonly (readonly unknown[])[], spec: ChartSpec, xKind: ColumnKind): { x: number | Date | string; y: number }[] {
  const points: { x: number | Date | string; y: number }[] = [];
  for (const row of rows) {
    const rawX = row[spec.x];
    const rawY = spec.y === null ? 1 : row[spec.y];
    if (rawX === null || rawX === undefined || rawY === null || rawY === undefined) continue;
    const y = Number(rawY);
    if (!Number.isFinite(y)) continue;
    const x = xKind === 'number' ? Number(rawX) : xKind === 'time' ? timeOf(rawX) : String(rawX);
    if (typeof x === 'number' && !Number.isFinite(x)) continue;
    if (x instanceof Date && Number.isNaN(x.getTime())) continue;
    points.push({ x, y });
  }
  return points;
}

/**
 * A time value as the engine hands it over: "2025-01-31 12:00:05" (UTC, DuckDB's own text form),
 * "2025-01-31", a Date or epoch milliseconds. Text is read as UTC, as DuckDB wrote it.
 */
export function timeOf(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value).trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(text);
  return new Date(m ? `${m[1]}T${m[2] ?? '00:00:00'}Z` : text);
}

/** The largest categories by total y (or by row count), for bar charts. */
export function topCategories(points: readonly { x: number | Date | string; y: number }[], limit = MAX_BARS): { x: string; y: number }[] {
  const totals = new Map<string, number>();
  for (const p of points) totals.set(String(p.x), (totals.get(String(p.x)) ?? 0) + p.y);
  return [...totals]
    .map(([x, y]) => ({ x, y }))
    .sort((a, b) => b.y - a.y)
    .slice(0, limit);
}
