import type * as arrow from 'apache-arrow';
import * as Comlink from 'comlink';
import { AnswerCache } from '../src/cache/answer-cache';
import { indexedDbTier, layeredTier, type PersistentTier } from '../src/cache/persistent-tier';
import { CallLogTables } from '../src/db/call-log-tables';
import { bootDuckDb } from '../src/db/duckdb-instance';
import { createEngineDatabase } from '../src/db/engine-database';
import { createEngineService } from '../src/engine/engine-service';
import { keepingTables } from '../src/engine/kept-tables';
import { InflightRegistry } from '../src/engine/inflight-registry';
import type { QueryRun } from '../src/engine/query-run';
import { createProviderConnection } from '../src/llm/connection/provider-connection';
import { createWorkerCaller } from '../src/llm/worker-caller';
import type { LlmWorkerApi } from '../src/protocol/llm-worker-api';
import { DEFAULT_ENGINE_SETTINGS } from '../src/client/default-settings';
import type { StorageScope } from '../src/protocol/duckdb-worker-api';
import { batchLedgerFor } from '../src/storage/batch-ledger';
import { operatorStoreFor } from '../src/storage/operator-store';
import { savedTablesFor } from '../src/storage/saved-tables';
import { scopedDatabase } from '../src/storage/scope';
import { createStore } from 'idb-keyval';

/**
 * The DuckDB worker's composition root: DuckDB and its adapter, the answer cache and call log, the
 * user's operators, the in-flight registry (Web Locks, shared by every tab of the origin), and the
 * provider connection over the model workers, wired into the engine service that the page reaches
 * over Comlink. Nothing here is kept between calls: the engine and the connection own their state.
 */
const service = createEngineService<arrow.Table>({
  defaults: DEFAULT_ENGINE_SETTINGS,
  async boot({ warn, scope, settings, bindRun }) {
    const duck = await bootDuckDb();
    const db = createEngineDatabase<QueryRun>(duck, bindRun);
    const cache = new AnswerCache(safeTier(scope), { onWarning: warn });
    const log = new CallLogTables(db.side);
    const ledger = batchLedgerFor(scope);
    return {
      db,
      cache,
      log,
      operators: operatorStoreFor(scope),
      // Locks are per namespace: a waiter reads the answer from its own scope's store.
      registry: new InflightRegistry(self.navigator.locks ?? null, scope.namespace ?? ''),
      connection: createProviderConnection({
        settings,
        connect: (ports) => createWorkerCaller(ports.map((port) => Comlink.wrap<LlmWorkerApi>(port))),
        ledger,
        answers: cache,
        log,
        warn,
      }),
    };
  },
  crash() {
    // Thrown outside any call, so it reaches the page as the worker's 'error' event.
    setTimeout(() => {
      throw new Error('semsql: engine crash injected');
    });
  },
});

// Loaded tables are kept and restored below every entry point (src/engine/kept-tables.ts).
Comlink.expose(keepingTables(service, savedTablesFor));

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
