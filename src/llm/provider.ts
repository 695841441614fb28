import type { BatchApi } from '../protocol/batches';
import type { MockConfig, ModelAnswer, ModelRequest, ProviderErrorInfo, ProviderErrorKind } from '../protocol/model';

/**
 * Providers (mock, anthropic) implement `Provider`: one attempt per call, a ProviderError on
 * failure. The request and answer types are the thread boundary's (src/protocol/model.ts).
 */
const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'network']);

export class ProviderError extends Error implements ProviderErrorInfo {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(info: ProviderErrorInfo) {
    super(info.message);
    this.name = 'ProviderError';
    this.kind = info.kind;
    if (info.status !== undefined) this.status = info.status;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  toInfo(): ProviderErrorInfo {
    return { kind: this.kind, message: this.message, status: this.status, retryAfterMs: this.retryAfterMs };
  }
}

export interface Provider {
  /** One attempt. Rejects with ProviderError; aborts promptly when `signal` fires. */
  call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer>;
  /** The provider's batch API, when it has one (Anthropic's Message Batches; not the mock). */
  batches?: BatchApi;
}

/**
 * The mock's fast tier: it answers as the mock does without its language libraries, from its own
 * lexicon (src/llm/mock/mock-provider.ts): cheaper and weaker, deterministic, so tier routing can be
 * measured offline.
 */
export const MOCK_FAST_MODEL = 'mock-fast';

export const DEFAULT_MOCK_CONFIG: MockConfig = {
  latencyMs: [150, 400],
  seed: 42,
  faults: { rateLimit: 0, server: 0, timeout: 0, malformed: 0 },
  timeoutMs: 2_000,
};
