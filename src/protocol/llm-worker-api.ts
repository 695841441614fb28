import type { BatchItem, BatchResult, BatchStatus } from './batches';
import type { MockConfig, ModelAnswer, ModelRequest, ProviderErrorInfo } from './model';
import type { RateLimitHint } from './model';
import type { AnthropicSettings, EmbeddingsSettings } from './settings';

/**
 * A model worker's API, reached by the DuckDB worker over a MessagePort (`wrap<LlmWorkerApi>(port)`).
 * Errors come back as values: a dead or failing provider never leaves a caller hanging.
 */
export interface ProviderSettings {
  provider: 'mock' | 'anthropic';
  mock: MockConfig;
  anthropic: AnthropicSettings;
  embeddings: EmbeddingsSettings;
}

/** `rateLimit`: the provider's latest rate-limit headers, for the pool's adaptive limit. */
export type CallResult = ({ ok: true; answer: ModelAnswer } | { ok: false; error: ProviderErrorInfo }) & { rateLimit?: RateLimitHint };

/** A batch operation's outcome, as a value like a call's. */
export type BatchReply<T> = { ok: true; value: T } | { ok: false; error: ProviderErrorInfo };

export interface LlmWorkerApi {
  configure(settings: ProviderSettings): Promise<void>;
  call(callId: number, request: ModelRequest): Promise<CallResult>;
  cancel(callId: number): Promise<void>;
  batchSubmit(items: BatchItem[]): Promise<BatchReply<BatchStatus>>;
  batchStatus(id: string): Promise<BatchReply<BatchStatus>>;
  batchResults(id: string, items: BatchItem[]): Promise<BatchReply<BatchResult[]>>;
  batchCancel(id: string): Promise<BatchReply<BatchStatus>>;
  batchRecent(sinceMs: number): Promise<BatchReply<BatchStatus[]>>;
}

/**
 * The one message the main thread sends a model worker: the port the DuckDB worker talks on, and
 * the port to the on-device embeddings worker (src/protocol/embedder.ts).
 */
export interface LlmWorkerConnect {
  connect: MessagePort;
  embedder?: MessagePort;
}
