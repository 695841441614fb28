import type { CallRecord } from './call-log';

/** A running query's state, sent to the caller at least every 250 ms and at each change of phase. */
export interface QueryProgress {
  queryId: string;
  phase: 'pass' | 'resolving' | 'done' | 'failed' | 'cancelled';
  pass: number;
  queued: number;
  inFlight: number;
  done: number;
  cached: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  elapsedMs: number;
  /**
   * Estimated ms until the calls asked so far are answered, from the same plan EXPLAIN shows (rows
   * per request, the provider's limits, latencies seen); null when nothing is being resolved.
   */
  etaMs: number | null;
  /**
   * The calls that settled since the previous event: the timeline grows from these, so a live view
   * needs no polling and no event re-sends a query's whole log.
   */
  calls: CallRecord[];
}

export interface QueryStats {
  passes: number;
  /** Distinct inputs sent to the model (each may have taken several attempts). */
  calls: number;
  /** Distinct inputs answered from the cache (memory or IndexedDB) without a call in this query. */
  cached: number;
  /** Distinct inputs that failed: their rows hold NULL (on_error: null). */
  errors: number;
  /** Requests sent to the provider, retries included: rows that shared a request count once (the budget counts these). */
  attempts: number;
  wall_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}
