import type { BatchApi, BatchItem, BatchResult, BatchStatus } from '../../protocol/batches';
import type { AnswerValue, ProviderErrorInfo, TokenUsage } from '../../protocol/model';
import { ProviderError } from '../provider';
import { addUsage, NO_USAGE, shareUsage } from '../scheduler/batching';
import { abortableSleep } from '../scheduler/retry';

/**
 * Following a submitted batch until it ends, and turning its results into one outcome per row.
 * Shared by the query that submitted the batch and by whoever resumes it after a reload.
 */

/** Polling backoff: soon at first (a small batch may end in seconds), then every half minute at most. */
const FIRST_POLL_MS = 500;
const POLL_FACTOR = 1.5;
const MAX_POLL_MS = 30_000;

export interface FollowOptions {
  signal: AbortSignal;
  onStatus?(status: BatchStatus): void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Polls until the batch has ended, then reads every item's result. */
export async function followBatch(api: BatchApi, id: string, items: readonly BatchItem[], options: FollowOptions): Promise<BatchResult[]> {
  const sleep = options.sleep ?? abortableSleep;
  let wait = FIRST_POLL_MS;
  for (;;) {
    let status: BatchStatus | undefined;
    try {
      status = await api.status(id);
    } catch (error) {
      // A network blip while polling is not the batch failing: poll again later.
      if (!(error instanceof ProviderError) || !error.retryable) throw error;
    }
    if (status) {
      options.onStatus?.(status);
      if (status.state === 'ended') break;
    }
    await sleep(wait, options.signal);
    wait = Math.min(MAX_POLL_MS, wait * POLL_FACTOR);
  }
  return api.results(id, items);
}

/** One row's outcome from a batch: its answer and its share of the request's tokens, or its error. */
export interface BatchRowOutcome {
  key: string;
  ok: boolean;
  value?: AnswerValue;
  error?: ProviderErrorInfo;
  usage: TokenUsage;
  rowsInRequest: number;
}

/** The rows of an item, each with its outcome; an item with no result is each row's error. */
export function rowOutcomes(item: BatchItem, result: BatchResult | undefined): BatchRowOutcome[] {
  const rows = item.request.rows;
  if (!result)
    return rows.map((row) => ({
      key: row.key,
      ok: false,
      error: { kind: 'malformed', message: 'the batch results did not mention this request' },
      usage: NO_USAGE,
      rowsInRequest: rows.length,
    }));
  if (!result.ok) return rows.map((row) => ({ key: row.key, ok: false, error: result.error, usage: NO_USAGE, rowsInRequest: rows.length }));
  const shares = shareUsage(result.answer, rows.length);
  return rows.map((row, i) => {
    const answer = result.answer.rows[i];
    const usage = addUsage(NO_USAGE, shares[i] as TokenUsage);
    if (answer?.ok) return { key: row.key, ok: true, value: answer.value, usage, rowsInRequest: rows.length };
    return { key: row.key, ok: false, error: { kind: 'malformed', message: answer?.error ?? 'no answer for this row' }, usage, rowsInRequest: rows.length };
  });
}
