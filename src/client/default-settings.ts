import { DEFAULT_MOCK_CONFIG, MOCK_FAST_MODEL } from '../llm/provider';
import { DEFAULT_PRICING } from '../llm/pricing';
import { ON_DEVICE_EMBEDDINGS_MODEL } from '../protocol/embedder';
import type { EngineSettings } from '../protocol/settings';

/**
 * The settings a new user starts with: the client owns them (it persists and merges the user's
 * changes over them); each part's default lives with the code that owns that part.
 */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-haiku-4-5';

export const MOCK_MODEL = 'mock-1';

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  provider: 'mock',
  model: MOCK_MODEL,
  parallel: 8,
  rowsPerRequest: 'auto',
  budget: 1_000,
  maxAttempts: 4,
  maxPasses: 16,
  maxWaitMs: 60_000,
  mock: DEFAULT_MOCK_CONFIG,
  embeddings: { provider: 'on-device', baseURL: '', model: ON_DEVICE_EMBEDDINGS_MODEL },
  cascade: 'off',
  anthropic: { baseURL: '', maxTokens: 1024, timeoutMs: 60_000, requestsPerMinute: 0, tokensPerMinute: 0, batchBaseURL: '' },
  pricing: DEFAULT_PRICING,
  embedHosts: [],
  // The mock's fast tier answers from its lexicon alone (src/llm/mock/mock-provider.ts): a cheaper,
  // weaker model that routing can be tried against offline.
  tiers: {
    mock: { fast: MOCK_FAST_MODEL, standard: MOCK_MODEL, quality: MOCK_MODEL },
    anthropic: { fast: 'claude-haiku-4-5', standard: 'claude-sonnet-4-5', quality: 'claude-opus-4-1' },
  },
};
