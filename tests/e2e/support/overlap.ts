/** Largest number of [start, end) intervals open at one instant: the call log's proof of parallelism. */
export function maxOverlap(intervals: { started_at: number; ended_at: number }[]): number {
  const events = intervals.flatMap((c) => [
    { t: c.started_at, d: 1 },
    { t: c.ended_at, d: -1 },
  ]);
  // Ends sort before starts at the same instant: a call that ends as the next starts does not overlap.
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const e of events) {
    open += e.d;
    max = Math.max(max, open);
  }
  return max;
}
