import { createProviderConnection } from '../../src/llm/connection/provider-connection';
import { ProviderError } from '../../src/llm/provider';
import type { AttemptCaller } from '../../src/llm/scheduler/call-scheduler';
import type { WorkerCaller } from '../../src/llm/worker-caller';
import type { BatchApi, BatchLedger } from '../../src/protocol/batches';
import type { CallLogSink } from '../../src/protocol/call-log';
import type { AnswerStore, ProviderConnection } from '../../src/protocol/model-calls';
import type { EngineSettings } from '../../src/protocol/settings';

const NO_BATCHES: BatchApi = {
  submit: () => Promise.reject(new ProviderError({ kind: 'bad_request', message: 'no batch API in this test' })),
  status: () => Promise.reject(new ProviderError({ kind: 'bad_request', message: 'no batch API in this test' })),
  results: async () => [],
  cancel: () => Promise.reject(new ProviderError({ kind: 'bad_request', message: 'no batch API in this test' })),
  recent: async () => [],
};

/** A ledger in memory, as src/storage/batch-ledger.ts keeps one in IndexedDB. */
export function memoryLedger(): BatchLedger {
  const records = new Map<string, Parameters<BatchLedger['put']>[0]>();
  return {
    put: async (record) => void records.set(record.localId, structuredClone(record)),
    list: async () => [...records.values()].map((r) => structuredClone(r)),
    remove: async (localId) => void records.delete(localId),
    async holding(keys) {
      const wanted = new Set(keys);
      const out = new Map<string, string>();
      for (const r of records.values()) for (const item of r.items) for (const row of item.request.rows) if (wanted.has(row.key)) out.set(row.key, r.localId);
      return out;
    },
  };
}

/**
 * The real provider connection over a fake model: `caller` answers each attempt (as the model
 * workers would), `batches` the Message Batches (none by default).
 */
export function testConnection(
  caller: AttemptCaller,
  settings: EngineSettings,
  parts: { log?: CallLogSink; answers?: AnswerStore; batches?: BatchApi; ledger?: BatchLedger } = {},
): ProviderConnection {
  const worker: WorkerCaller = {
    call: (request, signal) => caller.call(request, signal),
    inFlight: () => caller.inFlight(),
    batches: parts.batches ?? NO_BATCHES,
    onRateLimit: () => () => {},
    configure: async () => {},
  };
  const connection = createProviderConnection({
    settings,
    connect: () => worker,
    ledger: parts.ledger ?? memoryLedger(),
    answers: parts.answers ?? { put: () => {}, flush: async () => {} },
    log: parts.log ?? { call: () => {}, query: () => {} },
    warn: () => {},
  });
  // The caller is in place at once; configuring it is a no-op here.
  void connection.attach([]);
  return connection;
}
