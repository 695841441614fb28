import type * as Comlink from 'comlink';
import type { BatchApi } from '../protocol/batches';
import type { BatchReply, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import type { RateLimitHint } from '../protocol/model';
import { ProviderError } from './provider';
import type { AttemptCaller } from './scheduler/direct-lane';

export interface WorkerCaller extends AttemptCaller {
  /** The provider's batch API, through the first model worker. */
  batches: BatchApi;
  /**
   * Rate-limit headers as they arrive with results, and null for a response that carried none (an
   * endpoint without limits); returns the unsubscribe function.
   */
  onRateLimit(listener: (hint: RateLimitHint | null) => void): () => void;
  configure(settings: ProviderSettings): Promise<void>;
}

/**
 * Spreads calls over the model workers, each to the one with the fewest in flight. A cancelled
 * signal is forwarded to the worker holding the call, which aborts it there.
 */
export function createWorkerCaller(remotes: Comlink.Remote<LlmWorkerApi>[]): WorkerCaller {
  const workers = remotes.map((remote) => ({ remote, inFlight: 0 }));
  let nextId = 0;
  const listeners = new Set<(hint: RateLimitHint | null) => void>();
  const viaFirst = async <T>(op: (remote: Comlink.Remote<LlmWorkerApi>) => Promise<BatchReply<T>>): Promise<T> => {
    const first = workers[0];
    if (!first) throw new ProviderError({ kind: 'bad_request', message: 'no model workers are attached' });
    const reply = await op(first.remote);
    if (!reply.ok) throw new ProviderError(reply.error);
    return reply.value;
  };
  return {
    batches: {
      submit: (items) => viaFirst((r) => r.batchSubmit([...items])),
      status: (id) => viaFirst((r) => r.batchStatus(id)),
      results: (id, items) => viaFirst((r) => r.batchResults(id, [...items])),
      cancel: (id) => viaFirst((r) => r.batchCancel(id)),
      recent: (since) => viaFirst((r) => r.batchRecent(since)),
    },
    onRateLimit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inFlight: () => workers.reduce((n, w) => n + w.inFlight, 0),
    async configure(settings) {
      await Promise.all(workers.map((w) => w.remote.configure(settings)));
    },
    async call(request, signal) {
      const worker = workers.reduce<(typeof workers)[number] | undefined>((best, w) => (!best || w.inFlight < best.inFlight ? w : best), undefined);
      if (!worker) throw new ProviderError({ kind: 'bad_request', message: 'no model workers are attached' });
      const id = ++nextId;
      const onAbort = () => void worker.remote.cancel(id);
      worker.inFlight++;
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await worker.remote.call(id, request);
        // An answer or an HTTP error is a response; a network error or a timeout says nothing of headers.
        const responded = result.ok || result.error.status !== undefined;
        if (result.rateLimit || responded) for (const listener of listeners) listener(result.rateLimit ?? null);
        if (!result.ok) throw new ProviderError(result.error);
        return result.answer;
      } finally {
        signal.removeEventListener('abort', onAbort);
        worker.inFlight--;
      }
    },
  };
}
