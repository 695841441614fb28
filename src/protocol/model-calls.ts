import type { BatchStatus } from './batches';
import type { AnswerValue, ModelRequest, ProviderErrorInfo, TokenUsage } from './model';

/**
 * What the executor needs from model calling: the port the scheduler (src/llm/scheduler) implements.
 * It sits here, on the ground floor, so neither the engine nor the scheduler imports the other; the
 * DuckDB worker's entry wires one to the other.
 * A query opens one session for its whole run; every request it submits settles exactly once, with
 * an answer, a row-level error or a cancellation, and never rejects.
 */
export interface CallOutcome {
  /** The one-row request that was submitted. */
  request: ModelRequest;
  status: 'ok' | 'error' | 'cancelled';
  /** The answer, when `status` is 'ok'. */
  value?: AnswerValue;
  /** This row's share of what the requests that carried it consumed. */
  usage: TokenUsage;
  error?: ProviderErrorInfo;
  /** Requests sent to the provider that carried this input (each one may be billed). */
  attempts: number;
  /** Rows in the request that answered it (1 when asked alone). */
  rowsInRequest: number;
  /** 'batch' when a Message Batch answered it: billed at the batch price. */
  billing?: 'batch';
  startedAt: number;
  endedAt: number;
}

export interface SessionOptions {
  /** Calls of this session in flight at once (`-- @ parallel`). */
  parallel: number;
  signal: AbortSignal;
  /** Attempts per input before it becomes a row-level error. */
  maxAttempts: number;
  /** Billed requests the session may send in all, retries included (`-- @ budget`); 429s are not billed and do not count. */
  budget: number;
  /** Longest single wait (retry-after, rate-limit reset) before the input becomes a row-level error. */
  maxWaitMs: number;
  /**
   * Rows per request: submitted rows of the same task are sent this many at a time (1: one per
   * call), or 'auto': as many as finish soonest under the provider's known limits (one per call
   * while no limit is known).
   */
  batch: BatchSize;
  /** Errors that stop the whole session: a rejected key, a spent account, `on_error: fail`. */
  isFatal(error: ProviderErrorInfo): boolean;
  /**
   * Send the rows as Message Batches (`-- @ mode: batch`) instead of direct calls: what the ledger
   * records about the statement, so a reload can finish it.
   */
  batchOf?: { provider: string; queryId: string; sql: string };
  /** A submitted batch's latest status, while the session follows it. */
  onBatchStatus?(status: BatchStatus): void;
  onStart?(request: ModelRequest): void;
  /** Called as each request settles, before its promise resolves. */
  onSettled?(outcome: CallOutcome): void;
}

export type BatchSize = number | 'auto';

/** How a task's rows would be sent under what is known of the provider now (EXPLAIN, ETA). */
export interface RequestPlanEstimate {
  operator: string;
  rows: number;
  /** Rows per request. */
  batch: number;
  /** Requests in flight at once. */
  parallel: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** The least time the provider's per-minute limits allow for these requests and tokens. */
  limitMs: number;
  estimatedMs: number;
  /** What binds, in words: 'requests per minute', 'input tokens per minute', 'output tokens per minute' or 'answer latency'. */
  boundBy: string;
}

/** The provider's per-minute limits as known now (from settings and response headers). */
export interface KnownLimits {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
}

export interface CallSession {
  /** One row (`request.rows` holds one); rows of the same task may share a request. */
  submit(request: ModelRequest): Promise<CallOutcome>;
  /** Billed requests sent so far (the budget's count): every request but those refused with a 429. */
  readonly attempts: number;
  /** The error that stopped the session, if one did. */
  readonly fatal: ProviderErrorInfo | null;
  /** Estimated ms until every row submitted so far is answered, or null when nothing is left. */
  etaMs(): number | null;
  /** Ends the session: anything still queued settles as cancelled, and its share of concurrency goes. */
  close(): void;
}

export interface CallScheduler {
  session(options: SessionOptions): CallSession;
  /**
   * The plan for each task (a request carrying all of its rows), as a session with these options
   * would send it now.
   */
  plan(tasks: readonly ModelRequest[], options: Pick<SessionOptions, 'parallel' | 'batch'>): RequestPlanEstimate[];
  /** The provider's limits as known now. */
  limits(): KnownLimits;
  /** Calls in flight across every session (leak checks, engine stats). */
  inFlight(): number;
}
