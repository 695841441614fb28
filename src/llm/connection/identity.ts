import { ON_DEVICE_EMBEDDINGS_MODEL } from '../../protocol/embedder';
import type { ConnectionIdentity } from '../../protocol/model-calls';
import type { EngineSettings } from '../../protocol/settings';

/**
 * Who answers, as it enters every cache key: the mock, or the provider and its endpoint, so an
 * answer is only served as the model that gave it (issue 14).
 */
export function providerIdentity(settings: Pick<EngineSettings, 'provider' | 'anthropic'>): string {
  if (settings.provider === 'mock') return 'mock';
  return `anthropic:${settings.anthropic.baseURL.trim().replace(/\/+$/, '') || 'https://api.anthropic.com'}`;
}

/** The embeddings endpoint as it enters cache keys: the mock, the on-device model, or the endpoint's base URL. */
export function embeddingsIdentity(settings: Pick<EngineSettings['embeddings'], 'provider' | 'baseURL'>): string {
  if (settings.provider === 'openai') return `openai:${settings.baseURL.trim().replace(/\/+$/, '')}`;
  return settings.provider === 'mock' ? 'mock-embed' : 'on-device';
}

export function connectionIdentity(settings: Pick<EngineSettings, 'provider' | 'anthropic' | 'embeddings'>): ConnectionIdentity {
  const { embeddings } = settings;
  // The on-device model is the one this build ships, whatever a settings patch names.
  const model = embeddings.provider === 'on-device' ? ON_DEVICE_EMBEDDINGS_MODEL : embeddings.model;
  return { provider: providerIdentity(settings), embeddings: { provider: embeddingsIdentity(embeddings), model } };
}

/**
 * What one scheduler is kept for: the provider and endpoint, the model (Anthropic's limits are per
 * model class) and the limits and sizes typed in settings. What a scheduler learned (limits, 429s,
 * latencies) outlives queries while these stay the same.
 */
export function schedulerKey(settings: Pick<EngineSettings, 'provider' | 'anthropic' | 'model'>): string {
  const { requestsPerMinute, tokensPerMinute, maxTokens } = settings.anthropic;
  return [providerIdentity(settings), settings.model, requestsPerMinute, tokensPerMinute, maxTokens].join('|');
}
