import type { BatchApi } from '../protocol/batches';
import type { BatchReply, CallResult, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import type { RateLimitHint } from '../protocol/model';
import { checkAnswer } from './answer-check';
import { ProviderError, type Provider } from './provider';

export type ProviderFactory = (settings: ProviderSettings, onRateLimitHeaders: (hint: RateLimitHint) => void) => Provider | Promise<Provider>;

const NOT_CONFIGURED = new ProviderError({ kind: 'bad_request', message: 'the model worker has no provider yet (it was never configured)' });

/** A model worker: one provider (made by `factory` at each configure), many calls in flight, each cancellable by id. */
export function createLlmService(factory: ProviderFactory): LlmWorkerApi {
  let provider: Provider | null = null;
  let providerError: ProviderError | null = null;
  const inFlight = new Map<number, AbortController>();
  /**
   * The latest rate-limit headers, and a count of how many have arrived: a result carries them only
   * if they arrived while its call ran, so a stale hold (an hour-long reset seen earlier, or from
   * another provider before a reconfigure) is never delivered again.
   */
  let hint: RateLimitHint | undefined;
  let hints = 0;

  let generation = 0;
  /**
   * The latest configure, until it settles: calls wait for it, so one that arrives while the
   * factory still loads code (the SDK, on a busy machine) gets the new provider instead of "never
   * configured" (CI: a batch cancelled right after a reload failed that way).
   */
  let configuring: Promise<void> = Promise.resolve();
  const configure = (settings: ProviderSettings): Promise<void> => {
    configuring = apply(settings);
    return configuring;
  };
  const apply = async (settings: ProviderSettings) => {
    // Factories may load code first; only the latest configure may set the provider.
    const mine = ++generation;
    try {
      const next = await factory(settings, (h) => {
        hint = h;
        hints++;
      });
      if (mine !== generation) return;
      provider = next;
      providerError = null;
      hint = undefined;
    } catch (error) {
      if (mine !== generation) return;
      provider = null;
      providerError = error instanceof ProviderError ? error : new ProviderError({ kind: 'bad_request', message: String(error) });
    }
  };

  /** A batch operation on the provider's batch API, its failure returned as a value. */
  const viaBatches = async <T>(op: (api: BatchApi) => Promise<T>): Promise<BatchReply<T>> => {
    await configuring;
    if (!provider) return { ok: false, error: (providerError ?? NOT_CONFIGURED).toInfo() };
    if (!provider.batches) return { ok: false, error: { kind: 'bad_request', message: 'Message Batches (-- @ mode: batch) need the Anthropic provider; the mock model has no batch API' } };
    try {
      return { ok: true, value: await op(provider.batches) };
    } catch (error) {
      const failure = error instanceof ProviderError ? error : new ProviderError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
      return { ok: false, error: failure.toInfo() };
    }
  };

  return {
    configure,
    async call(callId, request): Promise<CallResult> {
      // Cancellable from the start, the wait for a configure included.
      const controller = new AbortController();
      inFlight.set(callId, controller);
      const seen = hints;
      const fresh = () => (hint && hints !== seen ? { rateLimit: hint } : {});
      try {
        await configuring;
        if (controller.signal.aborted) throw new ProviderError({ kind: 'cancelled', message: 'cancelled' });
        if (!provider) return { ok: false, error: (providerError ?? NOT_CONFIGURED).toInfo() };
        const answer = checkAnswer(request, await provider.call(request, controller.signal));
        return { ok: true, answer, ...fresh() };
      } catch (error) {
        const failure = error instanceof ProviderError ? error
          : controller.signal.aborted ? new ProviderError({ kind: 'cancelled', message: 'cancelled' })
          : new ProviderError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
        return { ok: false, error: failure.toInfo(), ...fresh() };
      } finally {
        inFlight.delete(callId);
      }
    },
    async cancel(callId) {
      inFlight.get(callId)?.abort();
    },
    batchSubmit: (items) => viaBatches((api) => api.submit(items)),
    batchStatus: (id) => viaBatches((api) => api.status(id)),
    batchResults: (id, items) => viaBatches((api) => api.results(id, items)),
    batchCancel: (id) => viaBatches((api) => api.cancel(id)),
    batchRecent: (since) => viaBatches((api) => api.recent(since)),
  };
}
