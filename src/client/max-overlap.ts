/**
 * Largest number of calls in flight at one instant: the call log's proof of parallelism. A call that
 * ends as another starts does not overlap it (ends sort first).
 */
export function maxOverlap(intervals: readonly { started_at: number; ended_at: number }[]): number {
  const events = intervals.flatMap((c) => [
    { t: c.started_at, d: 1 },
    { t: Math.max(c.ended_at, c.started_at), d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const e of events) {
    open += e.d;
    max = Math.max(max, open);
  }
  return max;
}
