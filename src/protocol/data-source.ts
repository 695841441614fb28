/** What `load()` accepts, as it crosses into the DuckDB worker (File and Uint8Array clone cheaply). */
export type DataFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

export type DataSource =
  | { kind: 'file'; file: File }
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string; name?: string }
  | { kind: 'bytes'; bytes: Uint8Array; name: string };

export interface LoadOptions {
  table: string;
  /** Overrides detection from the file's contents. */
  format?: DataFormat;
  /**
   * Keep the table across reloads (default true): the source is stored in IndexedDB (a file's
   * bytes, a URL's address) and the table read back the first time a query names it.
   */
  keep?: boolean;
}

/** How far a load has got: bytes of the source read, and rows in the table so far. */
export interface LoadProgress {
  table: string;
  bytesRead: number;
  /** Null when the source's size is not known. */
  bytesTotal: number | null;
  rows: number;
  /** Null until known (a Parquet file says it up front; CSV and JSON do not). */
  rowsTotal: number | null;
}

export interface LoadedTable {
  table: string;
  format: DataFormat;
  rows: number;
  columns: { name: string; type: string }[];
  /** Kept across reloads (LoadOptions.keep): false when the browser would not store it. */
  kept?: boolean;
  /** Why it could not be kept (the browser's storage refused it). */
  keptError?: string;
}
