import type { AnswerCache } from '../cache/answer-cache';
import type { BatchLedger } from '../protocol/batches';
import type { DataSource, LoadedTable, LoadOptions } from '../protocol/data-source';
import type { DuckDbWorkerApi, ExplainResult, QueryResponse, StorageScope, TableInfo } from '../protocol/duckdb-worker-api';
import type { ProviderSettings } from '../protocol/llm-worker-api';
import type { BatchApi, BatchRecord } from '../protocol/batches';
import type { CallScheduler } from '../protocol/model-calls';
import type { BatchDeps } from '../llm/scheduler/batch-session';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { ColumnarResult } from '../protocol/results';
import type { EngineSettings } from '../protocol/settings';
import { engineErrorInUserTerms, generatedQuery, parseScript, SemanticSqlError, type OperatorDef, type ParsedStatement } from '../sql';
import type { OperatorStore } from '../storage/operator-store';
import type { CallLogSink, CallRecord, QueryRecord } from '../protocol/call-log';
import { executeQuery, QueryCancelledError, type Database } from './executor';
import { BatchKeeper } from './batch-keeper';
import { embeddingHook } from './embedding-hooks';
import { explainQuery } from './explain';
import { explainTable } from './explain-table';
import { textTable } from './text-table';
import type { InflightRegistry } from './inflight-registry';
import { OperatorCatalog, spellingText } from './operator-catalog';
import type { QueryRun } from './query-run';
import { semanticBatchFunction } from './semantic-udf';
import { dispatch, transactionAfter } from './statement-dispatch';
import { WarningBoard } from './warning-board';

/** The DuckDB adapter, as the engine sees it (src/db implements it). */
export interface EngineDatabase<R> extends Database<R> {
  readonly version: string;
  readonly bundle: 'eh' | 'mvp';
  toColumnar(result: R): ColumnarResult;
  /** Registers `op`'s bridge UDF, answered by `fn`. */
  defineUdf(op: OperatorDef, fn: ReturnType<typeof semanticBatchFunction>): Promise<void>;
  load(source: DataSource, options: LoadOptions): Promise<LoadedTable>;
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

/** What a booted engine is made of; the worker's entry builds it (src/../workers/duckdb.worker.ts). */
export interface EngineParts<R> {
  db: EngineDatabase<R>;
  cache: AnswerCache;
  log: CallLog;
  operators: OperatorStore;
  registry: InflightRegistry;
  /** Message Batches not yet settled, kept across reloads. */
  ledger: BatchLedger;
  /** The query the bridge's UDFs answer for, while a statement runs. */
  activeRun(): QueryRun | null;
}

/** Model workers, as the engine configures them. */
export interface ModelWorkers {
  configure(settings: ProviderSettings): Promise<void>;
  /** The provider's batch API (an error for the mock). */
  batches: BatchApi;
}

export interface EngineServiceDeps<R> {
  /** Boots DuckDB and the stores of `scope` (the app's own, or an embedding's namespace). */
  boot(warn: (message: string) => void, scope: StorageScope): Promise<EngineParts<R>>;
  connectModelWorkers(ports: MessagePort[]): ModelWorkers;
  /** The scheduler of one provider connection: kept while the provider and endpoint stay the same. */
  createScheduler(settings: EngineSettings, workers: ModelWorkers | null, batches: BatchDeps | undefined): CallScheduler;
  defaults: EngineSettings;
  /** Makes the worker die as a crash would (fault injection for tests and demos). */
  crash(): void;
}

const ZERO_STATS: QueryStats = { passes: 0, calls: 0, cached: 0, errors: 0, attempts: 0, wall_ms: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, embedding_texts: 0, embedding_requests: 0 };

/**
 * Who answers, as it enters every cache key: the mock, or the provider and its endpoint, so an
 * answer is only served as the model that gave it (issue 14).
 */
export function providerIdentity(settings: Pick<EngineSettings, 'provider' | 'anthropic'>): string {
  if (settings.provider === 'mock') return 'mock';
  return `anthropic:${settings.anthropic.baseURL.trim().replace(/\/+$/, '') || 'https://api.anthropic.com'}`;
}


/** The DuckDB worker's API: statements dispatched, executed, explained, logged. */
export function createEngineService<R>(deps: EngineServiceDeps<R>): DuckDbWorkerApi {
  const warnings = new WarningBoard();
  const warn = (message: string) => warnings.warn(message);
  let settings = deps.defaults;
  let workers: ModelWorkers | null = null;
  let scheduler: { identity: string; scheduler: CallScheduler } | null = null;
  let inTransaction = false;
  const running = new Map<string, AbortController>();
  let engine: Promise<{ parts: EngineParts<R>; catalog: OperatorCatalog }> | null = null;
  let scope: StorageScope = { namespace: null, readsAppState: false };

  const ready = () =>
    (engine ??= (async () => {
      const parts = await deps.boot(warn, scope);
      const catalog = new OperatorCatalog(parts.operators, async (op) => {
        if (op.execution !== 'embeddings') return parts.db.defineUdf(op, semanticBatchFunction(op, parts.activeRun));
        try {
          for (const step of embeddingHook(op)) {
            if (step.kind === 'bridge') await parts.db.defineUdf({ ...op, udf: step.udf }, semanticBatchFunction(op, parts.activeRun));
            else for (const sql of step.sql) await parts.db.define(sql);
          }
        } catch (error) {
          // One operator that cannot be defined must not keep the engine from starting.
          warn(`${op.name}() is not available: ${(error as Error).message}`);
        }
      });
      await catalog.load(warn);
      return { parts, catalog };
    })());

  /**
   * The keeper of Message Batches no query follows (left by a reload, or by a cancelled query), for
   * the provider connection now: made once the model workers are attached, and made anew (resuming
   * that provider's batches) when the provider changes.
   */
  let keeper: { provider: string; keeper: BatchKeeper } | null = null;
  const keeperFor = (parts: EngineParts<R>): BatchKeeper | null => {
    if (!workers) return null;
    const provider = providerIdentity(settings);
    if (keeper?.provider !== provider) {
      keeper?.keeper.stop();
      const made = new BatchKeeper({
        ledger: parts.ledger, api: workers.batches, cache: parts.cache, log: parts.log, pricing: settings.pricing, provider: () => provider,
        onError: (message) => {
          console.warn(`semsql: ${message}`);
          warn(message);
        },
      });
      keeper = { provider, keeper: made };
      void made.resume().catch((error: unknown) => warn(`Pending Message Batches could not be resumed: ${(error as Error).message}`));
    }
    return keeper.keeper;
  };

  /**
   * One scheduler per provider connection, so what it learned about 429s outlives a query. Always
   * made with the batch API when there is one: one made first for EXPLAIN without it used to be
   * kept, and a batch query after it went direct, at twice the price.
   */
  const schedulerFor = (s: EngineSettings, parts: EngineParts<R>): CallScheduler => {
    const identity = `${providerIdentity(s)}|${s.anthropic.requestsPerMinute}|${s.anthropic.tokensPerMinute}|${s.anthropic.maxTokens}`;
    if (scheduler?.identity !== identity) {
      const kept = keeperFor(parts);
      const batches = workers && kept ? { api: workers.batches, ledger: parts.ledger, onAbandon: (record: BatchRecord) => void kept.adopt(record) } : undefined;
      scheduler = { identity, scheduler: deps.createScheduler(s, workers, batches) };
    }
    return scheduler.scheduler;
  };

  const execute = async (parts: EngineParts<R>, catalog: OperatorCatalog, statement: ParsedStatement, source: string, queryId: string, signal: AbortSignal, onProgress?: (p: QueryProgress) => void): Promise<{ result: ColumnarResult; stats: QueryStats }> => {
    const action = dispatch(statement, { registry: catalog.registry, inTransaction });
    switch (action.kind) {
      case 'refuse':
        throw new Error(action.message);
      case 'list':
        return {
          result: textTable(['name', 'spellings', 'returns', 'shape', 'builtin', 'example'], catalog.infos().map((o) => [o.name, spellingText(o), o.returns, o.shape, String(o.builtin), o.example])),
          stats: ZERO_STATS,
        };
      case 'define':
        await catalog.define(action.definition, action.registry, warn);
        return { result: textTable(['created'], [[action.definition.name]]), stats: ZERO_STATS };
      case 'drop':
        if (!action.registry) return { result: textTable(['dropped'], []), stats: ZERO_STATS };
        await catalog.drop(action.name, action.registry);
        return { result: textTable(['dropped'], [[action.name]]), stats: ZERO_STATS };
      case 'explain': {
        if (statement.kind !== 'explain') throw new Error('EXPLAIN SEMANTIC without a statement');
        const plan = await explainQuery({ db: parts.db, cache: parts.cache, pricing: settings.pricing, scheduler: schedulerFor(settings, parts) }, statement, source, settings, providerIdentity(settings), queryId);
        return { result: explainTable(plan), stats: ZERO_STATS };
      }
      case 'transaction': {
        let ok = false;
        try {
          const result = await parts.db.exclusive((run) => run(statement.kind === 'passthrough' || statement.kind === 'query' ? statement.sql : '', null, signal));
          ok = true;
          return { result: parts.db.toColumnar(result), stats: ZERO_STATS };
        } finally {
          inTransaction = transactionAfter(action.action, ok, inTransaction);
        }
      }
      case 'execute': {
        if (statement.kind !== 'query' && statement.kind !== 'passthrough') throw new Error(`cannot execute a ${statement.kind} statement`);
        await parts.db.ensureExtensions(statement.sql);
        const kept = keeperFor(parts);
        const out = await executeQuery(
          {
            db: parts.db, cache: parts.cache, scheduler: schedulerFor(settings, parts), registry: parts.registry, log: parts.log, pricing: settings.pricing,
            ...(catalog.registry.get('embed') ? { proxy: catalog.registry.get('embed') as OperatorDef } : {}),
            ...(kept ? { heldByBatch: (keys: readonly string[]) => kept.held(keys) } : {}),
          },
          {
            queryId,
            statement: { sql: statement.sql, options: statement.options, effect: statement.effect, ...(statement.kind === 'query' ? { callSites: statement.callSites } : {}) },
            settings,
            provider: providerIdentity(settings),
            signal,
            early: action.early,
            inTransaction: action.inTransaction,
            source: statement.text,
            ...(onProgress ? { onProgress } : {}),
          },
        );
        if (statement.kind === 'query' && statement.generatesQuery === true) {
          // ASK_DATA: the answer is a query the model wrote; checked to be one read-only query, it runs here.
          const written = generatedQuery(String(parts.db.toColumnar(out.result).values[0]?.[0] ?? ''), catalog.registry);
          const ran = await execute(parts, catalog, written, written.text, queryId, signal, onProgress).catch((error: unknown) => {
            throw new Error(`ASK_DATA: the query the model wrote failed (${(error as Error).message}): ${written.text}`);
          });
          const stats = { ...ran.stats };
          addStats(stats, out.stats);
          return { result: ran.result, stats };
        }
        return { result: parts.db.toColumnar(out.result), stats: out.stats };
      }
    }
  };

  return {
    async open(initial, storage) {
      settings = initial;
      scope = storage;
      const { parts } = await ready();
      return { duckdbVersion: parts.db.version, bundle: parts.db.bundle };
    },
    async configure(next) {
      settings = next;
      await workers?.configure(providerSettings(next));
      if (engine && workers) keeperFor((await ready()).parts);
    },
    async attachModelWorkers(ports) {
      workers = deps.connectModelWorkers(ports);
      scheduler = null;
      keeper?.keeper.stop();
      keeper = null;
      await workers.configure(providerSettings(settings));
      // Batches a reload left behind are followed from the start, not only when a query meets them.
      if (engine) keeperFor((await ready()).parts);
    },
    async pendingBatches() {
      const { parts } = await ready();
      return keeperFor(parts)?.list() ?? [];
    },
    async cancelBatch(localId) {
      const { parts } = await ready();
      await keeperFor(parts)?.cancel(localId);
    },
    async query(queryId, sql, onProgress): Promise<QueryResponse> {
      const { parts, catalog } = await ready();
      const controller = new AbortController();
      running.set(queryId, controller);
      warnings.begin(queryId);
      const started = Date.now();
      let response: QueryResponse | undefined;
      try {
        const statements = parseScript(sql, { registry: catalog.registry });
        let last: { result: ColumnarResult; stats: QueryStats } = { result: textTable([], []), stats: ZERO_STATS };
        const total = { ...ZERO_STATS };
        for (const statement of statements) {
          // DuckDB's errors about what semsql ran are told in the user's terms (src/sql/engine-error.ts).
          last = await execute(parts, catalog, statement, sql, queryId, controller.signal, onProgress).catch((error: unknown) => {
            throw engineErrorInUserTerms(error, 'sourceMap' in statement ? statement : { sql: '' }, sql);
          });
          addStats(total, last.stats);
        }
        total.wall_ms = Date.now() - started;
        logQuery(parts.log, queryId, sql, started, 'ok', total, null);
        response = { queryId, result: last.result, stats: total, warnings: [] };
      } catch (error) {
        const cancelled = error instanceof QueryCancelledError || controller.signal.aborted;
        const message = error instanceof SemanticSqlError ? error.format(sql) : cancelled && !(error instanceof QueryCancelledError) ? 'query cancelled' : (error as Error).message;
        logQuery(parts.log, queryId, sql, started, cancelled ? 'cancelled' : 'error', { ...ZERO_STATS, wall_ms: Date.now() - started }, message);
        const failure = new Error(message);
        failure.name = cancelled ? 'AbortError' : error instanceof Error ? error.name : 'Error';
        throw failure;
      } finally {
        running.delete(queryId);
        flushLog(parts.log, warn);
        const mine = warnings.end(queryId);
        if (response) response.warnings = mine;
      }
      return response;
    },
    async cancel(queryId) {
      running.get(queryId)?.abort(new QueryCancelledError('query cancelled'));
    },
    async explain(sql): Promise<ExplainResult> {
      const { parts, catalog } = await ready();
      // The first statement that may call operators: one with operators written in it, or one that
      // reads a view or macro holding them.
      const statement = parseScript(sql, { registry: catalog.registry }).find((s) => s.kind === 'query' || s.kind === 'explain' || (s.kind === 'passthrough' && s.effect.kind !== 'transaction'));
      if (!statement || (statement.kind !== 'query' && statement.kind !== 'explain' && statement.kind !== 'passthrough')) {
        return {
          sql, callSites: [], firstPass: { distinctInputs: 0, cached: 0, calls: 0 }, complete: true, operators: [],
          estimate: { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, estimatedMs: 0 }, requests: [], cascades: [], limits: schedulerFor(settings, parts).limits(), earlyLimit: { eligible: false, reason: 'no semantic operator' },
        };
      }
      const explained = statement.kind === 'passthrough' ? { ...statement, callSites: [] } : statement;
      return explainQuery({ db: parts.db, cache: parts.cache, pricing: settings.pricing, scheduler: schedulerFor(settings, parts) }, explained, sql, settings, providerIdentity(settings), `explain_${Date.now().toString(36)}`);
    },
    async load(source: DataSource, options: LoadOptions) {
      return (await ready()).parts.db.load(source, options);
    },
    async tables() {
      return (await ready()).parts.db.tables();
    },
    async operators() {
      return (await ready()).catalog.infos();
    },
    async cacheStats() {
      return (await ready()).parts.cache.stats();
    },
    async clearCache() {
      await (await ready()).parts.cache.clear();
    },
    async callLog(queryId) {
      const { log } = (await ready()).parts;
      const match = <T extends { query_id: string }>(rows: readonly T[]) => (queryId ? rows.filter((r) => r.query_id === queryId) : rows.slice());
      return { calls: match(log.calls), queries: match(log.queries), retainedQueries: log.retainedQueries };
    },
    async engineStats() {
      const { parts } = await ready();
      return { heapBytes: parts.db.heapBytes(), inFlightCalls: scheduler?.scheduler.inFlight() ?? 0, runningQueries: running.size };
    },
    async injectFault(kind) {
      if (kind === 'worker-error') deps.crash();
    },
  };
}

/** The call log must never fail a query: a failed write is reported once, and its rows stay in memory. */
function flushLog(log: CallLog, warn: (message: string) => void): void {
  try {
    log.flush();
  } catch (error) {
    warn(`The call log tables could not be written (${(error as Error).message}); callLog() still has every row.`);
  }
}

function providerSettings(s: EngineSettings): ProviderSettings {
  return { provider: s.provider, mock: s.mock, anthropic: s.anthropic, embeddings: s.embeddings };
}

function logQuery(log: CallLog, queryId: string, sql: string, started: number, status: 'ok' | 'error' | 'cancelled', stats: QueryStats, error: string | null): void {
  log.query({
    query_id: queryId, sql, started_at: started, status, passes: stats.passes, calls: stats.calls, cache_hits: stats.cached,
    errors: stats.errors, wall_ms: stats.wall_ms, input_tokens: stats.input_tokens, output_tokens: stats.output_tokens, cost_usd: stats.cost_usd, error,
    embedding_texts: stats.embedding_texts, embedding_requests: stats.embedding_requests,
  });
}

const COUNTS = ['passes', 'calls', 'cached', 'errors', 'attempts', 'wall_ms', 'input_tokens', 'output_tokens', 'cost_usd', 'embedding_texts', 'embedding_requests'] as const satisfies readonly (keyof QueryStats)[];

/** Adds a statement's stats to a total: counts add up, cascade reports are listed. */
function addStats(total: QueryStats, more: QueryStats): void {
  for (const k of COUNTS) total[k] += more[k];
  if (more.cascades) total.cascades = [...(total.cascades ?? []), ...more.cascades];
}
