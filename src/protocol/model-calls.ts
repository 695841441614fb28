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
  startedAt: number;
  endedAt: number;
}

export interface SessionOptions {
  /** Calls of this session in flight at once (`-- @ parallel`). */
  parallel: number;
  signal: AbortSignal;
  /** Attempts per input before it becomes a row-level error. */
  maxAttempts: number;
  /** Requests the session may send in all, retries included (`-- @ budget`). */
  budget: number;
  /** Longest single wait (retry-after, rate-limit reset) before the input becomes a row-level error. */
  maxWaitMs: number;
  /** Rows per request: submitted rows of the same task are sent this many at a time (1: one per call). */
  batch: number;
  /** Errors that stop the whole session: a rejected key, a spent account, `on_error: fail`. */
  isFatal(error: ProviderErrorInfo): boolean;
  onStart?(request: ModelRequest): void;
  /** Called as each request settles, before its promise resolves. */
  onSettled?(outcome: CallOutcome): void;
}

export interface CallSession {
  /** One row (`request.rows` holds one); rows of the same task may share a request. */
  submit(request: ModelRequest): Promise<CallOutcome>;
  /** Requests sent so far (the budget's count). */
  readonly attempts: number;
  /** The error that stopped the session, if one did. */
  readonly fatal: ProviderErrorInfo | null;
  /** Ends the session: anything still queued settles as cancelled, and its share of concurrency goes. */
  close(): void;
}

export interface CallScheduler {
  session(options: SessionOptions): CallSession;
  /** Calls in flight across every session (leak checks, engine stats). */
  inFlight(): number;
}
