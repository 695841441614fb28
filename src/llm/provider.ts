/**
 * The model boundary: one request per distinct input, one answer or one typed error back.
 * Providers (mock, anthropic) implement `Provider`; the pool, the retry scheduler and the engine
 * only see these types. Declared once, shared by the DuckDB worker and the model workers.
 */
export type ReturnType = 'BOOLEAN' | 'DOUBLE' | 'VARCHAR';

export interface ModelRequest {
  /** The cache key: unique per (operator, version, model, options, arguments). */
  key: string;
  operator: string;
  returns: ReturnType;
  /** Allowed range for DOUBLE answers, e.g. [0, 1] for scores and [-1, 1] for sentiment. */
  range?: [number, number];
  /** Argument values as the bridge saw them. An aggregate's first argument is the encoded group. */
  args: string[];
  /** True when args[0] is a group encoded by src/sql's encodeGroup. */
  grouped: boolean;
  /** The operator's prompt with the arguments filled in. */
  prompt: string;
  /** Free-text `-- @ ...` instructions of the statement. */
  instructions: string[];
  /** JSON schema of the structured answer (the forced tool's input). */
  outputSchema: Record<string, unknown>;
  model: string;
  temperature: number;
}

export interface ModelAnswer {
  value: boolean | number | string | null;
  inputTokens: number;
  outputTokens: number;
}

export type ProviderErrorKind =
  | 'rate_limit' // 429: retry after a wait, lower concurrency
  | 'spend_limit' // 429 that says the account is out of credit: never retried
  | 'overloaded' // 529
  | 'server' // 5xx
  | 'timeout'
  | 'network'
  | 'malformed' // an answer that does not fit the schema: a row-level error, not retried
  | 'auth' // 401/403: stops the query
  | 'bad_request' // 400/404: not retried
  | 'cancelled';

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'network']);

/** Errors cross threads as plain values (STYLE.md): this is the shape that crosses. */
export interface ProviderErrorInfo {
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

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
}

export interface MockConfig {
  /** Fixed latency in ms, or a [min, max] range drawn per call from the seeded generator. */
  latencyMs: number | [number, number];
  seed: number;
  /** Probabilities per attempt, each in [0, 1]. */
  faults: { rateLimit: number; server: number; timeout: number; malformed: number };
  /** How long a simulated timeout hangs before failing. */
  timeoutMs: number;
}

export const DEFAULT_MOCK_CONFIG: MockConfig = {
  latencyMs: [150, 400],
  seed: 42,
  faults: { rateLimit: 0, server: 0, timeout: 0, malformed: 0 },
  timeoutMs: 2_000,
};
