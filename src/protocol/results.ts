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
