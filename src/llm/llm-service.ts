import type { CallResult, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
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
  const configure = async (settings: ProviderSettings) => {
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

  return {
    configure,
    async call(callId, request): Promise<CallResult> {
      if (!provider) return { ok: false, error: (providerError ?? NOT_CONFIGURED).toInfo() };
      const controller = new AbortController();
      inFlight.set(callId, controller);
      const seen = hints;
      const fresh = () => (hint && hints !== seen ? { rateLimit: hint } : {});
      try {
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
  };
}
