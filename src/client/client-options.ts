// The shapes of the client's calls and answers (src/client/semsql.ts): what `SemSQL.open`, `query`
// and `load` take and give.
import type { DataFormat, LoadProgress } from '../protocol/data-source';
import type { StorageScope } from '../protocol/duckdb-worker-api';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { ResultColumn } from '../protocol/results';
import type { SettingsPatch } from '../protocol/settings';
import type { ResultVisual } from '../protocol/visuals';
import type { KeyStore } from '../storage/key-store';
import type { SettingsStore } from '../storage/settings-store';

export interface QueryResult {
  queryId: string;
  columns: ResultColumn[];
  rows: unknown[][];
  /** The same values, one array per column, as they crossed from the engine (for columnar exports). */
  columnar: unknown[][];
  stats: QueryStats;
  warnings: string[];
  /** A chart or diagram a pipeline stage made (THEN TO_VEGALITE, MERMAID_TRIPLES, ...): the Chart view draws it. */
  visual?: ResultVisual;
  /** Saved tables the query kept (`INTO name`). */
  savedTables?: string[];
}

export interface QueryOptions {
  signal?: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
  /**
   * Stop here: once aborted, an aggregate over semantic answers ends with its running estimates as
   * its result (`stats.estimate` says so), keeping every answer paid for; any other query is
   * cancelled, as by `signal`.
   */
  stop?: AbortSignal;
}

export interface OpenOptions {
  /** Overrides the stored settings for this session (not saved). */
  settings?: SettingsPatch;
  /** Where settings persist; defaults to IndexedDB. */
  settingsStore?: SettingsStore;
  /** Model workers in the pool; defaults to min(4, hardwareConcurrency). */
  modelWorkers?: number;
  /** Where the API key lives; defaults to IndexedDB, where the model workers read it. */
  keyStore?: KeyStore;
  /**
   * Whose operators and cached answers the engine uses: the app's own (the default), or an
   * embedding host's namespace (docs/security.md).
   */
  scope?: StorageScope;
  /**
   * Keep every table `load()` makes across reloads, as the workbench does (default true): a kept
   * table comes back the first time a query names it. A load's own `keep` overrides this.
   */
  keepTables?: boolean;
}

export interface LoadCallOptions {
  table: string;
  /** Overrides detection from the contents. */
  format?: DataFormat;
  /** Keep this table across reloads (default: OpenOptions.keepTables, itself true by default). */
  keep?: boolean;
  /** Bytes read and rows loaded so far, for large Parquet and JSON files. */
  onProgress?: (progress: LoadProgress) => void;
}

export type LoadInput = File | Blob | URL | string | Uint8Array;
