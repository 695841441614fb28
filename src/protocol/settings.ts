import type { MockConfig } from './model';
import type { ModelTier } from './option-ranges';

/** The concrete model each tier names (`-- @ model: fast`), for one provider. */
export type TierModels = Record<ModelTier, string>;

/** US dollars per million tokens for one model. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Prompt-cache writes and reads; by default 1.25× and 0.1× of input (src/llm/pricing.ts). */
  cacheWritePerMTok?: number;
  cacheReadPerMTok?: number;
}

/** Prices by model id (a prefix matches too). */
export type PricingTable = Record<string, ModelPrice>;

/** Anthropic (or any Anthropic-compatible endpoint). No key here: see the note on EngineSettings. */
export interface AnthropicSettings {
  /** Empty for the public API; e.g. http://localhost:11434 for a local Ollama or LM Studio server. */
  baseURL: string;
  maxTokens: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Optional client-side limits (0 = none), on top of what the server's rate-limit headers say. */
  requestsPerMinute: number;
  tokensPerMinute: number;
  /**
   * Where Message Batches go (`-- @ mode: batch`); empty: the same endpoint. The public batch
   * endpoint was reported to refuse browser preflights, so a user may put a proxy here.
   */
  batchBaseURL: string;
}

/**
 * What the engine needs to know to run a query, as set by the user (persisted by the client) and
 * overridden per statement by annotations. The API key is deliberately absent: model workers read it
 * from IndexedDB themselves, so it never crosses a postMessage.
 */
export interface EngineSettings {
  provider: 'mock' | 'anthropic';
  model: string;
  /** Model calls in flight at once, unless `-- @ parallel: N` says otherwise. */
  parallel: number;
  /**
   * Rows sent together in one request unless `-- @ rows_per_request: B` says otherwise: a number
   * (1: one row per call), or 'auto': as many as finish soonest under the provider's per-minute
   * limits (the plan, src/llm/scheduler/planner.ts).
   */
  rowsPerRequest: number | 'auto';
  /** Most model calls a query may make, unless `-- @ budget: N` says otherwise. */
  budget: number;
  /** Attempts per distinct input before it becomes a row-level error. */
  maxAttempts: number;
  /** Passes before a query that never settles is stopped (raised to the query's dependency depth). */
  maxPasses: number;
  /**
   * The longest single wait a query accepts (a retry-after, a rate-limit reset); a longer one turns
   * the rows waiting on it into row-level errors that say how long the provider asked for.
   */
  maxWaitMs: number;
  mock: MockConfig;
  anthropic: AnthropicSettings;
  /** Who answers the embedding operators (embed, vector_search, RANKED BY, MEANING). */
  embeddings: EmbeddingsSettings;
  /** Cascade targets for filter operators unless `-- @ cascade` says otherwise (docs/cascades.md); 'off' by default. */
  cascade: { recall: number; precision: number; confidence: number } | 'off';
  /** How semantic joins are planned unless `-- @ join` says otherwise (docs/semantic-joins.md); exact when absent. */
  join?: 'exact' | 'classify' | { recall: number; confidence: number };
  /** US dollars per million tokens, by model id (a prefix matches too); unknown models cost 0. */
  pricing: PricingTable;
  /**
   * Origins of pages allowed to embed the widget with the user's provider and key (docs/security.md).
   * Any other embedding answers with the mock model.
   */
  embedHosts: string[];
  /** Which model each tier (`-- @ model: fast | standard | quality`, and routing) is, per provider. */
  tiers: Record<EngineSettings['provider'], TierModels>;
}

/**
 * Embeddings: the on-device model (Universal Sentence Encoder lite in its own worker, no key; the
 * default, docs/embeddings.md), the offline mock (shared words and lexicon concepts: tests, and the
 * fallback when the model cannot load), or any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI,
 * Voyage, Ollama, LM Studio) with its own key (Settings; kept like the Anthropic key).
 */
export interface EmbeddingsSettings {
  provider: 'on-device' | 'mock' | 'openai';
  /** The endpoint's base URL, e.g. http://localhost:11434 or https://api.voyageai.com. */
  baseURL: string;
  model: string;
}

/** Settings updates merge one level deep, so `{ mock: { latencyMs: 5 } }` keeps the other mock fields. */
export type SettingsPatch = Partial<Omit<EngineSettings, 'mock' | 'anthropic' | 'embeddings' | 'tiers'>> & {
  tiers?: Partial<Record<EngineSettings['provider'], Partial<TierModels>>>;
  mock?: Partial<Omit<MockConfig, 'faults'>> & { faults?: Partial<MockConfig['faults']> };
  anthropic?: Partial<AnthropicSettings>;
  embeddings?: Partial<EmbeddingsSettings>;
  /**
   * The former name of `rowsPerRequest` ("batch" now means Message Batches only): still accepted in
   * an update and in stored settings, and read as `rowsPerRequest`.
   */
  batchSize?: number | 'auto';
};

export function mergeSettings(base: EngineSettings, patch: SettingsPatch): EngineSettings {
  const { batchSize, ...rest } = patch;
  return {
    ...base,
    ...rest,
    rowsPerRequest: rest.rowsPerRequest ?? batchSize ?? base.rowsPerRequest,
    mock: { ...base.mock, ...patch.mock, faults: { ...base.mock.faults, ...patch.mock?.faults } },
    anthropic: { ...base.anthropic, ...patch.anthropic },
    embeddings: { ...base.embeddings, ...patch.embeddings },
    pricing: { ...base.pricing, ...patch.pricing },
    tiers: { mock: { ...base.tiers.mock, ...patch.tiers?.mock }, anthropic: { ...base.tiers.anthropic, ...patch.tiers?.anthropic } },
  };
}
