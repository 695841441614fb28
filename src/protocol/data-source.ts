/** What `load()` accepts, as it crosses into the DuckDB worker (File and Uint8Array clone cheaply). */
export type DataFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

export type DataSource =
  | { kind: 'file'; file: File }
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string; name?: string }
  | { kind: 'bytes'; bytes: Uint8Array; name: string };

export interface LoadOptions {
  table: string;
  /** Overrides detection from the file name and contents. */
  format?: DataFormat;
}

export interface LoadedTable {
  table: string;
  format: DataFormat;
  rows: number;
  columns: { name: string; type: string }[];
}
