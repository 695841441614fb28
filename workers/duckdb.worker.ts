import type * as arrow from 'apache-arrow';
import * as Comlink from 'comlink';
import { AnswerCache } from '../src/cache/answer-cache';
import { indexedDbTier, layeredTier, type PersistentTier } from '../src/cache/persistent-tier';
import { CallLogTables } from '../src/db/call-log-tables';
import { bootDuckDb } from '../src/db/duckdb-instance';
import { createEngineDatabase } from '../src/db/engine-database';
import { createEngineService } from '../src/engine/engine-service';
import { InflightRegistry } from '../src/engine/inflight-registry';
import type { QueryRun } from '../src/engine/query-run';
import { AdaptiveLimit } from '../src/llm/scheduler/adaptive-limit';
import { createCallScheduler } from '../src/llm/scheduler/call-scheduler';
import { providerLimitsFor, type ProviderLimits } from '../src/llm/scheduler/provider-limits';
import { createWorkerCaller, type WorkerCaller } from '../src/llm/worker-caller';
import type { LlmWorkerApi } from '../src/protocol/llm-worker-api';
import { DEFAULT_ENGINE_SETTINGS } from '../src/client/default-settings';
import type { StorageScope } from '../src/protocol/duckdb-worker-api';
import { batchLedgerFor } from '../src/storage/batch-ledger';
import { operatorStoreFor } from '../src/storage/operator-store';
import { scopedDatabase } from '../src/storage/scope';
import { createStore } from 'idb-keyval';

/**
 * The DuckDB worker's composition root: DuckDB and its adapter, the answer cache and call log, the
 * user's operators, the in-flight registry (Web Locks, shared by every tab of the origin), and the
 * model workers behind one scheduler per provider connection, wired into the engine service that
 * the page reaches over Comlink.
 */

/** The query whose statement is running: the bridge's UDFs answer for it. */
let active: QueryRun | null = null;
let caller: WorkerCaller = createWorkerCaller([]);
/** The current scheduler's concurrency limit and per-minute limits, which rate-limit headers from any model worker adjust. */
let limit: AdaptiveLimit | null = null;
let limits: ProviderLimits | undefined;

const service = createEngineService<arrow.Table>({
  defaults: DEFAULT_ENGINE_SETTINGS,
  async boot(warn, scope) {
    const duck = await bootDuckDb();
    const db = createEngineDatabase<QueryRun>(duck, (run) => {
      active = run;
    });
    return {
      db,
      cache: new AnswerCache(safeTier(scope), { onWarning: warn }),
      log: new CallLogTables(db.side),
      operators: operatorStoreFor(scope),
      // Locks are per namespace: a waiter reads the answer from its own scope's store.
      registry: new InflightRegistry(self.navigator.locks ?? null, scope.namespace ?? ''),
      ledger: batchLedgerFor(scope),
      activeRun: () => active,
    };
  },
  connectModelWorkers(ports) {
    caller = createWorkerCaller(ports.map((port) => Comlink.wrap<LlmWorkerApi>(port)));
    caller.onRateLimit((hint) => {
      limit?.onHint(hint);
      limits?.observe(hint);
    });
    return caller;
  },
  createScheduler(settings, _workers, batches) {
    limit = new AdaptiveLimit({ max: settings.parallel, min: Math.ceil(settings.parallel / 4) });
    limits = providerLimitsFor(settings);
    // The context of the models semsql offers (Claude 4.x: 200k tokens).
    return createCallScheduler({ caller, limit, limits, sizing: { maxTokensPerRow: settings.anthropic.maxTokens, contextTokens: 200_000 }, ...(batches ? { batches } : {}) });
  },
  crash() {
    // Thrown outside any call, so it reaches the page as the worker's 'error' event.
    setTimeout(() => {
      throw new Error('semsql: engine crash injected');
    });
  },
});

Comlink.expose(service);

/**
 * The scope's answers, over the app's own for a host the user allowed. IndexedDB may be missing (some
 * private modes) or blocked; then the cache runs from memory.
 */
function safeTier(scope: StorageScope): PersistentTier | null {
  try {
    if (typeof indexedDB === 'undefined') return null;
    if (scope.namespace === null) return indexedDbTier();
    const own = indexedDbTier(createStore(scopedDatabase('semsql-cache', scope), 'answers'));
    return scope.readsAppState ? layeredTier(own, indexedDbTier()) : own;
  } catch {
    return null;
  }
}
