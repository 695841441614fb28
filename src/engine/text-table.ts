import type { ColumnarResult } from '../protocol/results';

/** A small result of text columns: what statements without a query result (EXPLAIN, SHOW, CREATE) answer with. */
export function textTable(columns: string[], rows: unknown[][]): ColumnarResult {
  return {
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    values: columns.map((_, c) => rows.map((row) => row[c] ?? null)),
    rowCount: rows.length,
  };
}
