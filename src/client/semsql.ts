import * as Comlink from 'comlink';
import type { CacheStats } from '../cache/answer-cache';
import type { CallRecord, QueryRecord } from '../engine/call-log';
import type { DataFormat, DataSource, LoadedTable } from '../protocol/data-source';
import type { DuckDbWorkerApi, EngineInfo, ExplainResult, OperatorInfo, TableInfo } from '../protocol/duckdb-worker-api';
import type { LlmWorkerConnect } from '../protocol/llm-worker-api';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import { columnarToRows, type ResultColumn } from '../protocol/results';
import { mergeSettings, type EngineSettings, type SettingsPatch } from '../protocol/settings';
import { indexedDbSettingsStore, memorySettingsStore, type SettingsStore } from '../storage/settings-store';

export interface QueryResult {
  queryId: string;
  columns: ResultColumn[];
  rows: unknown[][];
  stats: QueryStats;
  warnings: string[];
}

export interface QueryOptions {
  signal?: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
}

export interface OpenOptions {
  /** Overrides the stored settings for this session (not saved). */
  settings?: SettingsPatch;
  /** Where settings persist; defaults to IndexedDB. */
  settingsStore?: SettingsStore;
  /** Model workers in the pool; defaults to min(4, hardwareConcurrency). */
  modelWorkers?: number;
}

export type LoadInput = File | Blob | URL | string | Uint8Array;

/**
 * The one public API: the app, the embed widget, tests, benchmarks and `window.semsql` all use it.
 * It owns the workers: one DuckDB worker, and K model workers that the DuckDB worker reaches over
 * MessagePorts.
 */
export class SemSQL {
  readonly #worker: Worker;
  readonly #modelWorkers: Worker[];
  readonly #api: Comlink.Remote<DuckDbWorkerApi>;
  readonly #settingsStore: SettingsStore;
  #settings: EngineSettings;
  readonly info: EngineInfo;
  #crashed: Error | null = null;
  readonly #onCrash = new Set<(error: Error) => void>();
  #nextQuery = 0;

  private constructor(parts: { worker: Worker; modelWorkers: Worker[]; api: Comlink.Remote<DuckDbWorkerApi>; info: EngineInfo; settings: EngineSettings; settingsStore: SettingsStore }) {
    this.#worker = parts.worker;
    this.#modelWorkers = parts.modelWorkers;
    this.#api = parts.api;
    this.info = parts.info;
    this.#settings = parts.settings;
    this.#settingsStore = parts.settingsStore;
    for (const w of [parts.worker, ...parts.modelWorkers]) {
      w.addEventListener('error', (event) => this.#crash(new Error(`a semsql worker failed: ${event.message || 'unknown error'}`)));
    }
  }

  static async open(options: OpenOptions = {}): Promise<SemSQL> {
    const settingsStore = options.settingsStore ?? (typeof indexedDB === 'undefined' ? memorySettingsStore() : indexedDbSettingsStore());
    const stored = await settingsStore.load().catch(() => memorySettingsStore().load());
    const settings = mergeSettings(stored, options.settings ?? {});
    const worker = new Worker(new URL('../../workers/duckdb.worker.ts', import.meta.url), { type: 'module', name: 'semsql-duckdb' });
    const api = Comlink.wrap<DuckDbWorkerApi>(worker);
    const count = options.modelWorkers ?? Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2));
    const modelWorkers: Worker[] = [];
    const ports: MessagePort[] = [];
    for (let i = 0; i < count; i++) {
      const modelWorker = new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: `semsql-model-${i + 1}` });
      const channel = new MessageChannel();
      const connect: LlmWorkerConnect = { connect: channel.port2 };
      modelWorker.postMessage(connect, [channel.port2]);
      modelWorkers.push(modelWorker);
      ports.push(channel.port1);
    }
    const info = await api.open(settings);
    await api.attachModelWorkers(Comlink.transfer(ports, ports));
    return new SemSQL({ worker, modelWorkers, api, info, settings, settingsStore });
  }

  /** Runs a script; the result is its last statement's. Cancelling keeps every finished answer. */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    options.signal?.throwIfAborted();
    const queryId = `q${Date.now().toString(36)}_${++this.#nextQuery}`;
    const onAbort = () => void this.#api.cancel(queryId);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const progress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
      const response = await this.#guard(this.#api.query(queryId, sql, progress));
      return { queryId, columns: response.result.columns, rows: columnarToRows(response.result), stats: response.stats, warnings: response.warnings };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** EXPLAIN SEMANTIC as data: rewritten SQL, call sites, first-pass calls and cost, no model called. */
  explain(sql: string): Promise<ExplainResult> {
    return this.#guard(this.#api.explain(sql));
  }

  load(input: LoadInput, options: { table: string; format?: DataFormat }): Promise<LoadedTable> {
    return this.#guard(this.#api.load(toDataSource(input), options));
  }

  tables(): Promise<TableInfo[]> {
    return this.#guard(this.#api.tables());
  }

  operators(): Promise<OperatorInfo[]> {
    return this.#guard(this.#api.operators());
  }

  callLog(queryId?: string): Promise<{ calls: CallRecord[]; queries: QueryRecord[] }> {
    return this.#guard(this.#api.callLog(queryId));
  }

  readonly settings = {
    get: async (): Promise<EngineSettings> => structuredClone(this.#settings),
    update: async (patch: SettingsPatch): Promise<EngineSettings> => {
      this.#settings = mergeSettings(this.#settings, patch);
      await this.#guard(this.#api.configure(this.#settings));
      await this.#settingsStore.save(this.#settings);
      return structuredClone(this.#settings);
    },
  };

  readonly cache = {
    stats: (): Promise<CacheStats> => this.#guard(this.#api.cacheStats()),
    clear: (): Promise<void> => this.#guard(this.#api.clearCache()),
  };

  heapBytes(): Promise<number> {
    return this.#guard(this.#api.heapBytes());
  }

  onCrash(listener: (error: Error) => void): () => void {
    this.#onCrash.add(listener);
    return () => this.#onCrash.delete(listener);
  }

  close(): void {
    this.#api[Comlink.releaseProxy]();
    this.#worker.terminate();
    for (const w of this.#modelWorkers) w.terminate();
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
