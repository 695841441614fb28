import type { DataSource, LoadOptions, LoadProgress } from '../protocol/data-source';
import type { DuckDbWorkerApi } from '../protocol/duckdb-worker-api';
import { EngineRuntime, type EngineServiceDeps } from './engine-runtime';
import { EstimateStop } from './estimate/estimating-run';
import { QueryCancelledError } from './executor';
import { explainScript, runScript } from './run-script';

export type { BootContext, CallLog, EngineDatabase, EngineParts, EngineServiceDeps } from './engine-runtime';

/**
 * The DuckDB worker's API: each call handed to the unit that does it. Scripts run statement by
 * statement (src/engine/run-script.ts, src/engine/run-statement.ts); the model provider is the
 * provider connection the worker's entry built (src/llm/connection/provider-connection.ts); what
 * the engine holds between calls is its runtime (src/engine/engine-runtime.ts).
 */
export function createEngineService<R>(deps: EngineServiceDeps<R>): DuckDbWorkerApi {
  const runtime = new EngineRuntime(deps);
  const parts = async () => (await runtime.ready()).parts;
  return {
    async open(initial, storage) {
      const { db } = (await runtime.open(initial, storage)).parts;
      return { duckdbVersion: db.version, bundle: db.bundle };
    },
    async configure(next) {
      runtime.settings = next;
      if (runtime.booting) await (await parts()).connection.configure(next);
    },
    attachModelWorkers: async (ports) => (await parts()).connection.attach(ports),
    pendingBatches: async () => (await parts()).connection.pendingBatches(),
    cancelBatch: async (localId) => (await parts()).connection.cancelBatch(localId),
    query: (queryId, sql, onProgress) => runScript(runtime, queryId, sql, onProgress),
    async cancel(queryId) {
      runtime.running.get(queryId)?.abort(new QueryCancelledError('query cancelled'));
    },
    async stop(queryId) {
      runtime.running.get(queryId)?.abort(new EstimateStop('stopped'));
    },
    explain: (sql) => explainScript(runtime, sql),
    load: async (source: DataSource, options: LoadOptions, onProgress?: (progress: LoadProgress) => void) =>
      (await parts()).db.load(source, options, onProgress),
    tables: async () => (await parts()).db.tables(),
    operators: async () => (await runtime.ready()).catalog.infos(),
    cacheStats: async () => (await parts()).cache.stats(),
    clearCache: async () => (await parts()).cache.clear(),
    async callLog(queryId) {
      const { log } = await parts();
      const match = <T extends { query_id: string }>(rows: readonly T[]) => (queryId ? rows.filter((r) => r.query_id === queryId) : rows.slice());
      return { calls: match(log.calls), queries: match(log.queries), retainedQueries: log.retainedQueries };
    },
    async engineStats() {
      const { db, connection } = await parts();
      return { heapBytes: db.heapBytes(), inFlightCalls: connection.inFlight(), runningQueries: runtime.running.size };
    },
    async injectFault(kind) {
      if (kind === 'worker-error') runtime.crash();
    },
  };
}
