import type { CallOutcome } from './model-calls';

/**
 * The call log: one row per model call (or per batch of cache hits) and one per query. Rows go to
 * the `semantic_calls` / `semantic_queries` tables in DuckDB and to the client API.
 */
/** 'proxy': a cascade's proxy decided the row without a model call (docs/cascades.md); never cached. */
export type CallStatus = 'ok' | 'cached' | 'error' | 'cancelled' | 'proxy';

export interface CallRecord {
  query_id: string;
  operator: string;
  model: string;
  /** Milliseconds since the epoch. */
  started_at: number;
  ended_at: number;
  duration_ms: number;
  status: CallStatus;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error: string | null;
  /** Distinct inputs this row answered: 1 for a call, the batch size for cache hits. */
  answers: number;
  /** Rows in the request that answered this input (rows per call); 0 for cache hits. */
  rows_in_request: number;
  /** The answer a model call gave, as text (what `latest(operator)` reads); null for other rows. */
  answer?: string | null;
  /** The tier that chose the model (fast, standard, quality), when the statement named one or routed. */
  tier?: string | null;
}

export interface QueryRecord {
  query_id: string;
  sql: string;
  started_at: number;
  status: 'ok' | 'error' | 'cancelled';
  passes: number;
  calls: number;
  cache_hits: number;
  errors: number;
  wall_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error: string | null;
  /** Texts and requests sent to the embeddings model, apart from `calls` (QueryStats). */
  embedding_texts: number;
  embedding_requests: number;
  /** 'exact', or the result was an estimate: 'approximate' (its error reached) or 'stopped' (Stop here). */
  result: 'exact' | 'approximate' | 'stopped';
}

/** Where the executor writes its call log: the DuckDB tables and the client's copy implement it. */
export interface CallLogSink {
  call(record: CallRecord): void;
  query(record: QueryRecord): void;
}

/** A settled row as the call log keeps it (semantic_calls). */
export function callRecord(queryId: string, outcome: CallOutcome): CallRecord {
  return {
    query_id: queryId,
    operator: outcome.request.operator,
    // Priced and logged as the model that answered (an embedding operator's is the embeddings model).
    model: outcome.request.model,
    started_at: outcome.startedAt,
    ended_at: outcome.endedAt,
    duration_ms: outcome.endedAt - outcome.startedAt,
    status: outcome.status,
    attempts: outcome.attempts,
    input_tokens: outcome.usage.inputTokens,
    output_tokens: outcome.usage.outputTokens,
    cost_usd: outcome.costUsd,
    error: outcome.error?.message ?? null,
    answers: 1,
    rows_in_request: outcome.rowsInRequest,
    answer: answerText(outcome),
    tier: outcome.request.tier ?? null,
  };
}

/** What `latest(operator)` reads back: an answered call's value as text. */
function answerText(outcome: CallOutcome): string | null {
  if (outcome.status !== 'ok' || outcome.value === undefined || outcome.value === null) return null;
  return typeof outcome.value === 'string' ? outcome.value : JSON.stringify(outcome.value);
}
