import { describe, expect, it, vi } from 'vitest';
import { AnswerCache } from '../../../src/cache/answer-cache';
import { memoryTier } from '../../support/memory-tier';
import type { CallLogSink } from '../../../src/protocol/call-log';
import type { CallRecord, QueryRecord } from '../../../src/protocol/call-log';
import { executeQuery, QueryCancelledError } from '../../../src/engine/executor';
import { InflightRegistry } from '../../../src/engine/inflight-registry';
import { resolveOptions } from '../../../src/engine/resolve-options';
import { testConnection } from '../../support/test-connection';
import type { QueryRun } from '../../../src/engine/query-run';
import { semanticBatchFunction } from '../../../src/engine/semantic-udf';
import { ProviderError } from '../../../src/llm/provider';
import type { ModelRequest } from '../../../src/protocol/model';
import { type EngineSettings } from '../../../src/protocol/settings';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/client/default-settings';
import { BUILTIN_OPERATORS, DEFAULT_OPTIONS, type OperatorDef, type StatementOptions } from '../../../src/sql';

const op = (name: string) => BUILTIN_OPERATORS.find((o) => o.name === name) as OperatorDef;
const matches = op('matches');
const ask = op('ask');

/** The reference answer: what a one-call-at-a-time engine would get from this fake model. */
const reference = (question: { operator: string; args: string[] }): boolean | string =>
  question.operator === 'matches' ? (question.args[0] as string).includes('bad') : `why: ${question.args[0]}`;

/** The first argument of a request's (first) row. */
const firstArg = (r: ModelRequest): string | undefined => r.rows[0]?.args[0];

function fakeCaller(options: { delayMs?: number; fail?: (r: ModelRequest) => ProviderError | null } = {}) {
  const state = { calls: [] as string[], inFlight: 0, maxInFlight: 0 };
  const caller = {
    inFlight: () => state.inFlight,
    async call(request: ModelRequest, signal: AbortSignal) {
      state.calls.push(...request.rows.map((row) => row.key));
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(t);
            reject(new ProviderError({ kind: 'cancelled', message: 'cancelled' }));
          };
          const t = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, options.delayMs ?? 1);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        const failure = options.fail?.(request);
        if (failure) throw failure;
        return {
          rows: request.rows.map((row) => ({ ok: true as const, value: reference({ operator: request.operator, args: row.args }) })),
          inputTokens: 10,
          outputTokens: 2,
        };
      } finally {
        state.inFlight--;
      }
    },
  };
  return { caller, state };
}

/** Evaluates "SELECT text, f(text) FROM rows [WHERE g(text)]" in 2,048-row chunks through the real batch functions. */
function fakeEngine(rows: string[], plan: { filter?: OperatorDef; map?: OperatorDef; limit?: number }) {
  let passes = 0;
  const runPass = (_sql: string, run: QueryRun) => {
    passes++;
    const active = () => run;
    const out: [string, unknown][] = [];
    for (let start = 0; start < rows.length; start += 2048) {
      let chunk = rows.slice(start, start + 2048);
      if (plan.filter) {
        const keep = semanticBatchFunction(plan.filter, active)([chunk, chunk.map(() => 'bad')], chunk.length);
        chunk = chunk.filter((_, i) => keep[i] === true);
      }
      const map = plan.map;
      const mapped = map
        ? semanticBatchFunction(map, active)(map.name === 'matches' ? [chunk, chunk.map(() => 'bad')] : [chunk, chunk.map(() => 'why?')], chunk.length)
        : chunk;
      chunk.forEach((text, i) => out.push([text, mapped[i]]));
      // LIMIT stops the scan, as DuckDB's does, once k rows are out.
      if (plan.limit !== undefined && out.length >= plan.limit) return out.slice(0, plan.limit);
    }
    return out;
  };
  return { runPass, rowCount: (r: [string, unknown][]) => r.length, passes: () => passes };
}

type Fake<R> = { runPass(sql: string, run: QueryRun): R; rowCount(r: R): number };

/** The executor's deps around a fake engine and model: the statement runs; setseed and the rest do nothing. */
function deps<R>(
  engine: Fake<R>,
  parts: {
    cache: AnswerCache;
    caller: ReturnType<typeof fakeCaller>['caller'];
    log: CallLogSink;
    pricing?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
  },
) {
  return {
    db: {
      exclusive: <T>(body: (run: (sql: string, active: QueryRun | null) => Promise<R>) => Promise<T>) =>
        body(async (sql, active) => (active ? engine.runPass(sql, active) : ([] as unknown as R))),
      rowCount: engine.rowCount,
      hiddenOperatorCalls: () => 0,
    },
    cache: parts.cache,
    connection: testConnection(parts.caller, { ...settings, ...(parts.pricing ? { pricing: parts.pricing } : {}) }),
    registry: new InflightRegistry(null),
    log: parts.log,
  };
}

/** The executor's input, its options resolved from the statement's and the settings as the engine does. */
function inp(i: { queryId: string; statement: ReturnType<typeof statement>; settings: EngineSettings; signal: AbortSignal; early?: { limit: number } | null }) {
  return {
    queryId: i.queryId,
    statement: i.statement,
    options: resolveOptions(i.statement.options, i.settings, i.statement.sql),
    signal: i.signal,
    ...(i.early !== undefined ? { early: i.early } : {}),
  };
}

function sink(): CallLogSink & { calls: CallRecord[]; queries: QueryRecord[] } {
  const calls: CallRecord[] = [];
  const queries: QueryRecord[] = [];
  return { calls, queries, call: (r) => calls.push(r), query: (r) => queries.push(r) };
}

const settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, parallel: 4 };
const statement = (options: Partial<StatementOptions> = {}) => ({
  sql: 'fake',
  effect: { kind: 'read' as const },
  options: { ...DEFAULT_OPTIONS, instructions: [], ...options },
});

describe('executeQuery (fixpoint over the bridge)', () => {
  it('answers a map in two passes with one call per distinct input', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `text ${i % 50}${i % 3 === 0 ? ' bad' : ''}`);
    const engine = fakeEngine(rows, { map: ask });
    const { caller, state } = fakeCaller();
    const cache = new AnswerCache(null);
    const out = await executeQuery(
      deps(engine, { cache, caller, log: sink() }),
      inp({ queryId: 'q', statement: statement(), settings, signal: new AbortController().signal }),
    );
    const distinct = new Set(rows).size;
    expect(state.calls.length).toBe(distinct);
    expect(new Set(state.calls).size).toBe(distinct);
    expect(out.stats).toMatchObject({ passes: 2, calls: distinct, cached: 0, errors: 0 });
    expect(out.result).toEqual(rows.map((t) => [t, `why: ${t}`]));
  });

  it('prices calls from the pricing table, per call and per query', async () => {
    const log = sink();
    const pricing = { 'mock-1': { inputPerMTok: 1_000_000, outputPerMTok: 500_000 } };
    const out = await executeQuery(
      deps(fakeEngine(['a', 'b', 'c'], { map: ask }), { cache: new AnswerCache(null), caller: fakeCaller().caller, log, pricing }),
      inp({ queryId: 'q', statement: statement(), settings, signal: new AbortController().signal }),
    );
    // The fake model reports 10 input and 2 output tokens a call: $10 + $1.
    expect(log.calls.filter((c) => c.status === 'ok').map((c) => c.cost_usd)).toEqual([11, 11, 11]);
    expect(out.stats).toMatchObject({ input_tokens: 30, output_tokens: 6, cost_usd: 33 });
  });

  it('keeps exactly `parallel` calls in flight', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const { caller, state } = fakeCaller({ delayMs: 5 });
    await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache: new AnswerCache(null), caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ parallel: 7 }), settings, signal: new AbortController().signal }),
    );
    expect(state.maxInFlight).toBe(7);
  });

  it('resolves a filter feeding a map with one extra pass, matching the one-call-at-a-time answer', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `row ${i}${i % 4 === 0 ? ' bad' : ''}`);
    const engine = fakeEngine(rows, { filter: matches, map: ask });
    const { caller } = fakeCaller();
    const out = await executeQuery(
      deps(engine, { cache: new AnswerCache(null), caller, log: sink() }),
      inp({ queryId: 'q', statement: statement(), settings, signal: new AbortController().signal }),
    );
    const expected = rows.filter((t) => reference({ operator: 'matches', args: [t] }) === true).map((t) => [t, `why: ${t}`]);
    expect(out.result).toEqual(expected);
    expect(out.stats.passes).toBe(3);
  });

  it('answers a rerun from the cache, and a new session from the persistent tier', async () => {
    const rows = ['a', 'b', 'c bad'];
    const { tier, data } = memoryTier();
    const first = fakeCaller();
    const cache = new AnswerCache(tier);
    await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache, caller: first.caller, log: sink() }),
      inp({ queryId: 'q1', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(data.size).toBe(3); // flushed on completion
    const second = fakeCaller();
    const again = await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache, caller: second.caller, log: sink() }),
      inp({ queryId: 'q2', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(second.state.calls).toEqual([]);
    expect(again.stats).toMatchObject({ passes: 1, calls: 0, cached: 3 });
    const third = fakeCaller();
    const reloaded = await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache: new AnswerCache(tier), caller: third.caller, log: sink() }),
      inp({ queryId: 'q3', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(third.state.calls).toEqual([]);
    expect(reloaded.stats).toMatchObject({ passes: 2, calls: 0, cached: 3 });
  });

  it('refuses a query over budget before calling anything, naming the calls needed', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `t${i}`);
    const { caller, state } = fakeCaller();
    const run = executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache: new AnswerCache(null), caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ budget: 100 }), settings, signal: new AbortController().signal }),
    );
    await expect(run).rejects.toThrow(/needs 120 model calls in pass 1, over its budget of 100/);
    expect(state.calls).toEqual([]);
  });

  it('turns a failed input into a NULL row and an error count, and fails the query with on_error: fail', async () => {
    const rows = ['ok 1', 'boom', 'ok 2'];
    const fail = (r: ModelRequest) => (firstArg(r) === 'boom' ? new ProviderError({ kind: 'malformed', message: 'not a string' }) : null);
    const log = sink();
    const out = await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache: new AnswerCache(null), caller: fakeCaller({ fail }).caller, log }),
      inp({ queryId: 'q', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(out.result).toEqual([
      ['ok 1', 'why: ok 1'],
      ['boom', null],
      ['ok 2', 'why: ok 2'],
    ]);
    expect(out.stats.errors).toBe(1);
    expect(log.calls.filter((c) => c.status === 'error').map((c) => c.error)).toEqual(['not a string']);
    const strict = executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache: new AnswerCache(null), caller: fakeCaller({ fail }).caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ on_error: 'fail' }), settings, signal: new AbortController().signal }),
    );
    await expect(strict).rejects.toThrow(/on_error: fail.*not a string/);
  });

  it('retries retryable failures and counts attempts', async () => {
    let tries = 0;
    const fail = (r: ModelRequest) =>
      firstArg(r) === 'flaky' && ++tries < 3 ? new ProviderError({ kind: 'rate_limit', message: '429', retryAfterMs: 1 }) : null;
    const log = sink();
    const out = await executeQuery(
      deps(fakeEngine(['flaky', 'fine'], { map: ask }), { cache: new AnswerCache(null), caller: fakeCaller({ fail }).caller, log }),
      inp({ queryId: 'q', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(out.result).toEqual([
      ['flaky', 'why: flaky'],
      ['fine', 'why: fine'],
    ]);
    expect(log.calls.find((c) => c.status === 'ok' && c.attempts === 3)).toBeDefined();
    // Requests billed: the two 429s were refused before the model ran.
    expect(out.stats.attempts).toBe(2);
  });

  it('stops on cancel, keeps the finished answers, and the rerun calls only the rest', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const cache = new AnswerCache(null);
    const controller = new AbortController();
    const first = fakeCaller({ delayMs: 50 });
    const running = executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache, caller: first.caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ parallel: 2 }), settings, signal: controller.signal }),
    );
    // Cancel once some answers are in: counted, not timed, so a busy machine changes nothing.
    await vi.waitFor(() => expect(first.state.calls.length - first.state.inFlight).toBeGreaterThanOrEqual(6), { timeout: 10_000, interval: 5 });
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(QueryCancelledError);
    const finished = rows.filter((t) => cache.get(`ask@${ask.version}|mock|mock-1|t0|-|${t.length}:${t}4:why?`) !== undefined).length;
    expect(finished).toBeGreaterThan(4);
    expect(finished).toBeLessThan(20);
    const second = fakeCaller();
    await executeQuery(
      deps(fakeEngine(rows, { map: ask }), { cache, caller: second.caller, log: sink() }),
      inp({ queryId: 'q2', statement: statement(), settings, signal: new AbortController().signal }),
    );
    expect(second.state.calls.length).toBe(20 - finished);
  });

  it('answers a filter with LIMIT from the first waves when early answers are allowed', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `row ${i}${i % 10 === 7 ? ' bad' : ''}`);
    const early = fakeCaller();
    const out = await executeQuery(
      deps(fakeEngine(rows, { filter: matches, limit: 10 }), { cache: new AnswerCache(null), caller: early.caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ parallel: 8 }), settings, signal: new AbortController().signal, early: { limit: 10 } }),
    );
    expect(out.result).toHaveLength(10);
    for (const [text] of out.result) expect(reference({ operator: 'matches', args: [text as string] })).toBe(true);
    // The 10th match is row 97 (the oracle's 98 calls): a first wave of 20 finds 2 matches, and
    // the next wave is sized by that rate.
    expect(early.state.calls.length).toBeLessThanOrEqual(120);
    const all = fakeCaller();
    await executeQuery(
      deps(fakeEngine(rows, { filter: matches, limit: 10 }), { cache: new AnswerCache(null), caller: all.caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ parallel: 8, budget: 10_000 }), settings, signal: new AbortController().signal, early: null }),
    );
    expect(all.state.calls.length).toBe(5000);
  });

  it('stops a query whose inputs change every pass, with a clear error', async () => {
    let n = 0;
    const runPass = (_sql: string, run: QueryRun) => semanticBatchFunction(ask, () => run)([[`volatile ${n++}`], ['why?']], 1);
    const out = executeQuery(
      deps({ runPass, rowCount: () => 1 }, { cache: new AnswerCache(null), caller: fakeCaller().caller, log: sink() }),
      inp({ queryId: 'q', statement: statement(), settings: { ...settings, maxPasses: 5 }, signal: new AbortController().signal }),
    );
    await expect(out).rejects.toThrow(/did not settle after 5 passes/);
  });
});

describe('executeQuery: running estimates of an aggregate (issue 25)', () => {
  const rows = Array.from({ length: 3000 }, (_, i) => `row ${i}${i % 4 === 1 ? ' bad' : ''}`);
  const aggregate = (options: Partial<StatementOptions> = {}) => ({ ...statement({ parallel: 8, budget: 10_000, ...options }), aggregate: true });

  it('without the annotation: the same result and the same calls as a statement that does not estimate, asked in a random order', async () => {
    const plain = fakeCaller();
    const exact = await executeQuery(
      deps(fakeEngine(rows, { filter: matches }), { cache: new AnswerCache(null), caller: plain.caller, log: sink() }),
      inp({ queryId: 'q', statement: statement({ parallel: 8, budget: 10_000 }), settings, signal: new AbortController().signal }),
    );
    const estimating = fakeCaller();
    const reports: number[] = [];
    const out = await executeQuery(deps(fakeEngine(rows, { filter: matches }), { cache: new AnswerCache(null), caller: estimating.caller, log: sink() }), {
      ...inp({ queryId: 'q', statement: aggregate(), settings, signal: new AbortController().signal }),
      onProgress: (p) => reports.push(p.estimates?.[0]?.answered ?? -1),
    });
    expect(out.result).toEqual(exact.result);
    expect(out.stats.estimate).toBeUndefined();
    expect([...estimating.state.calls].sort()).toEqual([...plain.state.calls].sort());
    // The plain statement asks in scan order; the estimating one does not.
    expect(estimating.state.calls).not.toEqual(plain.state.calls);
    expect(estimating.state.calls.slice(0, 50).filter((k) => k.includes('row 1')).length).toBeLessThan(40);
    expect(reports.some((n) => n > 0)).toBe(true);
  });

  it('-- @ approximate: stops once the share is within ±E, well before every input is asked, and says so', async () => {
    const { caller, state } = fakeCaller();
    const out = await executeQuery(
      deps(fakeEngine(rows, { filter: matches }), { cache: new AnswerCache(null), caller, log: sink() }),
      inp({ queryId: 'q', statement: aggregate({ approximate: { error: 0.05, confidence: 0.95 } }), settings, signal: new AbortController().signal }),
    );
    const [share] = out.stats.estimate?.estimates ?? [];
    expect(out.stats.estimate?.reason).toBe('approximate');
    expect(share).toMatchObject({ operator: 'matches', kind: 'share', inputs: 3000 });
    expect((share?.high ?? 1) - (share?.low ?? 0)).toBeLessThanOrEqual(0.1);
    expect(share?.low).toBeLessThanOrEqual(0.25);
    expect(share?.high).toBeGreaterThanOrEqual(0.25);
    expect(state.calls.length).toBeLessThan(600);
  });
});
