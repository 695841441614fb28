import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../../src/cache/answer-cache';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/client/default-settings';
import { executeQuery } from '../../../../src/engine/executor';
import { InflightRegistry } from '../../../../src/engine/inflight-registry';
import type { QueryRun } from '../../../../src/engine/query-run';
import { resolveOptions } from '../../../../src/engine/resolve-options';
import { semanticBatchFunction } from '../../../../src/engine/semantic-udf';
import type { CallRecord } from '../../../../src/protocol/call-log';
import type { ModelRequest } from '../../../../src/protocol/model';
import type { EngineSettings } from '../../../../src/protocol/settings';
import { BUILTIN_OPERATORS, DEFAULT_OPTIONS, type OperatorDef, type StatementOptions } from '../../../../src/sql';
import { memoryTier } from '../../../support/memory-tier';
import { testConnection } from '../../../support/test-connection';

/**
 * Issue 28, tier routing through the real executor, pass resolver and provider connection, over a
 * fake model that serves two models: the quality one answers "has an even length", the fast one
 * the same except on inputs whose number is a multiple of `errEvery` (0: never wrong).
 */

const matches = BUILTIN_OPERATORS.find((o) => o.name === 'matches') as OperatorDef;
const QUALITY = 'claude-opus-4-1';
const FAST = 'claude-haiku-4-5';
// The mock provider's connection (no per-minute limits assumed), its tiers named after two priced models.
const settings: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  model: QUALITY,
  parallel: 8,
  rowsPerRequest: 1,
  budget: 100_000,
  tiers: { ...DEFAULT_ENGINE_SETTINGS.tiers, mock: { fast: FAST, standard: QUALITY, quality: QUALITY } },
};

function twoModels(errEvery: number) {
  const calls: Record<string, string[]> = { [QUALITY]: [], [FAST]: [] };
  const truth = (text: string) => text.length % 2 === 0;
  const wrong = (text: string) => errEvery > 0 && Number(/\d+/.exec(text)?.[0] ?? 0) % errEvery === 0;
  return {
    calls,
    caller: {
      inFlight: () => 0,
      async call(request: ModelRequest) {
        await Promise.resolve();
        (calls[request.model] ??= []).push(...request.rows.map((r) => r.args[0] ?? ''));
        const answer = (text: string) => (request.model === FAST && wrong(text) ? !truth(text) : truth(text));
        return { rows: request.rows.map((r) => ({ ok: true as const, value: answer(r.args[0] ?? '') })), inputTokens: 1000, outputTokens: 10 };
      },
    },
  };
}

/** "SELECT text, text MATCHES 'x' FROM rows" through the real batch function. */
function engineOver(rows: readonly string[]) {
  const runPass = (_sql: string, run: QueryRun) => {
    const out = semanticBatchFunction(matches, () => run)([[...rows], rows.map(() => 'x')], rows.length);
    return rows.map((text, i) => [text, out[i]]);
  };
  return {
    exclusive: <T>(body: (run: (sql: string, active: QueryRun | null) => Promise<unknown[][]>) => Promise<T>) =>
      body(async (sql, active) => (active ? runPass(sql, active) : [])),
    rowCount: (r: unknown[][]) => r.length,
    hiddenOperatorCalls: () => 0,
  };
}

async function run(rows: readonly string[], fake: ReturnType<typeof twoModels>, cache: AnswerCache, options: Partial<StatementOptions>) {
  const log: CallRecord[] = [];
  const statement = { sql: 'routed', effect: { kind: 'read' as const }, options: { ...DEFAULT_OPTIONS, instructions: [], ...options } };
  const deps = {
    db: engineOver(rows),
    cache,
    connection: testConnection(fake.caller, settings),
    registry: new InflightRegistry(null),
    log: { call: (r: CallRecord) => log.push(r), query: () => {} },
  };
  const out = await executeQuery(deps, {
    queryId: `q${Math.random()}`,
    statement,
    options: resolveOptions(statement.options, settings, statement.sql),
    signal: new AbortController().signal,
  });
  return { ...out, log };
}

const ROWS = Array.from({ length: 600 }, (_, i) => `review number ${i}${'!'.repeat(i % 3)}`);
const AUTO = { routing: { accuracy: 0.95, confidence: 0.9 } };

describe('tier routing (-- @ model: auto(accuracy 0.95))', () => {
  it('uses the cheap tier for the rest when it agrees on the sample, and reports the calls and cost saved', async () => {
    const fake = twoModels(0);
    const out = await run(ROWS, fake, new AnswerCache(null), AUTO);
    const [route] = out.stats.routes ?? [];
    expect(route).toMatchObject({ operator: 'matches', answeredBy: 'cheap', cheap: FAST, quality: QUALITY, inputs: 600 });
    // The quality tier was asked the sample only; the fast tier the sample and every other input.
    expect(fake.calls[QUALITY]).toHaveLength(route?.sample.inputs ?? -1);
    expect(fake.calls[FAST]).toHaveLength(600);
    expect(route?.qualityCallsSaved).toBe(600 - (route?.sample.inputs ?? 0));
    expect(route?.agreement.agreed).toBe(route?.agreement.compared);
    expect(route?.agreement.lower).toBeGreaterThanOrEqual(0.95);
    expect(route?.costSavedUsd).toBeGreaterThan(0);
    // Every row has the answer the quality tier would give (the cheap tier agrees everywhere here).
    expect(out.result).toEqual(ROWS.map((t) => [t, t.length % 2 === 0]));
    // The call log names each call's model and tier.
    expect(new Set(out.log.filter((c) => c.status === 'ok').map((c) => `${c.model}/${c.tier}`))).toEqual(new Set([`${QUALITY}/quality`, `${FAST}/fast`]));
  });

  it('does not use a cheap tier that disagrees on the sample: the quality tier answers every input', async () => {
    const fake = twoModels(10);
    const out = await run(ROWS, fake, new AnswerCache(null), AUTO);
    const [route] = out.stats.routes ?? [];
    expect(route).toMatchObject({ answeredBy: 'quality', qualityCallsSaved: 0, cheapInputs: 0 });
    expect(route?.agreement.lower).toBeLessThan(0.95);
    expect(route?.costSavedUsd).toBeLessThan(0);
    expect(fake.calls[QUALITY]).toHaveLength(600);
    expect(fake.calls[FAST]).toHaveLength(route?.sample.inputs ?? -1);
    expect(out.result).toEqual(ROWS.map((t) => [t, t.length % 2 === 0]));
  });

  it('asks nothing again on a rerun, after a reload too: routed answers are kept under their own key', async () => {
    const { tier } = memoryTier();
    const first = twoModels(50);
    const before = await run(ROWS, first, new AnswerCache(tier), AUTO);
    expect(before.stats.routes?.[0]?.answeredBy).toBe('cheap');
    const again = twoModels(50);
    const after = await run(ROWS, again, new AnswerCache(tier), AUTO);
    expect(again.calls[QUALITY]).toEqual([]);
    expect(again.calls[FAST]).toEqual([]);
    expect(after.result).toEqual(before.result);
    expect(after.stats.routes?.[0]).toMatchObject({ answeredBy: 'cheap', reason: 'every input was routed by an earlier run' });
    // The routed answers are never served as the quality tier's own.
    const plain = twoModels(50);
    await run(ROWS, plain, new AnswerCache(tier), {});
    expect(plain.calls[QUALITY]).toHaveLength(600 - (before.stats.routes?.[0]?.sample.inputs ?? 0));
  });

  it('sends too few inputs to the quality tier alone, asking the cheap tier nothing', async () => {
    const fake = twoModels(0);
    const out = await run(ROWS.slice(0, 100), fake, new AnswerCache(null), AUTO);
    expect(out.stats.routes?.[0]).toMatchObject({ answeredBy: 'quality', sample: { draws: 0, inputs: 0 } });
    expect(out.stats.routes?.[0]?.reason).toMatch(/too few inputs/);
    expect(fake.calls[FAST]).toEqual([]);
    expect(fake.calls[QUALITY]).toHaveLength(100);
  });

  it('runs a named tier as its model: `-- @ model: fast` asks the fast model only', async () => {
    const fake = twoModels(0);
    const out = await run(ROWS.slice(0, 20), fake, new AnswerCache(null), { model: 'fast' });
    expect(fake.calls[FAST]).toHaveLength(20);
    expect(fake.calls[QUALITY]).toEqual([]);
    expect(out.log.filter((c) => c.status === 'ok').every((c) => c.model === FAST && c.tier === 'fast')).toBe(true);
  });
});
