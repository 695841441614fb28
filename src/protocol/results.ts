/**
 * Query results as they cross threads: columnar, so a 100k-row result is a few arrays rather than
 * 100k small objects. The client turns them into rows for callers.
 */
export interface ResultColumn {
  name: string;
  /** DuckDB-style type name: VARCHAR, DOUBLE, BIGINT, BOOLEAN, TIMESTAMP, ... */
  type: string;
}

export interface ColumnarResult {
  columns: ResultColumn[];
  /** One array per column, each `rowCount` long; SQL NULL is `null`. */
  values: unknown[][];
  rowCount: number;
}

export function columnarToRows(result: ColumnarResult): unknown[][] {
  const rows: unknown[][] = new Array(result.rowCount);
  for (let r = 0; r < result.rowCount; r++) {
    const row = new Array(result.values.length);
    for (let c = 0; c < result.values.length; c++) row[c] = (result.values[c] as unknown[])[r];
    rows[r] = row;
  }
  return rows;
}
