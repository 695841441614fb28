import type { ResultColumn } from '../../protocol/results';
import { cellText } from './format';

/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, line break or edge space. */
export function toCsv(columns: readonly ResultColumn[], rows: readonly (readonly unknown[])[]): string {
  const out: string[] = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) out.push(row.map((v) => (v === null || v === undefined ? '' : csvField(cellText(v)))).join(','));
  return out.join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Tab-separated, for pasting a row into a spreadsheet. */
export function toTsvRow(row: readonly unknown[]): string {
  return row.map((v) => cellText(v).replace(/[\t\r\n]+/g, ' ')).join('\t');
}

/** An array of objects keyed by column name; BIGINTs that do not fit a double become strings. */
export function toJson(columns: readonly ResultColumn[], rows: readonly (readonly unknown[])[]): string {
  const names = uniqueNames(columns.map((c) => c.name));
  const objects = rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? null])));
  return JSON.stringify(objects, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** Duplicate column names (SELECT a, a) get a suffix so no value is lost in an object or a file. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}_${n + 1}`;
  });
}

/** A file name for an export: the first table named in the SQL, or "result". */
export function exportFileName(sql: string, extension: string): string {
  const table = /\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(sql)?.[1];
  return `${table ?? 'result'}.${extension}`;
}
