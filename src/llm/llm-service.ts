import type { BatchApi } from '../protocol/batches';
import type { BatchReply, CallResult, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import type { RateLimitHint } from '../protocol/model';
import { checkAnswer } from './answer-check';
import { ProviderError, type Provider } from './provider';

export type ProviderFactory = (settings: ProviderSettings, onRateLimitHeaders: (hint: RateLimitHint) => void) => Provider | Promise<Provider>;

const NOT_CONFIGURED = new ProviderError({ kind: 'bad_request', message: 'the model worker has no provider yet (it was never configured)' });

/**
 * The provider a model worker answers with: made by `factory` at each configure. Calls wait for a
 * configure under way, so one that arrives while the factory still loads code (the SDK, on a busy
 * machine) gets the new provider instead of "never configured" (CI: a batch cancelled right after
 * a reload failed that way).
 */
class ConfiguredProvider {
  #provider: Provider | null = null;
  #error: ProviderError | null = null;
  #generation = 0;
  #configuring: Promise<void> = Promise.resolve();
  /**
   * The latest rate-limit headers, and a count of how many have arrived: a result carries them only
   * if they arrived while its call ran, so a stale hold (an hour-long reset seen earlier, or from
   * another provider before a reconfigure) is never delivered again.
   */
  #hint: RateLimitHint | undefined;
  #hints = 0;

  constructor(readonly factory: ProviderFactory) {}

  configure(settings: ProviderSettings): Promise<void> {
    this.#configuring = this.#apply(settings);
    return this.#configuring;
  }

  /** The provider once the latest configure has settled, or why there is none. */
  async ready(): Promise<Provider | ProviderError> {
    await this.#configuring;
    return this.#provider ?? this.#error ?? NOT_CONFIGURED;
  }

  /** A mark to pass to `freshHint`: headers that arrive after it belong to the call that took it. */
  get hintMark(): number {
    return this.#hints;
  }

  freshHint(mark: number): { rateLimit: RateLimitHint } | Record<string, never> {
    return this.#hint && this.#hints !== mark ? { rateLimit: this.#hint } : {};
  }

  async #apply(settings: ProviderSettings): Promise<void> {
    // Factories may load code first; only the latest configure may set the provider.
    const mine = ++this.#generation;
    try {
      const next = await this.factory(settings, (h) => {
        this.#hint = h;
        this.#hints++;
      });
      if (mine !== this.#generation) return;
      this.#provider = next;
      this.#error = null;
      this.#hint = undefined;
    } catch (error) {
      if (mine !== this.#generation) return;
      this.#provider = null;
      this.#error = error instanceof ProviderError ? error : new ProviderError({ kind: 'bad_request', message: String(error) });
    }
  }
}

/** A model worker: one provider (made by `factory` at each configure), many calls in flight, each cancellable by id. */
export function createLlmService(factory: ProviderFactory): LlmWorkerApi {
  const slot = new ConfiguredProvider(factory);
  const inFlight = new Map<number, AbortController>();

  /** A batch operation on the provider's batch API, its failure returned as a value. */
  const viaBatches = async <T>(op: (api: BatchApi) => Promise<T>): Promise<BatchReply<T>> => {
    const provider = await slot.ready();
    if (provider instanceof ProviderError) return { ok: false, error: provider.toInfo() };
    if (!provider.batches) return { ok: false, error: { kind: 'bad_request', message: 'this provider has no batch API: run without "-- @ mode: batch"' } };
    try {
      return { ok: true, value: await op(provider.batches) };
    } catch (error) {
      const failure =
        error instanceof ProviderError ? error : new ProviderError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
      return { ok: false, error: failure.toInfo() };
    }
  };

  return {
    configure: (settings) => slot.configure(settings),
    async call(callId, request): Promise<CallResult> {
      // Cancellable from the start, the wait for a configure included.
      const controller = new AbortController();
      inFlight.set(callId, controller);
      const mark = slot.hintMark;
      const fresh = () => slot.freshHint(mark);
      try {
        const provider = await slot.ready();
        if (controller.signal.aborted) throw new ProviderError({ kind: 'cancelled', message: 'cancelled' });
        if (provider instanceof ProviderError) return { ok: false, error: provider.toInfo() };
        const answer = checkAnswer(request, await provider.call(request, controller.signal));
        return { ok: true, answer, ...fresh() };
      } catch (error) {
        const failure =
          error instanceof ProviderError
            ? error
            : controller.signal.aborted
              ? new ProviderError({ kind: 'cancelled', message: 'cancelled' })
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
