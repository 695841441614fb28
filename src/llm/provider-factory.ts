import type { ProviderFactory } from './llm-service';
import { createMockProvider } from './mock/mock-provider';

/**
 * The providers a model worker can run. `apiKey` reads the user's key where it is stored: the worker
 * reads it itself, per call, so it never crosses a postMessage (DESIGN.md, "Model calls").
 */
export function providerFactory(apiKey: () => Promise<string | undefined>): ProviderFactory {
  return async (settings, onRateLimitHeaders) => {
    switch (settings.provider) {
      case 'mock':
        return createMockProvider(settings.mock);
      case 'anthropic': {
        // Loaded on first use: the SDK is most of this worker's code, and the mock needs none of it.
        const { createAnthropicProvider } = await import('./anthropic/anthropic-provider');
        return createAnthropicProvider(settings.anthropic, { apiKey, onRateLimitHeaders });
      }
    }
  };
}
