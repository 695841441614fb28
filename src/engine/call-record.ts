import type { CallRecord } from '../protocol/call-log';
import type { CallOutcome } from '../protocol/model-calls';

/** A settled row as the call log keeps it (semantic_calls). */
export function callRecord(queryId: string, model: string, outcome: CallOutcome, cost: number): CallRecord {
  return {
    query_id: queryId,
    operator: outcome.request.operator,
    model,
    started_at: outcome.startedAt,
    ended_at: outcome.endedAt,
    duration_ms: outcome.endedAt - outcome.startedAt,
    status: outcome.status,
    attempts: outcome.attempts,
    input_tokens: outcome.usage.inputTokens,
    output_tokens: outcome.usage.outputTokens,
    cost_usd: cost,
    error: outcome.error?.message ?? null,
    answers: 1,
    rows_in_request: outcome.rowsInRequest,
  };
}
