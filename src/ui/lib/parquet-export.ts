import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { ResultColumn } from '../../protocol/results';
import { cellText } from './format';
import { uniqueNames } from './export-encode';

/**
 * A result as a Parquet file, written in the page by hyparquet-writer: it works offline, where
 * DuckDB's parquet extension cannot be fetched (DESIGN.md, "Extensions").
 */
export function toParquet(columns: readonly ResultColumn[], rows: readonly (readonly unknown[])[]): Uint8Array {
  const names = uniqueNames(columns.map((c) => c.name));
  const columnData: ColumnSource[] = columns.map((column, c) => {
    const values = rows.map((row) => row[c] ?? null);
    return { name: names[c] ?? column.name, nullable: true, ...encodeColumn(column.type, values) };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

function encodeColumn(type: string, values: unknown[]): Pick<ColumnSource, 'data' | 'type'> {
  const t = type.toUpperCase();
  if (t === 'BOOLEAN') return { type: 'BOOLEAN', data: values.map((v) => (v === null ? null : Boolean(v))) };
  if (/^U?(TINYINT|SMALLINT|INTEGER)$/.test(t) && values.every((v) => v === null || (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31))) {
    return { type: 'INT32', data: values };
  }
  if (/^U?BIGINT$/.test(t) || /^U?(TINYINT|SMALLINT|INTEGER)$/.test(t)) {
    return { type: 'INT64', data: values.map((v) => (v === null ? null : BigInt(typeof v === 'bigint' ? v : Math.trunc(Number(v))))) };
  }
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(t)) return { type: 'DOUBLE', data: values.map((v) => (v === null ? null : Number(v))) };
  return { type: 'STRING', data: values.map((v) => (v === null ? null : cellText(v))) };
}
