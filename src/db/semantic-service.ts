import * as arrow from 'apache-arrow';
import * as Comlink from 'comlink';
import { AnswerCache } from '../cache/answer-cache';
import { indexedDbTier } from '../cache/persistent-tier';
import { executeQuery, QueryCancelledError } from '../engine/executor';
import { explainQuery } from '../engine/explain';
import type { QueryRun } from '../engine/query-run';
import { semanticBatchFunction } from '../engine/semantic-udf';
import { RateWindow } from '../llm/rate-window';
import { createWorkerCaller, type WorkerCaller } from '../llm/worker-caller';
import type { DataSource, LoadOptions } from '../protocol/data-source';
import type { DuckDbWorkerApi, ExplainResult, OperatorInfo, QueryResponse, TableInfo } from '../protocol/duckdb-worker-api';
import type { LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { ColumnarResult } from '../protocol/results';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../protocol/settings';
import { createRegistry, earlyLimitPlan, parseScript, SemanticSqlError, type OperatorDef, type ParsedStatement, type Registry } from '../sql';
import { indexedDbOperatorStore, type OperatorStore } from '../storage/operator-store';
import { arrowToColumnar } from './arrow-result';
import { CallLogTables } from './call-log-tables';
import { bootDuckDb, type DuckDbInstance } from './duckdb-instance';
import { explainEngineError } from './engine-errors';
import { ensureExtensionReachable } from './extension-guard';
import { loadData } from './load-data';

/** Arrow types by SQL return type. Float64 is passed by id: see the note in the bridge probe. */
const RETURN_TYPES: Record<OperatorDef['returns'], arrow.DataType> = {
  BOOLEAN: new arrow.Bool(),
  DOUBLE: { typeId: arrow.Type.Float64 } as unknown as arrow.DataType,
  VARCHAR: new arrow.Utf8(),
};

const ZERO_STATS: QueryStats = { passes: 0, calls: 0, cached: 0, errors: 0, attempts: 0, wall_ms: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };

function table(columns: string[], rows: unknown[][]): ColumnarResult {
  return {
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    values: columns.map((_, c) => rows.map((row) => row[c] ?? null)),
    rowCount: rows.length,
  };
}

interface Engine {
  db: DuckDbInstance;
  cache: AnswerCache;
  log: CallLogTables;
  operatorStore: OperatorStore;
}

/** The DuckDB worker: DuckDB, the bridge, the executor, the cache and the call log. */
export function createSemanticService(): DuckDbWorkerApi {
  let settings: EngineSettings = DEFAULT_ENGINE_SETTINGS;
  let registry: Registry = createRegistry();
  let engine: Promise<Engine> | null = null;
  let caller: WorkerCaller = createWorkerCaller([]);
  let rateWindow = rateWindowFor(settings);
  let active: QueryRun | null = null;
  const registered = new Set<string>();
  const running = new Map<string, AbortController>();
  const warnings: string[] = [];

  const register = (d: DuckDbInstance, op: OperatorDef) => {
    d.bridge.define(op.udf, semanticBatchFunction(op, () => active));
    if (registered.has(op.udf)) return;
    d.conn.createScalarFunction(op.udf, RETURN_TYPES[op.returns], () => null);
    registered.add(op.udf);
  };

  const boot = async (): Promise<Engine> => {
    const db = await bootDuckDb();
    const cache = new AnswerCache(safeTier(), { onWarning: (m) => warnings.push(m) });
    const log = new CallLogTables((sql) => void db.conn.query(sql));
    const operatorStore = indexedDbOperatorStore();
    const defs = await operatorStore.list().catch(() => []);
    for (const def of defs) {
      try {
        registry = registry.with(def);
      } catch (error) {
        warnings.push(`saved semantic function ${def.name} was not loaded: ${(error as Error).message}`);
      }
    }
    for (const op of registry.operators) register(db, op);
    return { db, cache, log, operatorStore };
  };
  const ready = () => (engine ??= boot());

  const runSql = (d: DuckDbInstance, sql: string): arrow.Table => {
    try {
      return d.conn.query(sql);
    } catch (error) {
      throw new Error(explainEngineError((error as Error).message, sql));
    } finally {
      d.bridge.release();
    }
  };

  const runPass = (d: DuckDbInstance) => (sql: string, run: QueryRun): arrow.Table => {
    active = run;
    try {
      // random() must give the same rows each pass, or the fixpoint never settles.
      runSql(d, 'SELECT setseed(0.5)');
      return runSql(d, sql);
    } finally {
      active = null;
    }
  };

  const execute = async (e: Engine, statement: ParsedStatement, source: string, queryId: string, signal: AbortSignal, onProgress?: (p: QueryProgress) => void) => {
    switch (statement.kind) {
      case 'passthrough':
        await ensureExtensionReachable(e.db, statement.sql);
        return { result: arrowToColumnar(runSql(e.db, statement.sql)), stats: ZERO_STATS };
      case 'query': {
        await ensureExtensionReachable(e.db, statement.sql);
        const plan = earlyLimitPlan(statement);
        const early = plan.eligible ? { limit: plan.limit, ...(statement.options.wave ? { wave: statement.options.wave } : {}) } : null;
        const out = await executeQuery({ runPass: runPass(e.db), rowCount: (t) => t.numRows, cache: e.cache, caller, log: e.log, rateWindow, pricing: settings.pricing }, { queryId, statement, settings, signal, onProgress, early });
        return { result: arrowToColumnar(out.result), stats: out.stats };
      }
      case 'explain': {
        const plan = await explainQuery({ runPass: runPass(e.db), cache: e.cache, pricing: settings.pricing }, statement, source, settings, queryId);
        return { result: explainTable(plan), stats: ZERO_STATS };
      }
      case 'create_function': {
        const def = statement.definition;
        if (registry.get(def.name) && !statement.orReplace) throw new Error(`semantic function ${def.name} already exists (use CREATE OR REPLACE SEMANTIC FUNCTION)`);
        registry = registry.without(def.name).with(def);
        register(e.db, registry.get(def.name) as OperatorDef);
        await e.operatorStore.save(def).catch((error: unknown) => warnings.push(`semantic function ${def.name} is defined for this session only: ${String(error)}`));
        return { result: table(['created'], [[def.name]]), stats: ZERO_STATS };
      }
      case 'drop_function': {
        const existing = registry.get(statement.name);
        if (!existing || existing.builtin) {
          if (statement.ifExists && !existing) return { result: table(['dropped'], []), stats: ZERO_STATS };
          throw new Error(existing ? `${statement.name} is a built-in operator and cannot be dropped` : `semantic function ${statement.name} does not exist`);
        }
        registry = registry.without(statement.name);
        await e.operatorStore.remove(statement.name).catch(() => {});
        return { result: table(['dropped'], [[statement.name]]), stats: ZERO_STATS };
      }
      case 'show_functions':
        return {
          result: table(['name', 'spellings', 'returns', 'shape', 'builtin', 'example'], operatorInfos(registry).map((o) => [o.name, o.spellings.join(', '), o.returns, o.shape, String(o.builtin), o.example])),
          stats: ZERO_STATS,
        };
    }
  };

  return {
    async open(initial) {
      settings = initial;
      rateWindow = rateWindowFor(initial);
      const { db } = await ready();
      return { duckdbVersion: db.version, bundle: db.bundle };
    },
    async configure(next) {
      settings = next;
      rateWindow = rateWindowFor(next);
      await caller.configure(providerSettings(next));
    },
    async attachModelWorkers(ports) {
      caller = createWorkerCaller(ports.map((port) => Comlink.wrap<LlmWorkerApi>(port)));
      await caller.configure(providerSettings(settings));
    },
    async query(queryId, sql, onProgress): Promise<QueryResponse> {
      const e = await ready();
      const controller = new AbortController();
      running.set(queryId, controller);
      const started = Date.now();
      let statements: ParsedStatement[] = [];
      try {
        statements = parseScript(sql, { registry });
        let last: { result: ColumnarResult; stats: QueryStats } = { result: table([], []), stats: ZERO_STATS };
        const total = { ...ZERO_STATS };
        for (const statement of statements) {
          last = await execute(e, statement, sql, queryId, controller.signal, onProgress);
          for (const k of Object.keys(total) as (keyof QueryStats)[]) total[k] += last.stats[k];
        }
        total.wall_ms = Date.now() - started;
        logQuery(e, queryId, sql, started, 'ok', total, null);
        return { queryId, result: last.result, stats: total, warnings: warnings.splice(0) };
      } catch (error) {
        const message = error instanceof SemanticSqlError ? error.format(sql) : (error as Error).message;
        logQuery(e, queryId, sql, started, error instanceof QueryCancelledError ? 'cancelled' : 'error', { ...ZERO_STATS, wall_ms: Date.now() - started }, message);
        const failure = new Error(message);
        failure.name = error instanceof Error ? error.name : 'Error';
        throw failure;
      } finally {
        running.delete(queryId);
        flushLog(e, warnings);
      }
    },
    async cancel(queryId) {
      running.get(queryId)?.abort(new QueryCancelledError('query cancelled'));
    },
    async explain(sql): Promise<ExplainResult> {
      const e = await ready();
      const statements = parseScript(sql, { registry });
      const statement = statements.find((s) => s.kind === 'query' || s.kind === 'explain');
      if (!statement || (statement.kind !== 'query' && statement.kind !== 'explain')) {
        return { sql, callSites: [], firstPass: { distinctInputs: 0, cached: 0, calls: 0 }, estimate: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, earlyLimit: { eligible: false, reason: 'no semantic operator' } };
      }
      return explainQuery({ runPass: runPass(e.db), cache: e.cache, pricing: settings.pricing }, statement, sql, settings, `explain_${Date.now().toString(36)}`);
    },
    async load(source: DataSource, options: LoadOptions) {
      return loadData((await ready()).db, source, options);
    },
    async tables(): Promise<TableInfo[]> {
      const { db } = await ready();
      const result = arrowToColumnar(
        db.conn.query(
          `SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
        ),
      );
      const byTable = new Map<string, TableInfo>();
      const [names = [], columns = [], types = []] = result.values;
      names.forEach((name, i) => {
        const key = String(name);
        const info = byTable.get(key) ?? { name: key, columns: [] };
        info.columns.push({ name: String(columns[i]), type: String(types[i]) });
        byTable.set(key, info);
      });
      return [...byTable.values()];
    },
    async operators() {
      return operatorInfos(registry);
    },
    async cacheStats() {
      return (await ready()).cache.stats();
    },
    async clearCache() {
      await (await ready()).cache.clear();
    },
    async callLog(queryId) {
      const { log } = await ready();
      const match = <T extends { query_id: string }>(rows: T[]) => (queryId ? rows.filter((r) => r.query_id === queryId) : rows.slice());
      return { calls: match(log.calls), queries: match(log.queries) };
    },
    async engineStats() {
      return { heapBytes: (await ready()).db.heapBytes(), inFlightCalls: caller.inFlight(), runningQueries: running.size };
    },
    async injectFault(kind) {
      if (kind === 'worker-error') {
        // Thrown outside any call, so it reaches the page as the worker's 'error' event.
        setTimeout(() => {
          throw new Error('semsql: engine crash injected');
        });
      }
    },
  };
}

/** Client-side per-minute limits apply to the real provider only; the mock has none. */
function rateWindowFor(s: EngineSettings): RateWindow | undefined {
  const { requestsPerMinute, tokensPerMinute } = s.anthropic;
  if (s.provider !== 'anthropic' || (requestsPerMinute === 0 && tokensPerMinute === 0)) return undefined;
  return new RateWindow({ requestsPerMinute, tokensPerMinute });
}

/** The call log must never fail a query: a failed write is reported once, and its rows stay in memory. */
function flushLog(e: Engine, warnings: string[]): void {
  try {
    e.log.flush();
  } catch (error) {
    if (!warnings.some((w) => w.startsWith('The call log'))) warnings.push(`The call log tables could not be written (${(error as Error).message}); callLog() still has every row.`);
  }
}

function providerSettings(s: EngineSettings): ProviderSettings {
  return { provider: s.provider, mock: s.mock, anthropic: s.anthropic };
}

function logQuery(e: Engine, queryId: string, sql: string, started: number, status: 'ok' | 'error' | 'cancelled', stats: QueryStats, error: string | null): void {
  e.log.query({
    query_id: queryId, sql, started_at: started, status, passes: stats.passes, calls: stats.calls, cache_hits: stats.cached,
    errors: stats.errors, wall_ms: stats.wall_ms, input_tokens: stats.input_tokens, output_tokens: stats.output_tokens, cost_usd: stats.cost_usd, error,
  });
}

function explainTable(plan: ExplainResult): ColumnarResult {
  const rows: unknown[][] = [['rewritten_sql', plan.sql]];
  for (const site of plan.callSites) rows.push(['call_site', `${site.operator} at line ${site.line}, column ${site.column}: ${site.text}`]);
  rows.push(
    ['first_pass_inputs', String(plan.firstPass.distinctInputs)],
    ['first_pass_cached', String(plan.firstPass.cached)],
    ['first_pass_calls', String(plan.firstPass.calls)],
    ['estimated_input_tokens', String(plan.estimate.inputTokens)],
    ['estimated_output_tokens', String(plan.estimate.outputTokens)],
    ['estimated_cost_usd', plan.estimate.costUsd.toFixed(6)],
    ['early_limit', plan.earlyLimit.eligible ? `yes: stops at the first pass that returns ${plan.earlyLimit.limit} rows` : `no: ${plan.earlyLimit.reason}`],
  );
  return table(['item', 'value'], rows);
}

function operatorInfos(registry: Registry): OperatorInfo[] {
  return registry.list().map((op) => ({
    name: op.name,
    spellings: [...op.spellings.infix.map((w) => w.join(' ')), ...op.spellings.functions.map((f) => `${f}(...)`)],
    args: op.args.map((a) => `${a.name} ${a.type}${a.optional ? '?' : ''}`),
    returns: op.returns,
    shape: op.shape,
    builtin: op.builtin,
    example: op.example,
    description: op.description,
    prompt: op.prompt,
  }));
}

/** IndexedDB may be missing (some private modes) or blocked; then the cache runs from memory. */
function safeTier() {
  try {
    return typeof indexedDB === 'undefined' ? null : indexedDbTier();
  } catch {
    return null;
  }
}
