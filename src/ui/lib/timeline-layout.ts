import { maxOverlap } from '../../client/max-overlap';
import type { CallRecord, CallStatus } from '../../protocol/call-log';

export interface TimelineBar {
  call: CallRecord;
  lane: number;
  /** Milliseconds from the first call's start. */
  start: number;
  end: number;
}

export interface TimelineLayout {
  bars: TimelineBar[];
  lanes: number;
  /** From the first start to the last end, in ms (at least 1). */
  span: number;
  t0: number;
  /** Most calls open at one instant: what the chart proves. */
  maxConcurrency: number;
  counts: Record<CallStatus, number>;
}

/**
 * One bar per call; lanes assigned greedily in start order (the first lane free at the call's start),
 * so calls that overlap in time stack and the chart's height is the peak concurrency.
 */
export function layoutTimeline(calls: readonly CallRecord[]): TimelineLayout {
  const counts: Record<CallStatus, number> = { ok: 0, cached: 0, error: 0, cancelled: 0, proxy: 0 };
  if (calls.length === 0) return { bars: [], lanes: 0, span: 1, t0: 0, maxConcurrency: 0, counts };
  const sorted = [...calls].sort((a, b) => a.started_at - b.started_at || a.ended_at - b.ended_at);
  const t0 = (sorted[0] as CallRecord).started_at;
  const laneEnds: number[] = [];
  const bars: TimelineBar[] = [];
  let last = t0;
  for (const call of sorted) {
    counts[call.status] += 1;
    const end = Math.max(call.ended_at, call.started_at);
    let lane = laneEnds.findIndex((e) => e <= call.started_at);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(end);
    } else {
      laneEnds[lane] = end;
    }
    bars.push({ call, lane, start: call.started_at - t0, end: end - t0 });
    last = Math.max(last, end);
  }
  return { bars, lanes: laneEnds.length, span: Math.max(1, last - t0), t0, maxConcurrency: maxOverlap(sorted), counts };
}

/** Round tick steps (ms) so an axis has about `target` ticks. */
export function timeTicks(span: number, target = 6): number[] {
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  const step = steps.find((s) => span / s <= target) ?? Math.ceil(span / target);
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}
