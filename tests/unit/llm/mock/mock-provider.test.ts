import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import { createMockProvider, drawAttempt, type NlpLoader, type Sleep } from '../../../../src/llm/mock/mock-provider';
import { CORE_LIBRARIES } from '../../../../src/llm/mock/nlp/core-libraries';
import { ENTITY_LIBRARY } from '../../../../src/llm/mock/nlp/entity-library';
import { LANGUAGE_LIBRARY } from '../../../../src/llm/mock/nlp/language-library';
import { loadNlp, MissingNlpPart, type Nlp, type NlpPart } from '../../../../src/llm/mock/nlp/load-nlp';
import { DEFAULT_MOCK_CONFIG, ProviderError } from '../../../../src/llm/provider';
import type { MockConfig, ModelRequest } from '../../../../src/protocol/model';
import { estimateTokens, userMessage } from '../../../../src/llm/prompt';
import { asRequest, request, valueOf } from './helpers';

const NO_FAULTS = { rateLimit: 0, server: 0, timeout: 0, malformed: 0 };

function config(overrides: Partial<MockConfig> = {}): MockConfig {
  return { ...DEFAULT_MOCK_CONFIG, faults: NO_FAULTS, ...overrides };
}

/** A sleep that records what it was asked and returns at once (or never, until aborted). */
function fakeSleep(mode: 'instant' | 'forever' = 'instant'): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = (ms, signal) => {
    waits.push(ms);
    if (mode === 'instant') return Promise.resolve();
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  };
  return { sleep, waits };
}

const ask = (i: number): ModelRequest => asRequest(request('matches', [`tweet number ${i}`, 'complaint'], 'BOOLEAN', { key: `key-${i}` }));

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof ProviderError) return error.kind;
    throw error;
  }
}

describe('mock provider', () => {
  test('answers with the mock value and token counts', async () => {
    const { sleep } = fakeSleep();
    const provider = createMockProvider(config(), { sleep });
    const r = request('matches', ['My order arrived broken, I want a refund', 'complaint'], 'BOOLEAN', { prompt: 'x'.repeat(40) });
    const sent = asRequest(r);
    const answer = await provider.call(sent, new AbortController().signal);
    expect(answer).toEqual({ rows: [{ ok: true, value: true }], inputTokens: estimateTokens(userMessage(sent)), outputTokens: estimateTokens('true') + 5 });
  });

  test('latency is fixed, or drawn within [min, max]', async () => {
    const fixed = fakeSleep();
    const p1 = createMockProvider(config({ latencyMs: 120 }), { sleep: fixed.sleep });
    for (let i = 0; i < 20; i++) await p1.call(ask(i), new AbortController().signal);
    expect(new Set(fixed.waits)).toEqual(new Set([120]));

    const ranged = fakeSleep();
    const p2 = createMockProvider(config({ latencyMs: [100, 300] }), { sleep: ranged.sleep });
    for (let i = 0; i < 500; i++) await p2.call(ask(i), new AbortController().signal);
    expect(Math.min(...ranged.waits)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...ranged.waits)).toBeLessThanOrEqual(300);
    // Spread over the range, not stuck at one end.
    expect(Math.min(...ranged.waits)).toBeLessThan(120);
    expect(Math.max(...ranged.waits)).toBeGreaterThan(280);
  });

  test('a fresh provider with the same seed replays the same draws; a retry draws anew', async () => {
    const run = async (seed: number) => {
      const { sleep, waits } = fakeSleep();
      const provider = createMockProvider(config({ seed, latencyMs: [0, 1000] }), { sleep });
      for (let attempt = 0; attempt < 5; attempt++) await provider.call(ask(1), new AbortController().signal);
      return waits;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run(8)).not.toEqual(first);
  });

  test.each([
    ['rateLimit', 'rate_limit'],
    ['server', 'server'],
    ['timeout', 'timeout'],
    ['malformed', 'malformed'],
  ] as const)('%s faults occur at about the configured rate (2,000 keys at 20%%)', async (fault, kind) => {
    const { sleep } = fakeSleep();
    const provider = createMockProvider(config({ faults: { ...NO_FAULTS, [fault]: 0.2 } }), { sleep });
    let hits = 0;
    for (let i = 0; i < 2000; i++) {
      const got = await outcome(provider.call(ask(i), new AbortController().signal));
      // Server faults are sometimes reported as 529 overloaded.
      if (got === kind || (kind === 'server' && got === 'overloaded')) hits++;
      else expect(got).toBe('ok');
    }
    expect(hits / 2000).toBeGreaterThan(0.16);
    expect(hits / 2000).toBeLessThan(0.24);
  });

  test('fault errors carry status, retry-after and retryability', async () => {
    const { sleep } = fakeSleep();
    const all = createMockProvider(config({ faults: { ...NO_FAULTS, rateLimit: 1 } }), { sleep });
    const error = await all.call(ask(1), new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const pe = error as ProviderError;
    expect(pe.status).toBe(429);
    expect(pe.retryAfterMs).toBeGreaterThanOrEqual(50);
    expect(pe.retryAfterMs).toBeLessThanOrEqual(200);
    expect(pe.retryable).toBe(true);

    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) kinds.add(drawAttempt(config({ faults: { ...NO_FAULTS, server: 1 } }), `k${i}`, 0).outcome);
    expect(kinds).toEqual(new Set(['server', 'overloaded']));

    const malformed = createMockProvider(config({ faults: { ...NO_FAULTS, malformed: 1 } }), { sleep });
    const me = (await malformed.call(ask(1), new AbortController().signal).catch((e: unknown) => e)) as ProviderError;
    expect(me.kind).toBe('malformed');
    expect(me.retryable).toBe(false);
  });

  test('a simulated timeout waits timeoutMs, then rejects as timeout', async () => {
    const { sleep, waits } = fakeSleep();
    const provider = createMockProvider(config({ timeoutMs: 1234, faults: { ...NO_FAULTS, timeout: 1 } }), { sleep });
    expect(await outcome(provider.call(ask(1), new AbortController().signal))).toBe('timeout');
    expect(waits).toEqual([1234]);
  });

  test('an abort during the wait rejects as cancelled at once (real timers)', async () => {
    // An hour of latency: only the abort can end this call within the test's timeout.
    const provider = createMockProvider(config({ latencyMs: 3_600_000 }));
    const controller = new AbortController();
    const pending = outcome(provider.call(ask(1), controller.signal));
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toBe('cancelled');
  });

  test('an injected sleep that rejects on abort still yields cancelled; an aborted signal never waits', async () => {
    const forever = fakeSleep('forever');
    const provider = createMockProvider(config(), { sleep: forever.sleep });
    const controller = new AbortController();
    const pending = outcome(provider.call(ask(1), controller.signal));
    controller.abort();
    expect(await pending).toBe('cancelled');

    const waits = fakeSleep();
    const p2 = createMockProvider(config(), { sleep: waits.sleep });
    expect(await outcome(p2.call(ask(2), AbortSignal.abort()))).toBe('cancelled');
    expect(waits.waits).toEqual([]);
  });

  test('answers with the NLP libraries: the value mockAnswer gives with them loaded', async () => {
    const provider = createMockProvider(config(), { sleep: fakeSleep().sleep });
    const r = request('sentiment', ['Absolutely wonderful, I love it'], 'DOUBLE', { range: [-1, 1] });
    const answer = await provider.call(asRequest(r), new AbortController().signal);
    expect(valueOf(answer)).toBe(mockAnswer(r, await loadNlp()));
    expect(valueOf(answer)).not.toBe(mockAnswer(r));
  });

  test('loads an on-demand library when an answer needs it, once, and answers as with everything loaded', async () => {
    const { loader, parts } = fakeLoader();
    const provider = createMockProvider(config(), { sleep: fakeSleep().sleep, nlp: loader });
    const who = request('extracts', ['Tim Cook met Angela Merkel in Paris', 'the people'], 'VARCHAR');
    expect(valueOf(await provider.call(asRequest(who), new AbortController().signal))).toBe('Tim Cook, Angela Merkel');
    await provider.call(asRequest(request('extracts', ['Ada Lovelace wrote it', 'the people'], 'VARCHAR')), new AbortController().signal);
    await provider.call(asRequest(request('matches', ['Loved it', 'a positive review'], 'BOOLEAN')), new AbortController().signal);
    expect(parts).toEqual(['entities']);
  });

  test('a library that fails to load fails the call as a retryable network error; the next call loads anew', async () => {
    let fail = true;
    let loads = 0;
    const loader: NlpLoader = {
      core: () => {
        loads++;
        return fail ? Promise.reject(new Error('chunk fetch failed')) : loadNlp();
      },
      part: () => Promise.resolve(),
    };
    const provider = createMockProvider(config(), { sleep: fakeSleep().sleep, nlp: loader });
    const r = request('sentiment', ['Loved it'], 'DOUBLE', { range: [-1, 1] });
    const first = await provider.call(asRequest(r), new AbortController().signal).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ProviderError);
    expect((first as ProviderError).kind).toBe('network');
    fail = false;
    expect(valueOf(await provider.call(asRequest(r), new AbortController().signal))).toBe(mockAnswer(r, await loadNlp()));
    expect(loads).toBe(2);
  });
});

/** A loader whose on-demand parts start out missing, as in a model worker, and records what it loads. */
function fakeLoader(): { loader: NlpLoader; parts: NlpPart[] } {
  const parts: NlpPart[] = [];
  const nlp: Nlp = {
    ...CORE_LIBRARIES,
    get compromise() {
      if (!parts.includes('entities')) throw new MissingNlpPart('entities');
      return ENTITY_LIBRARY.compromise;
    },
    get eld() {
      if (!parts.includes('language')) throw new MissingNlpPart('language');
      return LANGUAGE_LIBRARY.eld;
    },
  };
  const loader: NlpLoader = {
    core: () => Promise.resolve(nlp),
    part: (part) => {
      parts.push(part);
      return Promise.resolve();
    },
  };
  return { loader, parts };
}
