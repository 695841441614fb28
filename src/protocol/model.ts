/**
 * The model boundary, as it crosses from the DuckDB worker to the model workers: one request per
 * distinct input, one answer or one typed error back. Types only (the ProviderError class that
 * carries ProviderErrorInfo lives in src/llm/provider.ts).
 */
export type AnswerType = 'BOOLEAN' | 'DOUBLE' | 'VARCHAR';

/** One input of a request: its cache key and its argument values (as the bridge saw them). */
export interface ModelRow {
  key: string;
  args: string[];
}

/**
 * One request to a model: an operator's task over one or more rows (rows per call). Every row is
 * answered, checked and cached on its own; a request of one row and a row of a larger request ask the
 * same question (src/llm/prompt.ts renders both).
 */
export interface ModelRequest {
  operator: string;
  returns: AnswerType;
  /** Allowed range for DOUBLE answers, e.g. [0, 1] for scores and [-1, 1] for sentiment. */
  range?: [number, number];
  /** True when each row's first argument is a group encoded by src/sql's encodeGroup. */
  grouped: boolean;
  /**
   * The operator's instructions, naming its inputs as `{{field}}`: never a value. For `llm(...)`,
   * the prompt the query gave.
   */
  template: string;
  /** Names of the row arguments, in order: the fields of each row's data. */
  fields: string[];
  rows: ModelRow[];
  /** Free-text `-- @ ...` instructions of the statement. */
  instructions: string[];
  /** JSON schema of one row's answer (each row's entry in the forced tool's input). */
  outputSchema: Record<string, unknown>;
  model: string;
  temperature: number;
  /** The tier that chose `model` (`-- @ model: fast`, or routing's cheap tier), for the call log. */
  tier?: string;
  /**
   * A semantic join's classify request (docs/semantic-joins.md): each row asks which of its options
   * (a JSON array, the row's second argument) the pairwise question holds for, answered as a JSON
   * array of their positions, 1 for the first. Here is that question, for the offline model to
   * answer it option by option as it answers the pairwise operator; a real model reads the template.
   */
  pairwise?: PairwiseTask;
}

/** The pairwise question behind a classify request: the operator, and where a row's value, option and other arguments go. */
export interface PairwiseTask {
  operator: string;
  returns: AnswerType;
  range?: [number, number];
  template: string;
  fields: string[];
  /** Positions of the row's value and of the option among the pairwise arguments; the row's other arguments fill the rest in order. */
  valueAt: number;
  optionAt: number;
  /** When an answer means the pair holds. */
  holds: { kind: 'yes' } | { kind: 'above'; threshold: number; inclusive: boolean };
}

/** What a request consumed, as billed: every input token, of which some were cache writes or reads. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens?: number;
  cacheReadTokens?: number;
}

export type AnswerValue = boolean | number | string | null;

/** One row's answer: its value, or why there is none (the row alone is asked again, never guessed). */
export type RowAnswer = { ok: true; value: AnswerValue } | { ok: false; error: string };

/** A request's answer: one entry per row, in the request's order, and what the request consumed. */
export interface ModelAnswer extends TokenUsage {
  rows: RowAnswer[];
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
  | 'too_large' // the prompt overflowed the context, or the answer was cut off: send fewer rows
  | 'budget' // not sent: the query's request budget is used up
  | 'wait_limit' // the provider asked for a wait longer than the query accepts (settings: maxWaitMs)
  | 'cancelled';

/** Errors cross threads as plain values (docs/architecture.md, "Threads"): this is the shape that crosses. */
export interface ProviderErrorInfo {
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/** The offline mock model's simulated network. */
export interface MockConfig {
  /** Fixed latency in ms, or a [min, max] range drawn per call from the seeded generator. */
  latencyMs: number | [number, number];
  seed: number;
  /** Probabilities per attempt, each in [0, 1]. */
  faults: { rateLimit: number; server: number; timeout: number; malformed: number };
  /** How long a simulated timeout hangs before failing. */
  timeoutMs: number;
}

/** One of the provider's rate-limit buckets, from its response headers. */
export interface RateLimitBucket {
  limit?: number;
  remaining?: number;
  /** When the bucket is full again, in epoch ms (Date.now() time). */
  resetAt?: number;
}

/**
 * What the provider said about its rate limits (anthropic-ratelimit-* headers), read in a model
 * worker and passed to the scheduler with the call's result: plain numbers, so it crosses as is.
 */
export interface RateLimitHint {
  requests?: RateLimitBucket;
  tokens?: RateLimitBucket;
  inputTokens?: RateLimitBucket;
  outputTokens?: RateLimitBucket;
  /** From `retry-after-ms` / `retry-after`, when the response carried one. */
  retryAfterMs?: number;
  /** When the headers were read, in epoch ms. */
  receivedAt: number;
}
