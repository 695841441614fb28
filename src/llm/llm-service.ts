import type { CallResult, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import { checkAnswer } from './answer-check';
import { createMockProvider } from './mock/mock-provider';
import { DEFAULT_ENGINE_SETTINGS } from '../protocol/settings';
import { ProviderError, type Provider } from './provider';
import { keyStore } from '../storage/key-store';
import type { RateLimitHint } from './anthropic/rate-limit-headers';

export type ProviderFactory = (settings: ProviderSettings, onRateLimitHeaders: (hint: RateLimitHint) => void) => Provider | Promise<Provider>;

const defaultFactory: ProviderFactory = async (settings, onRateLimitHeaders) => {
  switch (settings.provider) {
    case 'mock':
      return createMockProvider(settings.mock);
    case 'anthropic': {
      // Loaded on first use: the SDK is most of this worker's code, and the mock needs none of it.
      const { createAnthropicProvider } = await import('./anthropic/anthropic-provider');
      // The worker reads the key from IndexedDB itself, per call: it never crosses a postMessage.
      return createAnthropicProvider(settings.anthropic, { apiKey: () => keyStore().get(), onRateLimitHeaders });
    }
  }
};

/** A model worker: one provider, many calls in flight, each cancellable by id. */
export function createLlmService(factory: ProviderFactory = defaultFactory): LlmWorkerApi {
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
  void configure({ provider: 'mock', mock: DEFAULT_ENGINE_SETTINGS.mock, anthropic: DEFAULT_ENGINE_SETTINGS.anthropic });

  return {
    configure,
    async call(callId, request): Promise<CallResult> {
      if (!provider) return { ok: false, error: (providerError as ProviderError).toInfo() };
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
