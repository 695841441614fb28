import type { QueryResult } from '../../client';
import { downloadBlob } from './download';
import { exportFileName, toCsv, toJson } from './export-encode';

export type ExportFormat = 'csv' | 'json' | 'parquet';

/** Saves the full result (not just the rows on screen) in the chosen format, all in the page. */
export async function exportResult(result: Pick<QueryResult, 'columns' | 'rows' | 'columnar'>, format: ExportFormat, sql: string): Promise<string> {
  const name = exportFileName(sql, format);
  if (format === 'csv') downloadBlob(toCsv(result.columns, result.rows), name, 'text/csv;charset=utf-8');
  else if (format === 'json') downloadBlob(toJson(result.columns, result.rows), name, 'application/json');
  else {
    // The Parquet writer loads only when someone exports Parquet.
    const { toParquet } = await import('./parquet-export');
    downloadBlob(toParquet(result.columns, result.columnar) as BlobPart, name, 'application/vnd.apache.parquet');
  }
  return name;
}
