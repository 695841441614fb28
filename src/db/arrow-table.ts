import * as arrow from 'apache-arrow';
import { coerceValue, inferColumnKind, type ColumnHint, type ColumnKind } from './column-inference';

export interface ColumnInput {
  name: string;
  values: unknown[];
  hint?: ColumnHint;
}

function arrowType(kind: ColumnKind): arrow.DataType {
  switch (kind) {
    case 'boolean':
      return new arrow.Bool();
    case 'integer':
      return new arrow.Int32();
    case 'bigint':
      return new arrow.Int64();
    case 'double':
      return new arrow.Float64();
    case 'timestamp':
      return new arrow.TimestampMillisecond();
    case 'blob':
      return new arrow.Binary();
    case 'varchar':
      return new arrow.Utf8();
  }
}

/** Builds an Arrow table with explicit types, so DuckDB gets INTEGER/VARCHAR rather than guesses. */
export function buildArrowTable(columns: ColumnInput[]): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  for (const column of columns) {
    const kind = inferColumnKind(column.values, column.hint);
    const values = column.values.map((v) => coerceValue(v, kind));
    vectors[column.name] = arrow.vectorFromArray(values, arrowType(kind));
  }
  return new arrow.Table(vectors);
}
