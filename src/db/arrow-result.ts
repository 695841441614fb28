import * as arrow from 'apache-arrow';
import type { ColumnarResult, ResultColumn } from '../protocol/results';

/** Converts an Arrow table from DuckDB into the columnar form that crosses threads. */
export function arrowToColumnar(table: arrow.Table): ColumnarResult {
  const columns: ResultColumn[] = [];
  const values: unknown[][] = [];
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    columns.push({ name: field.name, type: sqlTypeName(field.type) });
    const convert = converterFor(field.type);
    const out: unknown[] = new Array(table.numRows);
    if (vector) {
      let i = 0;
      for (const v of vector) out[i++] = v === null || v === undefined ? null : convert(v);
    }
    values.push(out);
  }
  return { columns, values, rowCount: table.numRows };
}

function sqlTypeName(type: arrow.DataType): string {
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return 'VARCHAR';
  if (arrow.DataType.isBool(type)) return 'BOOLEAN';
  if (arrow.DataType.isInt(type)) {
    const names: Record<number, string> = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
    return (type.isSigned ? '' : 'U') + (names[type.bitWidth] ?? 'INTEGER');
  }
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.DOUBLE ? 'DOUBLE' : 'FLOAT';
  if (arrow.DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  if (arrow.DataType.isTimestamp(type)) return 'TIMESTAMP';
  if (arrow.DataType.isDate(type)) return 'DATE';
  if (arrow.DataType.isTime(type)) return 'TIME';
  if (arrow.DataType.isBinary(type)) return 'BLOB';
  if (arrow.DataType.isList(type)) return 'LIST';
  if (arrow.DataType.isStruct(type)) return 'STRUCT';
  if (arrow.DataType.isMap(type)) return 'MAP';
  if (arrow.DataType.isDictionary(type)) return sqlTypeName(type.dictionary);
  return String(type);
}

type Converter = (v: unknown) => unknown;

const identity: Converter = (v) => v;

function converterFor(type: arrow.DataType): Converter {
  if (arrow.DataType.isInt(type) && type.bitWidth === 64) {
    // Counts and ids are BIGINT in DuckDB; plain numbers are what callers expect when exact.
    return (v) => (typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v);
  }
  if (arrow.DataType.isTimestamp(type)) return (v) => formatTimestamp(Number(v));
  if (arrow.DataType.isDate(type)) return (v) => formatTimestamp(v instanceof Date ? v.getTime() : Number(v)).slice(0, 10);
  if (arrow.DataType.isDecimal(type)) return (v) => Number(v);
  if (arrow.DataType.isBinary(type)) return (v) => (v instanceof Uint8Array ? Array.from(v) : v);
  if (arrow.DataType.isList(type) || arrow.DataType.isStruct(type) || arrow.DataType.isMap(type)) {
    return (v) => jsonSafe((v as { toJSON(): unknown }).toJSON());
  }
  return identity;
}

/** DuckDB's own rendering: `2024-05-01 13:45:00` (UTC, fractional seconds only when present). */
function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  const [date, time = ''] = iso.split('T');
  const clock = time.replace('Z', '').replace(/\.000$/, '');
  return `${date} ${clock}`;
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}
