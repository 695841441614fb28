import type { QueryProgress } from '../../client';

/** What the metrics read of a progress event (its call records are for the timeline). */
type Counts = Omit<QueryProgress, 'calls'>;

export interface RunMetrics {
  /** Calls this run will make that are known so far: finished, failed, in flight and queued. */
  total: number;
  finished: number;
  /** 0..1 of the known calls, counting cache hits as finished. */
  fraction: number;
  /** Milliseconds left at the rate seen so far, or null before there is a rate. */
  etaMs: number | null;
}

/**
 * Progress numbers for the run bar. The ETA is the work left divided by the call rate so far; the
 * engine keeps N calls in flight, so that rate already reflects the parallelism.
 */
export function runMetrics(p: Counts): RunMetrics {
  const finished = p.done + p.failed + p.cached;
  const total = finished + p.inFlight + p.queued;
  const fraction = total === 0 ? (p.phase === 'done' ? 1 : 0) : finished / total;
  const calls = p.done + p.failed;
  const left = p.inFlight + p.queued;
  const etaMs = left === 0 ? (total > 0 ? 0 : null) : calls === 0 || p.elapsedMs <= 0 ? null : (left * p.elapsedMs) / calls;
  return { total, finished, fraction, etaMs };
}
