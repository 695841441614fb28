import { describe, expect, test } from 'vitest';
import { outputCap } from '../../../../src/llm/request-size';
import type { LimitsSnapshot } from '../../../../src/llm/scheduler/provider-limits';
import { planRequests, type PlanContext, type TaskShape } from '../../../../src/llm/scheduler/request-plan';

const perMinute = (n: number) => ({ capacity: n, perMs: n / 60_000, level: n });

/** Anthropic's first tier for a Haiku-class model (issue 16): 50 requests, 50k input and 10k output tokens a minute. */
const TIER_1: LimitsSnapshot = { requests: perMinute(50), inputTokens: perMinute(50_000), outputTokens: perMinute(10_000) };

const filter = (rows: number): TaskShape => ({
  rows,
  rowTokens: 40,
  overheadTokens: 450,
  answerTokens: 12,
  outputCap: (b) => outputCap('BOOLEAN', b, 1_024),
});

const context = (limits: LimitsSnapshot, over: Partial<PlanContext> = {}): PlanContext => ({
  limits,
  latencyMs: (b) => 800 + b * 12 * 6,
  parallel: 8,
  maxBatch: 64,
  contextTokens: 200_000,
  ...over,
});

describe('planning requests under per-minute limits', () => {
  test('one row per call at tier 1 is bound by requests per minute: 1,000 rows take about 19 minutes', () => {
    const plan = planRequests(filter(1_000), context(TIER_1, { batch: 1 }));
    expect(plan).toMatchObject({ batch: 1, requests: 1_000, boundBy: 'requests' });
    // 50 at once from the full bucket, then 950 at 50 a minute.
    expect(plan.limitMs).toBe(19 * 60_000);
  });

  test('the planner puts many rows in a request: ten times sooner, and far fewer input tokens per row', () => {
    const single = planRequests(filter(1_000), context(TIER_1, { batch: 1 }));
    const planned = planRequests(filter(1_000), context(TIER_1));
    expect(planned.batch).toBeGreaterThan(8);
    expect(planned.requests).toBe(Math.ceil(1_000 / planned.batch));
    expect(single.estimatedMs / planned.estimatedMs).toBeGreaterThanOrEqual(10);
    expect(planned.inputTokens / single.inputTokens).toBeLessThanOrEqual(0.4);
  });

  test('with no limit known, time is rounds of latency: more rows per request only while rounds fall', () => {
    const plan = planRequests(filter(64), context({}, { parallel: 64 }));
    // 64 one-row requests run in one round; larger requests only add output latency.
    expect(plan).toMatchObject({ batch: 1, requests: 64, boundBy: 'latency', limitMs: 0 });
  });

  test('a request never reserves more output than the output bucket holds', () => {
    const small = { ...TIER_1, outputTokens: perMinute(1_000) };
    const plan = planRequests(filter(1_000), context(small));
    expect(outputCap('BOOLEAN', plan.batch, 1_024)).toBeLessThanOrEqual(1_000);
  });

  test('a prompt stays within half the context', () => {
    const wide: TaskShape = { ...filter(1_000), rowTokens: 20_000 };
    const plan = planRequests(wide, context(TIER_1, { contextTokens: 100_000 }));
    expect(450 + plan.batch * 20_000).toBeLessThanOrEqual(50_000);
  });

  test('in flight at once: never more requests than there are, nor more reservations than the output bucket holds', () => {
    const plan = planRequests(filter(10), context(TIER_1, { batch: 1, parallel: 64 }));
    expect(plan.parallel).toBe(10);
    const text: TaskShape = { ...filter(100), outputCap: (b) => outputCap('VARCHAR', b, 4_000) };
    expect(planRequests(text, context(TIER_1, { batch: 1, parallel: 64 })).parallel).toBe(2);
  });

  test('nothing to ask plans nothing', () => {
    expect(planRequests(filter(0), context(TIER_1))).toMatchObject({ requests: 0, estimatedMs: 0 });
  });
});
