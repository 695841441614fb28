import type { BatchStatus } from '../../protocol/batches';
import type { ModelRequest, ProviderErrorInfo } from '../../protocol/model';
import type { CallOutcome } from '../../protocol/model-calls';

/** Rows per request: a number, or 'auto' (the plan chooses under the provider's limits). */
export type RowsPerRequest = number | 'auto';

/** A query's session as the scheduler runs it (the connection fills it from the statement's options). */
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
  /** Rows per request for rows no followed plan covers. */
  rowsPerRequest: RowsPerRequest;
  /** How rows no followed plan covers are sent (`-- @ mode`); direct when absent. */
  mode?: 'direct' | 'batch';
  /** Errors that stop the whole session: a rejected key, a spent account, `on_error: fail`. */
  isFatal(error: ProviderErrorInfo): boolean;
  /** What the ledger records about the statement when rows go as Message Batches, so a reload can finish it. */
  batchOf?: { provider: string; queryId: string; sql: string };
  /** A submitted batch's latest status, while the session follows it. */
  onBatchStatus?(status: BatchStatus): void;
  onStart?(request: ModelRequest): void;
  /** Called as each request settles, before its promise resolves. */
  onSettled?(outcome: CallOutcome): void;
}
