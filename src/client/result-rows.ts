import type { ColumnarResult } from '../protocol/results';

/** Rows for callers, from the columns a result crosses threads as (one array per column). */
export function columnarToRows(result: ColumnarResult): unknown[][] {
  const rows: unknown[][] = new Array(result.rowCount);
  for (let r = 0; r < result.rowCount; r++) {
    const row = new Array(result.values.length);
    for (let c = 0; c < result.values.length; c++) row[c] = (result.values[c] as unknown[])[r];
    rows[r] = row;
  }
  return rows;
}
