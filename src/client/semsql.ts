import * as Comlink from 'comlink';
import type { CacheStats } from '../protocol/duckdb-worker-api';
import type { DataFormat, DataSource, LoadedTable } from '../protocol/data-source';
import type { PendingBatch } from '../protocol/batches';
import type {
  CallLogResult,
  DuckDbWorkerApi,
  EngineInfo,
  EngineStats,
  ExplainResult,
  OperatorInfo,
  StorageScope,
  TableInfo,
} from '../protocol/duckdb-worker-api';
import type { QueryProgress } from '../protocol/progress';
import { checkBatchEndpoint, type BatchEndpointStatus } from './batch-endpoint-status';
import { columnarToRows } from './result-rows';
import { EmbeddingModel } from './embedding-model';
import { modelsOf, raceDeath, startWorkers, type Workers } from './worker-generation';
import { mergeSettings, type EngineSettings, type SettingsPatch } from '../protocol/settings';
import { DEFAULT_ENGINE_SETTINGS } from './default-settings';
import { validateSettings } from '../protocol/settings-schema';
import { keyStore, memoryKeyStore, type KeyStore } from '../storage/key-store';
import { indexedDbSettingsStore, memorySettingsStore, type SettingsStore } from '../storage/settings-store';

import type { LoadCallOptions, LoadInput, OpenOptions, QueryOptions, QueryResult } from './client-options';

export type { LoadCallOptions, LoadInput, OpenOptions, QueryOptions, QueryResult } from './client-options';

/** How long after a cancel the caller waits for the engine's own answer before hearing "cancelled". */
const CANCEL_REPLY_MS = 1_000;
/** How long a cancelled statement may keep the engine busy before the engine is restarted. */
const CANCEL_GRACE_MS = 15_000;

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

/** Messages of a wasm trap: after one, DuckDB's state cannot be trusted, so the engine restarts. */
const WASM_TRAP = /RuntimeError|unreachable|memory access out of bounds|null function|function signature mismatch/i;

/**
 * The one public API: the app, the embed widget, tests, benchmarks and `window.semsql` all use it.
 * It owns the workers: one DuckDB worker, and K model workers that the DuckDB worker reaches over
 * MessagePorts. If the DuckDB worker dies or traps, it is restarted with the loaded data and the
 * user's operators, and the cached answers (IndexedDB) are intact.
 */
export class SemSQL {
  #workers: Workers;
  readonly #modelWorkerCount: number;
  readonly #scope: StorageScope;
  readonly #settingsStore: SettingsStore;
  #settings: EngineSettings;
  /** Every successful load, replayed after a restart. */
  readonly #loads: { input: LoadInput; options: { table: string; format?: DataFormat } }[] = [];
  readonly #keepTables: boolean;
  #restarting: Promise<void> | null = null;
  readonly #onRestart = new Set<(message: string) => void>();
  #nextQuery = 0;
  /** Client-side warnings, delivered with the next query result (as the engine's are). */
  readonly #warnings: string[] = [];
  readonly #warned = new Set<string>();
  readonly #keys: KeyStore;
  readonly #embeddingsKeys: KeyStore;

  private constructor(parts: {
    workers: Workers;
    modelWorkerCount: number;
    scope: StorageScope;
    settings: EngineSettings;
    settingsStore: SettingsStore;
    keys: KeyStore;
    embeddingsKeys: KeyStore;
    keepTables: boolean;
  }) {
    this.#keepTables = parts.keepTables;
    this.#workers = parts.workers;
    this.#modelWorkerCount = parts.modelWorkerCount;
    this.#scope = parts.scope;
    this.#settings = parts.settings;
    this.#settingsStore = parts.settingsStore;
    this.#keys = parts.keys;
    this.#embeddingsKeys = parts.embeddingsKeys;
    this.embeddingModel = new EmbeddingModel(
      () => this.#workers,
      () => this.#guard((api) => api.configure(this.embeddingModel.effective(this.#settings))),
      (message) => this.#warnOnce('embedding-model', message),
    );
    this.#watch(parts.workers);
  }

  static async open(options: OpenOptions = {}): Promise<SemSQL> {
    const settingsStore = options.settingsStore ?? (typeof indexedDB === 'undefined' ? memorySettingsStore() : indexedDbSettingsStore());
    // DuckDB boots when the engine is opened, so it is opened at once, with the defaults and the
    // caller's settings; the stored ones follow when IndexedDB has given them. Waiting for them
    // first delayed DuckDB's boot by 150–250 ms (bench case startup). Booting reads no setting.
    const provisional = validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, options.settings ?? {}));
    const reading = (async () => {
      const stored = await settingsStore.load().catch(() => undefined);
      // Stored settings are merged over the defaults, so a field added in a new version gets its
      // default; stored settings that no longer validate (a hand edit) give way to the defaults.
      // Settings passed in by the caller must be valid, or open() says why.
      let base: EngineSettings;
      try {
        base = validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, stored ?? {}));
      } catch {
        base = DEFAULT_ENGINE_SETTINGS;
      }
      return validateSettings(mergeSettings(base, options.settings ?? {}));
    })();
    const modelWorkerCount = options.modelWorkers ?? Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2));
    const scope = options.scope ?? { namespace: null, readsAppState: false };
    const workers = await startWorkers(provisional, scope);
    const settings = await reading.catch((error: unknown) => {
      workers.worker.terminate();
      throw error;
    });
    if (JSON.stringify(settings) !== JSON.stringify(provisional)) await raceDeath(workers, workers.api.configure(settings));
    const keys = options.keyStore ?? (typeof indexedDB === 'undefined' ? memoryKeyStore() : keyStore());
    const embeddingsKeys = typeof indexedDB === 'undefined' ? memoryKeyStore() : keyStore(undefined, 'embeddings');
    return new SemSQL({ workers, modelWorkerCount, scope, settings, settingsStore, keys, embeddingsKeys, keepTables: options.keepTables ?? true });
  }

  get info(): EngineInfo {
    return this.#workers.info;
  }

  /**
   * Starts the model workers now, so the first query that calls a model does not wait for them
   * (they otherwise start with it). The app calls this once its start is done.
   */
  prepareModels(): Promise<void> {
    return this.#guard(() => Promise.resolve(), { models: true });
  }

  /** Runs a script; the result is its last statement's. Cancelling keeps every finished answer. */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    options.signal?.throwIfAborted();
    const queryId = `q${Date.now().toString(36)}_${++this.#nextQuery}`;
    const workers = this.#workers;
    // Progress comes over its own port (Comlink's proxy), the result over the engine's: the two are
    // not ordered, and on a busy machine the last progress event arrived after the result (CI).
    // Nothing of a query is reported once it has ended.
    let ended = false;
    const onProgress = options.onProgress;
    const progress = onProgress ? Comlink.proxy((p: QueryProgress) => void (ended || onProgress(p))) : undefined;
    const running = this.#guard((api) => api.query(queryId, sql, progress), { models: true });
    const stopHere = () => void workers.api.stop(queryId);
    options.stop?.addEventListener('abort', stopHere, { once: true });
    void running.finally(() => options.stop?.removeEventListener('abort', stopHere)).catch(() => {});
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let answered: ReturnType<typeof setTimeout> | undefined;
    // The engine sees a cancel between two polls of the statement (measured 10–106 ms), but one
    // task of a large hash join or sort cannot be split (up to 2.5 s measured): the caller hears
    // "cancelled" within a second whatever the engine is doing, and an engine that has not stopped
    // after CANCEL_GRACE_MS is restarted like a crashed one.
    const cancelled = new Promise<never>((_, reject) => {
      const onAbort = () => {
        void workers.api.cancel(queryId);
        answered = setTimeout(() => reject(abortError('query cancelled')), CANCEL_REPLY_MS);
        watchdog = setTimeout(() => {
          if (this.#workers === workers) void this.#restart(new Error(`a cancelled statement did not stop within ${CANCEL_GRACE_MS / 1000} s`));
        }, CANCEL_GRACE_MS);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void running
        .finally(() => {
          options.signal?.removeEventListener('abort', onAbort);
          clearTimeout(watchdog);
          clearTimeout(answered);
        })
        .catch(() => {});
    });
    const response = await Promise.race([running, cancelled]).finally(() => (ended = true));
    const warnings = [...this.#warnings.splice(0), ...response.warnings];
    const extras = { ...(response.visual ? { visual: response.visual } : {}), ...(response.savedTables ? { savedTables: response.savedTables } : {}) };
    return {
      queryId,
      columns: response.result.columns,
      rows: columnarToRows(response.result),
      columnar: response.result.values,
      stats: response.stats,
      warnings,
      ...extras,
    };
  }

  /** EXPLAIN SEMANTIC as data: rewritten SQL, call sites, first-pass calls and cost, no model called. */
  explain(sql: string): Promise<ExplainResult> {
    return this.#guard((api) => api.explain(sql), { models: true });
  }

  /**
   * Loads a file, URL, text or bytes as a table; CSV, Parquet, JSON (an array, NDJSON, an object
   * wrapping records) are told from the content. Kept across reloads unless `keep` is false.
   */
  async load(input: LoadInput, options: LoadCallOptions): Promise<LoadedTable> {
    const { onProgress, ...rest } = options;
    const settled = { table: rest.table, keep: rest.keep ?? this.#keepTables, ...(rest.format ? { format: rest.format } : {}) };
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const loaded = await this.#guard((api) => api.load(toDataSource(input), settled, progress));
    const i = this.#loads.findIndex((l) => l.options.table === options.table);
    if (i >= 0) this.#loads.splice(i, 1);
    // A kept table comes back by itself after a restart (the first query that names it); others are loaded again.
    if (!loaded.kept) this.#loads.push({ input, options: { table: settled.table, ...(settled.format ? { format: settled.format } : {}) } });
    return loaded;
  }

  tables(): Promise<TableInfo[]> {
    return this.#guard((api) => api.tables());
  }

  operators(): Promise<OperatorInfo[]> {
    return this.#guard((api) => api.operators());
  }

  /** One query's calls, or all: the log keeps the latest queries (`retainedQueries`), older ones go. */
  callLog(queryId?: string): Promise<CallLogResult> {
    return this.#guard((api) => api.callLog(queryId));
  }

  /**
   * Message Batches not yet settled (`-- @ mode: batch`): listed, with progress and cost, and
   * cancellable. A cancel needs the model workers, which hold the provider and its batch API; the
   * list does not start them (the History panel polls it from start-up), and fills once they run.
   */
  readonly batches = {
    list: (): Promise<PendingBatch[]> => this.#guard((api) => api.pendingBatches()),
    cancel: (localId: string): Promise<void> => this.#guard((api) => api.cancelBatch(localId), { models: true }),
    /** Where batches go now, and whether a batch proxy there answers and allows this page (no key is sent). */
    endpointStatus: (signal?: AbortSignal): Promise<BatchEndpointStatus> =>
      checkBatchEndpoint(this.#settings, { pageOrigin: globalThis.location?.origin ?? '', ...(signal ? { signal } : {}) }),
  };

  readonly settings = {
    get: async (): Promise<EngineSettings> => structuredClone(this.#settings),
    /** Validated as a whole before anything changes: an invalid patch throws a SettingsError. */
    update: async (patch: SettingsPatch): Promise<EngineSettings> => {
      this.#settings = validateSettings(mergeSettings(this.#settings, patch));
      await this.#guard((api) => api.configure(this.embeddingModel.effective(this.#settings)));
      await this.#settingsStore.save(this.#settings).catch((error: unknown) => {
        // A full or blocked IndexedDB must not stop the change: it holds for this session.
        this.#warnOnce(
          'settings',
          `Settings cannot be saved in this browser (${error instanceof Error ? error.name : String(error)}); they apply until the page is closed.`,
        );
      });
      return structuredClone(this.#settings);
    },
  };

  /**
   * The Anthropic API key: stored in IndexedDB on this machine only, and read there by the model
   * workers, so it crosses no postMessage. It can be set and forgotten; it is never read back whole.
   */
  readonly apiKey = keyControls(() => this.#keys);

  /** The embeddings endpoint's key (Settings → Embeddings), kept and read the same way. */
  readonly embeddingsKey = keyControls(() => this.#embeddingsKeys);

  readonly cache = {
    stats: (): Promise<CacheStats> => this.#guard((api) => api.cacheStats()),
    clear: (): Promise<void> => this.#guard((api) => api.clearCache()),
  };

  /** The on-device embedding model: its status and load progress, and a way to load it now (docs/embeddings.md). */
  readonly embeddingModel: EmbeddingModel;

  /** Told once per restart of the engine, with a message for the user. */
  onRestart(listener: (message: string) => void): () => void {
    this.#onRestart.add(listener);
    return () => this.#onRestart.delete(listener);
  }

  readonly debug = {
    /** Makes the DuckDB worker crash, as fault injection for tests and demos. */
    crashEngine: (): Promise<void> => this.#workers.api.injectFault('worker-error'),
    /** Heap size, calls in flight, queries running, and the number of workers this client owns. */
    engineStats: async (): Promise<EngineStats & { workers: number }> => ({
      ...(await this.#guard((api) => api.engineStats())),
      workers: 1 + this.#workers.modelWorkers.length + (this.#workers.embedder ? 1 : 0),
    }),
  };

  close(): void {
    const { api, worker, modelWorkers, embedder } = this.#workers;
    api[Comlink.releaseProxy]();
    worker.terminate();
    for (const w of modelWorkers) w.terminate();
    embedder?.worker.terminate();
  }

  #warnOnce(topic: string, message: string): void {
    if (this.#warned.has(topic)) return;
    this.#warned.add(topic);
    this.#warnings.push(message);
  }

  #watch(workers: Workers): void {
    void workers.died.then((error) => {
      if (this.#workers === workers) void this.#restart(error);
    });
  }

  /** Replaces a dead or trapped engine; concurrent callers share one restart. */
  #restart(cause: Error): Promise<void> {
    this.#restarting ??= (async () => {
      const old = this.#workers;
      old.worker.terminate();
      for (const w of old.modelWorkers) w.terminate();
      old.embedder?.worker.terminate();
      const workers = await startWorkers(this.embeddingModel.effective(this.#settings), this.#scope);
      this.#workers = workers;
      this.#watch(workers);
      const failed: string[] = [];
      for (const { input, options } of this.#loads) {
        await workers.api.load(toDataSource(input), { ...options, keep: false }).catch(() => failed.push(options.table));
      }
      const reloaded = this.#loads.length - failed.length;
      const message =
        `The query engine stopped (${cause.message}) and was restarted. ` +
        `${reloaded} loaded table${reloaded === 1 ? ' was' : 's were'} loaded again${failed.length ? `; could not reload ${failed.join(', ')}` : ''}, and kept tables come back when a query names them; ` +
        'cached answers are kept. Tables made with SQL statements in this session are gone.';
      for (const listener of this.#onRestart) listener(message);
    })().finally(() => {
      this.#restarting = null;
    });
    return this.#restarting;
  }

  /**
   * Runs a call on the current engine. Comlink never settles a call whose worker died, so the call
   * races the worker's death; a death or a wasm trap restarts the engine and fails the call clearly.
   * `models`: the call may reach the model workers, so it waits until they are attached.
   */
  async #guard<T>(call: (api: Comlink.Remote<DuckDbWorkerApi>) => Promise<T>, options: { models?: boolean } = {}): Promise<T> {
    if (this.#restarting) await this.#restarting;
    const workers = this.#workers;
    try {
      if (options.models) {
        await modelsOf(workers, this.#modelWorkerCount);
        this.embeddingModel.follow(workers);
      }
      return await raceDeath(workers, call(workers.api));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (workers.dead === null && !WASM_TRAP.test(message)) throw error;
      await this.#restart(error instanceof Error ? error : new Error(message));
      throw new Error(`${message} — the engine was restarted; run it again.`);
    }
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

/** Set, forget and hint at a stored key; it is never read back whole. */
function keyControls(store: () => KeyStore) {
  return {
    set: async (key: string): Promise<void> => {
      const trimmed = key.trim();
      if (trimmed === '') await store().forget();
      else await store().set(trimmed);
    },
    forget: (): Promise<void> => store().forget(),
    /** The last four characters of the stored key, for the settings form; null when none is set. */
    hint: async (): Promise<string | null> => {
      const key = await store().get();
      return key ? key.slice(-4) : null;
    },
  };
}
