import type { DataSource, LoadedTable, LoadOptions } from './data-source';
import type { ColumnarResult } from './results';

/**
 * The DuckDB worker's API, as the client sees it through Comlink (`wrap<DuckDbWorkerApi>()`).
 * Types only: this file is the one declaration of the thread boundary.
 */
export interface EngineInfo {
  duckdbVersion: string;
  bundle: 'eh' | 'mvp';
}

export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
}

export interface DuckDbWorkerApi {
  open(): Promise<EngineInfo>;
  query(sql: string): Promise<ColumnarResult>;
  load(source: DataSource, options: LoadOptions): Promise<LoadedTable>;
  tables(): Promise<TableInfo[]>;
  /** Size of the WASM heap in bytes: memory growth is the leak signal tests watch. */
  heapBytes(): Promise<number>;
}
