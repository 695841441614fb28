import type { CallRecord } from '../../protocol/call-log';

/** How a finished run ended, as the run bar states it: never "done" when answers are missing. */
export type ResultKind = 'done' | 'done-with-errors' | 'failed' | 'cancelled';

export interface ResultState {
  kind: ResultKind;
  /** The badge: DONE, DONE WITH ERRORS, FAILED, CANCELLED. */
  label: string;
  /** Inputs whose model call failed (their rows hold NULL), for DONE WITH ERRORS. */
  errors: number;
  /** The first failed call's reason, shown without hovering; null when none is known. */
  firstReason: string | null;
}

/** What a finished run tells the state: its kind, the failed inputs it counted, and its calls. */
export type FinishedRun = { kind: 'ok'; errors: number } | { kind: 'error'; message: string } | { kind: 'cancelled' };

const LABELS: Record<ResultKind, string> = {
  done: 'Done',
  'done-with-errors': 'Done with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * A run's state from its outcome and its call log. A query that returned rows while some model
 * calls failed is DONE WITH ERRORS, with the count and the first reason (issue 18: a wrong key
 * used to end in a green DONE with every value NULL).
 */
export function resultState(run: FinishedRun, calls: readonly CallRecord[]): ResultState {
  if (run.kind === 'cancelled') return state('cancelled', 0, null);
  if (run.kind === 'error') return state('failed', 0, firstLine(run.message));
  const failed = calls.filter((c) => c.status === 'error');
  const errors = Math.max(run.errors, failed.length);
  if (errors === 0) return state('done', 0, null);
  return state('done-with-errors', errors, failed.find((c) => c.error)?.error ?? null);
}

function state(kind: ResultKind, errors: number, firstReason: string | null): ResultState {
  return { kind, label: LABELS[kind], errors, firstReason };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The query that lists a run's failed calls in the call log, with their reasons. */
export function failedCallsSql(queryId: string): string {
  return [
    `-- The model calls of query ${queryId} that failed: their rows hold NULL.`,
    'SELECT operator, error, attempts, duration_ms, started_at',
    'FROM semantic_calls',
    `WHERE query_id = '${queryId.replace(/'/g, "''")}' AND status = 'error'`,
    'ORDER BY started_at;',
  ].join('\n');
}
