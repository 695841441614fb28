import * as Comlink from 'comlink';
import type { DataFormat, DataSource, LoadedTable } from '../protocol/data-source';
import type { DuckDbWorkerApi, EngineInfo, TableInfo } from '../protocol/duckdb-worker-api';
import { columnarToRows, type ResultColumn } from '../protocol/results';

export interface QueryStats {
  passes: number;
  calls: number;
  cached: number;
  errors: number;
  wall_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  stats: QueryStats;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface OpenOptions {
  /** A worker to use instead of a new one (tests pass their own). */
  worker?: Worker;
}

export type LoadInput = File | Blob | URL | string | Uint8Array;

/**
 * The one public API: the app, the embed widget, tests, benchmarks and `window.semsql` all use it.
 */
export class SemSQL {
  readonly #worker: Worker;
  readonly #api: Comlink.Remote<DuckDbWorkerApi>;
  readonly info: EngineInfo;
  #crashed: Error | null = null;
  readonly #onCrash = new Set<(error: Error) => void>();

  private constructor(worker: Worker, api: Comlink.Remote<DuckDbWorkerApi>, info: EngineInfo) {
    this.#worker = worker;
    this.#api = api;
    this.info = info;
    worker.addEventListener('error', (event) => this.#crash(new Error(`the DuckDB worker failed: ${event.message || 'unknown error'}`)));
  }

  static async open(options: OpenOptions = {}): Promise<SemSQL> {
    const worker = options.worker ?? new Worker(new URL('../../workers/duckdb.worker.ts', import.meta.url), { type: 'module', name: 'semsql-duckdb' });
    const api = Comlink.wrap<DuckDbWorkerApi>(worker);
    const info = await api.open();
    return new SemSQL(worker, api, info);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const result = await this.#guard(this.#api.query(sql));
    return {
      columns: result.columns,
      rows: columnarToRows(result),
      stats: { passes: 1, calls: 0, cached: 0, errors: 0, wall_ms: performance.now() - started, input_tokens: 0, output_tokens: 0, cost_usd: 0 },
    };
  }

  async load(input: LoadInput, options: { table: string; format?: DataFormat }): Promise<LoadedTable> {
    return this.#guard(this.#api.load(toDataSource(input), options));
  }

  async tables(): Promise<TableInfo[]> {
    return this.#guard(this.#api.tables());
  }

  async heapBytes(): Promise<number> {
    return this.#guard(this.#api.heapBytes());
  }

  onCrash(listener: (error: Error) => void): () => void {
    this.#onCrash.add(listener);
    return () => this.#onCrash.delete(listener);
  }

  close(): void {
    this.#api[Comlink.releaseProxy]();
    this.#worker.terminate();
  }

  #crash(error: Error): void {
    if (this.#crashed) return;
    this.#crashed = error;
    for (const listener of this.#onCrash) listener(error);
  }

  /** Comlink never settles a call whose worker died; this makes such a call fail instead. */
  #guard<T>(call: Promise<T>): Promise<T> {
    if (this.#crashed) return Promise.reject(this.#crashed);
    return new Promise<T>((resolve, reject) => {
      const off = this.onCrash(reject);
      call.then(resolve, reject).finally(off);
    });
  }
}

function toDataSource(input: LoadInput): DataSource {
  if (typeof File !== 'undefined' && input instanceof File) return { kind: 'file', file: input };
  if (input instanceof Blob) return { kind: 'file', file: new File([input], 'data') };
  if (input instanceof Uint8Array) return { kind: 'bytes', bytes: input, name: 'data' };
  if (input instanceof URL) return { kind: 'url', url: input.href };
  // A string with a line break is data; anything else names a URL, relative to the page.
  if (/[\r\n]/.test(input)) return { kind: 'text', text: input };
  return { kind: 'url', url: new URL(input, globalThis.location?.href).href };
}
