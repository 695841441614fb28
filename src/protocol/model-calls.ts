import type { ModelAnswer, ModelRequest, ProviderErrorInfo } from './model';

/**
 * What the executor needs from model calling: the port the scheduler (src/llm/scheduler) implements.
 * It sits here, on the ground floor, so neither the engine nor the scheduler imports the other; the
 * DuckDB worker's entry wires one to the other.
 * A query opens one session for its whole run; every request it submits settles exactly once, with
 * an answer, a row-level error or a cancellation, and never rejects.
 */
export interface CallOutcome {
  request: ModelRequest;
  status: 'ok' | 'error' | 'cancelled';
  answer?: ModelAnswer;
  error?: ProviderErrorInfo;
  /** Requests sent to the provider for this input (each one may be billed). */
  attempts: number;
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
  /** Errors that stop the whole session: a rejected key, a spent account, `on_error: fail`. */
  isFatal(error: ProviderErrorInfo): boolean;
  onStart?(request: ModelRequest): void;
  /** Called as each request settles, before its promise resolves. */
  onSettled?(outcome: CallOutcome): void;
}

export interface CallSession {
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
