import { describe, expect, test } from 'vitest';
import { modelRequest } from '../../../../src/engine/model-request';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/client/default-settings';
import { assumedLimitsFor, requestsInFlightFor } from '../../../../src/llm/connection/endpoint-limits';
import { costUsd } from '../../../../src/llm/pricing';
import { AdaptiveLimit } from '../../../../src/llm/scheduler/adaptive-limit';
import { createCallScheduler, type AttemptCaller } from '../../../../src/llm/scheduler/call-scheduler';
import { ConnectionStats } from '../../../../src/llm/scheduler/connection-stats';
import { DEFAULT_SIZING, Planner, type PlanOptions, type Price } from '../../../../src/llm/scheduler/planner';
import { ProviderLimits } from '../../../../src/llm/scheduler/provider-limits';
import type { BatchApi, BatchItem } from '../../../../src/protocol/batches';
import type { ModelRequest } from '../../../../src/protocol/model';
import { BUILTIN_OPERATORS, type OperatorDef } from '../../../../src/sql';
import { memoryLedger } from '../../../support/test-connection';

/**
 * Issue 22, one planner for every mode: how the calls of a pass are sent (rows per request, direct
 * or as Message Batches, requests, tokens, cost and time), and that a session following the plan
 * sends exactly the requests it says, however its rows arrive.
 */

const op = (name: string) => BUILTIN_OPERATORS.find((o) => o.name === name) as OperatorDef;
const SCOPE = {
  provider: 'anthropic:fake',
  model: 'claude-haiku-4-5',
  temperature: 0,
  instructions: [] as string[],
  embeddings: { provider: 'mock-embed', model: 'mock-embed-256' },
};
const price: Price = (model, usage, batch) => costUsd(model, usage, undefined, { batch });

/** `n` rows of a filter, one request each, as the engine submits them. */
const filterRows = (n: number, operator = 'matches'): ModelRequest[] =>
  Array.from({ length: n }, (_, i) =>
    modelRequest(
      `k${i}`,
      op(operator),
      operator === 'embed' ? [`review ${i}: the parcel came late`] : [`review ${i}: the parcel came late`, 'a complaint'],
      SCOPE,
    ),
  );

function planner(limits?: ProviderLimits, turnaround = 3_600_000): Planner {
  return new Planner({ limits, sizing: DEFAULT_SIZING, stats: new ConnectionStats(), price, batchTurnaroundMs: () => turnaround, noLimits: 'none: no limits' });
}

const TIER_1 = () => new ProviderLimits({ assumed: assumedLimitsFor({ provider: 'anthropic', model: 'claude-haiku-4-5' }) });
const options = (over: Partial<PlanOptions> = {}): PlanOptions => ({ mode: 'direct', parallel: 8, rowsPerRequest: 'auto', ...over });

describe('the planner, across modes', () => {
  test('direct with a fixed rows per request: one request per that many rows, priced at the interactive price', () => {
    const plan = planner().plan(filterRows(2_000), options({ rowsPerRequest: 64 }));
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]).toMatchObject({ mode: 'direct', rowsPerRequest: 64, requests: 32, rows: 2_000 });
    expect(plan.requests).toBe(32);
    expect(plan.costUsd).toBeCloseTo(price('claude-haiku-4-5', { inputTokens: plan.inputTokens, outputTokens: plan.outputTokens }, false), 12);
  });

  test("direct with 'auto' and no limits (the mock, a local server): one row per call", () => {
    const plan = planner().plan(filterRows(300), options());
    expect(plan.tasks[0]).toMatchObject({ rowsPerRequest: 1, requests: 300 });
    expect(plan.limits).toMatchObject({ source: 'none', note: 'none: no limits' });
  });

  test("direct with 'auto' before any response: planned under the assumed entry tier, which the plan states", () => {
    const plan = planner(TIER_1()).plan(filterRows(2_000), options());
    const task = plan.tasks[0];
    expect(task?.rowsPerRequest).toBeGreaterThan(8);
    expect(plan.requests).toBe(Math.ceil(2_000 / (task?.rowsPerRequest ?? 1)));
    expect(plan.requests).toBeLessThan(1_000);
    expect(plan.limits).toMatchObject({ source: 'assumed', requestsPerMinute: 50, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000 });
    expect(plan.limits.note).toMatch(/entry tier for Haiku-class models/);
  });

  test("as Message Batches with 'auto': as many rows as fit a request, every request at once, at half the price, in the batch's turnaround", () => {
    const plan = planner(TIER_1(), 90_000).plan(filterRows(2_000), options({ mode: 'batch' }));
    const direct = planner(TIER_1(), 90_000).plan(filterRows(2_000), options({ rowsPerRequest: plan.tasks[0]?.rowsPerRequest ?? 1 }));
    expect(plan.tasks[0]).toMatchObject({
      mode: 'batch',
      rowsPerRequest: 64,
      requests: 32,
      parallel: 32,
      estimatedMs: 90_000,
      boundBy: "the batch API's turnaround",
    });
    expect(plan.inputTokens).toBe(direct.inputTokens);
    expect(plan.costUsd).toBeCloseTo(direct.costUsd / 2, 12);
  });

  test('as Message Batches with a fixed rows per request, and the turnaround learned from batches seen', () => {
    const p = planner(undefined, 90_000);
    p.stats.observeBatch(4_000);
    const plan = p.plan(filterRows(100), options({ mode: 'batch', rowsPerRequest: 16 }));
    expect(plan.tasks[0]).toMatchObject({ mode: 'batch', rowsPerRequest: 16, requests: 7, estimatedMs: 4_000 });
  });

  test('what the embeddings endpoint answers goes direct even in batch mode, many texts to a request', () => {
    const plan = planner().plan([...filterRows(200, 'embed'), ...filterRows(10)], options({ mode: 'batch' }));
    const byOperator = Object.fromEntries(plan.tasks.map((t) => [t.operator, t]));
    expect(byOperator['embed']).toMatchObject({ mode: 'direct', rowsPerRequest: 96, requests: 3 });
    expect(byOperator['matches']).toMatchObject({ mode: 'batch', requests: 1 });
    // Tasks share the provider: the pass's requests, tokens and cost add up.
    expect(plan.requests).toBe(4);
    expect(plan.costUsd).toBeCloseTo(
      plan.tasks.reduce((n, t) => n + t.costUsd, 0),
      12,
    );
  });

  test('rows of different tasks are planned apart', () => {
    const plan = planner().plan([...filterRows(10), ...filterRows(10).map((r) => ({ ...r, instructions: ['be strict'] }))], options({ rowsPerRequest: 4 }));
    expect(plan.tasks.map((t) => t.requests)).toEqual([3, 3]);
  });
});

/** A model that answers every row true, counting requests. */
function countingModel(): AttemptCaller & { requests: number[] } {
  const requests: number[] = [];
  return {
    requests,
    inFlight: () => 0,
    async call(request) {
      requests.push(request.rows.length);
      await Promise.resolve();
      return { rows: request.rows.map(() => ({ ok: true as const, value: true })), inputTokens: 10, outputTokens: 1 };
    },
  };
}

describe('requests in flight to a plain-HTTP endpoint', () => {
  test("are at most the browser's 6 HTTP/1.1 connections per host, in the plan and in the session", async () => {
    expect(requestsInFlightFor({ provider: 'anthropic', anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL: 'http://localhost:11434' } })).toBe(6);
    expect(requestsInFlightFor({ provider: 'anthropic', anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL: '' } })).toBe(Infinity);
    let inFlight = 0;
    let most = 0;
    const model: AttemptCaller = {
      inFlight: () => inFlight,
      async call(request) {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return { rows: request.rows.map(() => ({ ok: true as const, value: true })), inputTokens: 1, outputTokens: 1 };
      },
    };
    const scheduler = createCallScheduler({ caller: model, limit: new AdaptiveLimit({ max: 64 }), maxInFlight: 6 });
    const rows = filterRows(40);
    expect(scheduler.plan(rows, options({ parallel: 16, rowsPerRequest: 1 })).tasks[0]?.parallel).toBe(6);
    const session = scheduler.session({
      parallel: 16,
      signal: new AbortController().signal,
      maxAttempts: 4,
      budget: 1_000,
      maxWaitMs: 60_000,
      rowsPerRequest: 1,
      isFatal: () => false,
    });
    await Promise.all(rows.map((row) => session.submit(row)));
    expect(most).toBe(6);
  });
});

describe('a session sends what the plan says', () => {
  test('direct: rows submitted in slices that do not divide the plan still go in exactly the planned requests', async () => {
    const model = countingModel();
    const scheduler = createCallScheduler({ caller: model, limit: new AdaptiveLimit({ max: 64 }), price });
    const rows = filterRows(2_000);
    const plan = scheduler.plan(rows, options({ rowsPerRequest: 48 }));
    const session = scheduler.session({
      parallel: 8,
      signal: new AbortController().signal,
      maxAttempts: 4,
      budget: 1_000,
      maxWaitMs: 60_000,
      rowsPerRequest: 48,
      isFatal: () => false,
    });
    const end = session.follow(plan);
    const outcomes: Promise<unknown>[] = [];
    // Slices of 256, as the miss resolver submits them while it takes locks.
    for (let i = 0; i < rows.length; i += 256) {
      for (const row of rows.slice(i, i + 256)) outcomes.push(session.submit(row));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    end();
    await Promise.all(outcomes);
    expect(model.requests).toHaveLength(plan.requests);
    expect(model.requests.filter((n) => n === 48)).toHaveLength(41);
    expect(session.attempts).toBe(plan.requests);
  });

  test('as Message Batches: one batch of the planned requests, once every row is in', async () => {
    const created: BatchItem[][] = [];
    const api: BatchApi = {
      async submit(items) {
        created.push([...items]);
        return {
          id: 'b1',
          state: 'ended',
          counts: { processing: 0, succeeded: items.length, errored: 0, canceled: 0, expired: 0 },
          createdAt: 0,
          expiresAt: 0,
        };
      },
      status: async (id) => ({ id, state: 'ended', counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, createdAt: 0, expiresAt: 0 }),
      results: async (_id, items) =>
        items.map((item) => ({
          customId: item.customId,
          ok: true as const,
          answer: { rows: item.request.rows.map(() => ({ ok: true as const, value: true })), inputTokens: 5, outputTokens: 1 },
        })),
      cancel: async (id) => ({ id, state: 'ended', counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, createdAt: 0, expiresAt: 0 }),
      recent: async () => [],
    };
    const scheduler = createCallScheduler({
      caller: countingModel(),
      limit: new AdaptiveLimit({ max: 8 }),
      price,
      batches: { api, ledger: memoryLedger(), onAbandon: () => {} },
    });
    const rows = filterRows(1_000);
    const plan = scheduler.plan(rows, options({ mode: 'batch' }));
    const session = scheduler.session({
      parallel: 8,
      signal: new AbortController().signal,
      maxAttempts: 4,
      budget: 1_000,
      maxWaitMs: 60_000,
      rowsPerRequest: 'auto',
      mode: 'batch',
      isFatal: () => false,
      batchOf: { provider: 'p', queryId: 'q', sql: 's' },
    });
    const end = session.follow(plan);
    const outcomes = rows.map((row) => session.submit(row));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(created).toHaveLength(0);
    end();
    const settled = await Promise.all(outcomes);
    expect(created).toHaveLength(1);
    expect(created[0]).toHaveLength(plan.requests);
    expect(session.attempts).toBe(plan.requests);
    expect(settled.every((o) => o.status === 'ok' && o.billing === 'batch')).toBe(true);
  });
});
