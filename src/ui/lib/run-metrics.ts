import type { QueryProgress } from '../../client';

/** What the metrics read of a progress event (its call records are for the timeline). */
type Counts = Omit<QueryProgress, 'calls'>;

export interface RunMetrics {
  /** Calls this run will make that are known so far: finished, failed, in flight and queued. */
  total: number;
  finished: number;
  /** 0..1 of the known calls, counting cache hits as finished. */
  fraction: number;
  /** Milliseconds left, as the engine's plan estimates them, or null when it has no estimate. */
  etaMs: number | null;
}

/**
 * Progress numbers for the run bar. The ETA is the engine's: the plan EXPLAIN shows (rows per
 * request, the provider's per-minute limits, latencies seen) over the work left, which a rate of
 * calls so far cannot know (a rate limit binding later, rows per request changing the rate).
 */
export function runMetrics(p: Counts): RunMetrics {
  const finished = p.done + p.failed + p.cached;
  const total = finished + p.inFlight + p.queued;
  const fraction = total === 0 ? (p.phase === 'done' ? 1 : 0) : finished / total;
  const left = p.inFlight + p.queued;
  const etaMs = left === 0 ? (total > 0 ? 0 : null) : p.etaMs;
  return { total, finished, fraction, etaMs };
}
