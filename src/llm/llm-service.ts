import type { CallResult, LlmWorkerApi, ProviderSettings } from '../protocol/llm-worker-api';
import { checkAnswer } from './answer-check';
import { createMockProvider } from './mock/mock-provider';
import { DEFAULT_ENGINE_SETTINGS } from '../protocol/settings';
import { ProviderError, type Provider } from './provider';

export type ProviderFactory = (settings: ProviderSettings) => Provider;

const defaultFactory: ProviderFactory = (settings) => {
  switch (settings.provider) {
    case 'mock':
      return createMockProvider(settings.mock);
    case 'anthropic':
      throw new ProviderError({ kind: 'bad_request', message: 'the Anthropic provider is not available in this build yet; choose the mock model in Settings' });
  }
};

/** A model worker: one provider, many calls in flight, each cancellable by id. */
export function createLlmService(factory: ProviderFactory = defaultFactory): LlmWorkerApi {
  let provider: Provider | null = null;
  let providerError: ProviderError | null = null;
  const inFlight = new Map<number, AbortController>();

  const configure = async (settings: ProviderSettings) => {
    try {
      provider = factory(settings);
      providerError = null;
    } catch (error) {
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
      try {
        const answer = checkAnswer(request, await provider.call(request, controller.signal));
        return { ok: true, answer };
      } catch (error) {
        const failure = error instanceof ProviderError ? error
          : controller.signal.aborted ? new ProviderError({ kind: 'cancelled', message: 'cancelled' })
          : new ProviderError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
        return { ok: false, error: failure.toInfo() };
      } finally {
        inFlight.delete(callId);
      }
    },
    async cancel(callId) {
      inFlight.get(callId)?.abort();
    },
  };
}
