import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { ResultColumn } from '../../protocol/results';
import { cellText } from './format';
import { uniqueNames } from './export-encode';

/**
 * A result as a Parquet file, written in the page by hyparquet-writer: it works offline, where
 * DuckDB's parquet extension cannot be fetched (docs/design.md, "Extensions"). `values` holds one array
 * per column, as the result crossed from the engine: Parquet is columnar, so no rows are rebuilt.
 */
export function toParquet(columns: readonly ResultColumn[], values: readonly (readonly unknown[])[]): Uint8Array {
  const names = uniqueNames(columns.map((c) => c.name));
  const columnData: ColumnSource[] = columns.map((column, c) => {
    const columnValues = (values[c] ?? []).map((v) => v ?? null);
    return { name: names[c] ?? column.name, nullable: true, ...encodeColumn(column.type, columnValues) };
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
