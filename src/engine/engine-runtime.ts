import type { AnswerCache } from '../cache/answer-cache';
import type { CallLogSink, CallRecord, QueryRecord } from '../protocol/call-log';
import type { DataSource, LoadedTable, LoadOptions, LoadProgress } from '../protocol/data-source';
import type { StorageScope, TableInfo } from '../protocol/duckdb-worker-api';
import type { ProviderConnection } from '../protocol/model-calls';
import type { ColumnarResult } from '../protocol/results';
import type { EngineSettings } from '../protocol/settings';
import type { OperatorDef } from '../sql';
import type { OperatorStore } from '../storage/operator-store';
import { embeddingHook } from './embedding-hooks';
import type { Database } from './executor';
import type { InflightRegistry } from './inflight-registry';
import { OperatorCatalog } from './operator-catalog';
import type { QueryRun } from './query-run';
import { semanticBatchFunction } from './semantic-udf';
import { WarningBoard } from './warning-board';

/** The DuckDB adapter, as the engine sees it (src/db implements it). */
export interface EngineDatabase<R> extends Database<R> {
  readonly version: string;
  readonly bundle: 'eh' | 'mvp';
  toColumnar(result: R): ColumnarResult;
  /** Registers `op`'s bridge UDF, answered by `fn`. */
  defineUdf(op: OperatorDef, fn: ReturnType<typeof semanticBatchFunction>): Promise<void>;
  load(source: DataSource, options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<LoadedTable>;
  tables(): TableInfo[];
  /** Runs a definition (the embedding hooks' macros) between statements. */
  define(sql: string): Promise<void>;
  /** Refuses, with a reason, a statement that needs an extension that cannot be reached. */
  ensureExtensions(sql: string): Promise<void>;
  heapBytes(): number;
}

/** The call log: the tables in DuckDB, and every row in memory for the client. */
export interface CallLog extends CallLogSink {
  readonly calls: readonly CallRecord[];
  readonly queries: readonly QueryRecord[];
  /** How many of the latest queries the log keeps. */
  readonly retainedQueries: number;
  flush(): void;
}

/** What a booted engine is made of; the DuckDB worker's entry builds it (workers/duckdb.worker.ts). */
export interface EngineParts<R> {
  db: EngineDatabase<R>;
  cache: AnswerCache;
  log: CallLog;
  operators: OperatorStore;
  registry: InflightRegistry;
  /** The model provider: identity, plans, sessions, Message Batches (src/llm/connection). */
  connection: ProviderConnection;
}

export interface BootContext {
  /** Warnings for the user, collected by the running query. */
  warn(message: string): void;
  /** The stores the engine uses: the app's own, or an embedding's namespace. */
  scope: StorageScope;
  settings: EngineSettings;
  /** The DuckDB adapter calls this with the query whose statement runs (null after it): the UDFs answer for it. */
  bindRun(run: QueryRun | null): void;
}

export interface EngineServiceDeps<R> {
  /** Boots DuckDB, the stores of the scope, and the provider connection. */
  boot(context: BootContext): Promise<EngineParts<R>>;
  defaults: EngineSettings;
  /** Makes the worker die as a crash would (fault injection for tests and demos). */
  crash(): void;
}

export interface Booted<R> {
  parts: EngineParts<R>;
  catalog: OperatorCatalog;
}

/**
 * What the DuckDB worker's engine holds between calls: the settings, the storage scope, the booted
 * parts and operators, the queries running, the user's open transaction, and the warnings board.
 * The query whose statement runs is handed to the bridge's UDFs from here, never through a global.
 */
export class EngineRuntime<R> {
  readonly warnings = new WarningBoard();
  readonly running = new Map<string, AbortController>();
  settings: EngineSettings;
  /** The user's BEGIN ... COMMIT is open on the connection. */
  inTransaction = false;
  #scope: StorageScope = { namespace: null, readsAppState: false };
  #booted: Promise<Booted<R>> | null = null;
  #active: QueryRun | null = null;
  readonly #deps: EngineServiceDeps<R>;

  constructor(deps: EngineServiceDeps<R>) {
    this.#deps = deps;
    this.settings = deps.defaults;
  }

  readonly warn = (message: string): void => this.warnings.warn(message);

  /** Opens the engine on `scope` with `settings`: the boot starts now. */
  open(settings: EngineSettings, scope: StorageScope): Promise<Booted<R>> {
    this.settings = settings;
    this.#scope = scope;
    return this.ready();
  }

  /** Where the engine's stores live (saved tables a statement keeps go there too). */
  get scope(): StorageScope {
    return this.#scope;
  }

  get booting(): boolean {
    return this.#booted !== null;
  }

  ready(): Promise<Booted<R>> {
    this.#booted ??= this.#boot();
    return this.#booted;
  }

  crash(): void {
    this.#deps.crash();
  }

  async #boot(): Promise<Booted<R>> {
    const parts = await this.#deps.boot({ warn: this.warn, scope: this.#scope, settings: this.settings, bindRun: (run) => (this.#active = run) });
    const activeRun = () => this.#active;
    const catalog = new OperatorCatalog(parts.operators, async (op) => {
      if (op.execution !== 'embeddings') return parts.db.defineUdf(op, semanticBatchFunction(op, activeRun));
      try {
        for (const step of embeddingHook(op)) {
          if (step.kind === 'bridge') await parts.db.defineUdf({ ...op, udf: step.udf }, semanticBatchFunction(op, activeRun));
          else for (const sql of step.sql) await parts.db.define(sql);
        }
      } catch (error) {
        // One operator that cannot be defined must not keep the engine from starting.
        this.warn(`${op.name}() is not available: ${(error as Error).message}`);
      }
    });
    await catalog.load(this.warn);
    return { parts, catalog };
  }
}
