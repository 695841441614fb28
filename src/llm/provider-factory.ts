import type { EmbeddingsSettings } from '../protocol/settings';
import { withEmbeddings } from './embeddings/embedding-answers';
import type { Embedder } from './embeddings/embedder';
import { mockEmbedder } from './embeddings/mock-embedder';
import { onDeviceEmbedder } from './embeddings/on-device-embedder';
import { openAiEmbedder } from './embeddings/openai-embedder';
import type { EmbedderWorkerApi } from '../protocol/embedder';
import type { ProviderFactory } from './llm-service';
import { createMockProvider } from './mock/mock-provider';
import type { Provider } from './provider';

/**
 * The providers a model worker can run, each with the embedder the settings name answering the
 * embedding operators. The keys are read where they are stored: the worker reads them itself, per
 * call, so they never cross a postMessage (docs/design.md, "Model calls").
 */
export function providerFactory(
  apiKey: () => Promise<string | undefined>,
  embeddingsKey: () => Promise<string | undefined> = async () => undefined,
  onDevice: () => Pick<EmbedderWorkerApi, 'embed'> | null = () => null,
): ProviderFactory {
  return async (settings, onRateLimitHeaders) => {
    const embedder = embedderFor(settings.embeddings, embeddingsKey, onDevice);
    return withEmbeddings(await chatProvider(), async () => embedder);

    async function chatProvider(): Promise<Provider> {
      switch (settings.provider) {
        case 'mock':
          return createMockProvider(settings.mock);
        case 'anthropic': {
          // Loaded on first use: the SDK is most of this worker's code, and the mock needs none of it.
          const { createAnthropicProvider } = await import('./anthropic/anthropic-provider');
          return createAnthropicProvider(settings.anthropic, { apiKey, onRateLimitHeaders });
        }
      }
    }
  };
}

function embedderFor(settings: EmbeddingsSettings, key: () => Promise<string | undefined>, onDevice: () => Pick<EmbedderWorkerApi, 'embed'> | null): Embedder {
  switch (settings.provider) {
    case 'openai':
      return openAiEmbedder(settings, key);
    case 'on-device':
      return onDeviceEmbedder(onDevice());
    case 'mock':
      return mockEmbedder();
  }
}
