import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../../src/llm/anthropic/read-answer';
import { messageBody } from '../../../../src/llm/anthropic/request-body';
import { checkAnswer } from '../../../../src/llm/answer-check';
import { mulberry32 } from '../../../../src/llm/mock/random';
import { ProviderError } from '../../../../src/llm/provider';
import { AdaptiveLimit } from '../../../../src/llm/scheduler/adaptive-limit';
import { shareUsage } from '../../../../src/llm/scheduler/batching';
import { createCallScheduler, type AttemptCaller } from '../../../../src/llm/scheduler/call-scheduler';
import { modelRequest } from '../../../../src/engine/model-request';
import type { ModelAnswer, ModelRequest, TokenUsage } from '../../../../src/protocol/model';
import type { CallOutcome, CallSession } from '../../../../src/protocol/model-calls';
import type { SessionOptions } from '../../../../src/llm/scheduler/session-options';
import { BUILTIN_OPERATORS, userOperator } from '../../../../src/sql';
import { toolUseMessage } from '../../../support/fake-wire';
import { HOSTILE_VALUES, rowsOf, type PromptRow } from '../../../support/prompt-data';

/**
 * Rows per call (issue 16) through the scheduler, with a fake model behind the real Anthropic request
 * body and answer reader: the fake reads each request's data block, answers every row by its id (in
 * reverse order, so position means nothing), and can leave rows out, mistype them, or overflow. What
 * is checked is what the design promises: same-task rows share requests of up to B rows, rows missing
 * or ill-typed are asked again alone, an overflow halves B, every request counts against the budget,
 * every row settles once, and usage shares add up to what the requests consumed.
 */

const SCOPE = { provider: 'anthropic:fake', model: 'claude-haiku-4-5', temperature: 0, instructions: [] as string[] };
const SETTINGS = { baseURL: '', maxTokens: 1024, timeoutMs: 0, requestsPerMinute: 0, tokensPerMinute: 0, batchBaseURL: '' };

function builtin(name: string) {
  const def = BUILTIN_OPERATORS.find((op) => op.name === name);
  if (!def) throw new Error(`no built-in ${name}`);
  return def;
}

/** The one-row request the engine submits for `args`; its key is the first argument, for reading tests. */
function row(operator: string, args: string[], scope: Partial<typeof SCOPE> = {}): ModelRequest {
  return modelRequest(args[0] ?? '', builtin(operator), args, { ...SCOPE, ...scope });
}

const keyOf = (r: ModelRequest): string => r.rows[0]?.key ?? '';

/** What the fake model answers for a row, read from the data block: the same rule whatever else the request holds. */
function truth(operator: string, fields: PromptRow): unknown {
  const text = String(fields['text'] ?? fields['a'] ?? '');
  switch (operator) {
    case 'matches':
      return text.length % 2 === 0;
    case 'score':
      return (text.length % 10) / 10;
    default:
      return `${fields['prompt'] ?? operator} -> ${text.length}:${text.slice(0, 12)}`;
  }
}

/** A value of the wrong type for each answer type. */
const WRONG_TYPE = { BOOLEAN: 'yes', DOUBLE: 'very relevant', VARCHAR: 42 } as const;

/** What the answer tool receives for a row: the right value, a wrong type, or nothing at all. */
type Fate = 'right' | 'mistyped' | 'missing';

interface FakeModel extends AttemptCaller {
  /** Each request's row keys, in the order requests were made. */
  calls: string[][];
  /** What each answered request consumed, in call order. */
  used: TokenUsage[];
}

interface FakeOptions {
  /** Per row of a request of `size` rows. */
  fate?: (fields: PromptRow, size: number) => Fate;
  /** Thrown instead of answering, e.g. a 413 for requests that are too large. */
  fail?: (request: ModelRequest) => ProviderError | undefined;
  /** The reply's stop reason (e.g. 'max_tokens' for an answer cut off). */
  stopReason?: (request: ModelRequest) => string;
  usage?: (request: ModelRequest) => { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
  /** Replaces the reply the model sends (read by the provider's reader like any other). */
  reply?: (request: ModelRequest) => Record<string, unknown> | undefined;
}

/**
 * A model worker in miniature: builds the real Messages API body, lets a fake model answer it as a
 * tool call, and reads that answer with the provider's own reader and check (llm-service.ts does
 * the same in the worker).
 */
function fakeModel(options: FakeOptions = {}): FakeModel {
  const calls: string[][] = [];
  const used: TokenUsage[] = [];
  let inFlight = 0;
  return {
    calls,
    used,
    inFlight: () => inFlight,
    async call(request, signal) {
      calls.push(request.rows.map((r) => r.key));
      inFlight++;
      try {
        await Promise.resolve();
        if (signal.aborted) throw new ProviderError({ kind: 'cancelled', message: 'cancelled' });
        const failure = options.fail?.(request);
        if (failure) throw failure;
        const body = messageBody(request, SETTINGS);
        const rows = rowsOf(body);
        expect(rows).toHaveLength(request.rows.length);
        const answered = rows.filter((r) => (options.fate?.(r, rows.length) ?? 'right') !== 'missing');
        const value = (id: string) => {
          const fields = rows.find((r) => r.id === id) as PromptRow;
          return options.fate?.(fields, rows.length) === 'mistyped' ? WRONG_TYPE[request.returns] : truth(request.operator, fields);
        };
        const usage = options.usage?.(request) ?? { input_tokens: 10 * rows.length + 7, output_tokens: 3 * rows.length + 1 };
        const message = toolUseMessage(value, usage, request.model, answered.map((r) => r.id).reverse());
        if (options.stopReason) message['stop_reason'] = options.stopReason(request);
        const answer: ModelAnswer = checkAnswer(request, readAnswer(request, options.reply?.(request) ?? message));
        used.push({
          inputTokens: answer.inputTokens,
          outputTokens: answer.outputTokens,
          ...(answer.cacheReadTokens ? { cacheReadTokens: answer.cacheReadTokens } : {}),
        });
        return answer;
      } finally {
        inFlight--;
      }
    },
  };
}

const options = (over: Partial<SessionOptions> = {}): SessionOptions => ({
  parallel: 1,
  signal: new AbortController().signal,
  maxAttempts: 4,
  budget: 1_000,
  maxWaitMs: 60_000,
  rowsPerRequest: 1,
  isFatal: () => false,
  ...over,
});

function open(caller: AttemptCaller, over: Partial<SessionOptions> = {}): { session: CallSession; settled: CallOutcome[] } {
  const settled: CallOutcome[] = [];
  const session = createCallScheduler({ caller, limit: new AdaptiveLimit({ max: 64 }), retry: { baseDelayMs: 1, maxDelayMs: 5 } }).session(
    options({ ...over, onSettled: (o) => settled.push(o) }),
  );
  return { session, settled };
}

/** The value the fake model gives `request`'s row when asked properly. */
function expected(request: ModelRequest): unknown {
  const fields: PromptRow = { id: '1' };
  request.fields.forEach((name, i) => (fields[name] = request.rows[0]?.args[i]));
  return truth(request.operator, fields);
}

const sizes = (calls: string[][]) => calls.map((c) => c.length);
const texts = (n: number, prefix = 'review') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}${'!'.repeat(i % 3)}`);

describe('rows of one task share requests of up to B rows', () => {
  it('sends rows submitted together B at a time, in order, each answered with its own value', async () => {
    const model = fakeModel();
    const { session } = open(model, { rowsPerRequest: 4, parallel: 2 });
    const requests = texts(10).map((t) => row('matches', [t, 'a complaint']));
    const outcomes = await Promise.all(requests.map((r) => session.submit(r)));
    expect(sizes(model.calls)).toEqual([4, 4, 2]);
    expect(model.calls.flat()).toEqual(requests.map(keyOf));
    expect(outcomes.map((o) => o.value)).toEqual(requests.map(expected));
    expect(outcomes.map((o) => [o.status, o.attempts, o.rowsInRequest])).toEqual(requests.map((_, i) => ['ok', 1, i < 8 ? 4 : 2]));
    expect(session.attempts).toBe(3);
  });

  it('re-asks exactly the rows left out or mistyped in a batch answer, each alone, and nothing else', async () => {
    const all = texts(8);
    const missing = new Set([all[2], all[5]]);
    const mistyped = new Set([all[4]]);
    const model = fakeModel({
      fate: (fields, size) =>
        size === 1 ? 'right' : missing.has(String(fields['text'])) ? 'missing' : mistyped.has(String(fields['text'])) ? 'mistyped' : 'right',
    });
    const { session, settled } = open(model, { rowsPerRequest: 8 });
    const requests = all.map((t) => row('matches', [t, 'a complaint']));
    const outcomes = await Promise.all(requests.map((r) => session.submit(r)));

    expect(model.calls[0]).toEqual(all);
    // Exactly three more requests, one row each: the two left out and the one mistyped.
    expect(model.calls.slice(1).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(model.calls.slice(1).flat().sort()).toEqual([all[2], all[4], all[5]].sort());
    expect(session.attempts).toBe(4);
    // Every row has its own right value: none guessed, none shifted.
    expect(outcomes.map((o) => [o.status, o.value])).toEqual(requests.map((r) => ['ok', expected(r)]));
    const retried = new Set([...missing, ...mistyped]);
    for (const o of outcomes) {
      expect(o.attempts, keyOf(o.request)).toBe(retried.has(keyOf(o.request)) ? 2 : 1);
      expect(o.rowsInRequest, keyOf(o.request)).toBe(retried.has(keyOf(o.request)) ? 1 : 8);
    }
    expect(settled).toHaveLength(8);
  });

  it("turns a row that is still ill-typed when asked alone into that row's error, never a value", async () => {
    const bad = 'the one the model gets wrong';
    const model = fakeModel({ fate: (fields) => (fields['text'] === bad ? 'mistyped' : 'right') });
    const { session } = open(model, { rowsPerRequest: 4 });
    const requests = ['first row', bad, 'third row', 'fourth row'].map((t) => row('score', [t, 'shipping']));
    const outcomes = await Promise.all(requests.map((r) => session.submit(r)));
    expect(sizes(model.calls)).toEqual([4, 1]);
    expect(model.calls[1]).toEqual([bad]);
    const wrong = outcomes.find((o) => keyOf(o.request) === bad);
    expect(wrong).toMatchObject({ status: 'error', attempts: 2, error: { kind: 'malformed' } });
    expect(wrong?.value).toBeUndefined();
    expect(wrong?.error?.message).toMatch(/expected a number/);
    for (const o of outcomes) if (o !== wrong) expect([o.status, o.value]).toEqual(['ok', expected(o.request)]);
  });

  // A reply without the tool call (text instead) or without its answers answers no row: each row is
  // missing and is asked again alone, as a row left out would be.
  it('re-asks the rows alone when a batched reply holds no answers at all', async () => {
    const text = {
      content: [{ type: 'text', text: 'Here are my answers: yes, no, yes, no' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 40, output_tokens: 9 },
    };
    const noAnswers = {
      content: [{ type: 'tool_use', id: 't', name: 'answer', input: { verdicts: [] } }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 40, output_tokens: 9 },
    };
    for (const reply of [text, noAnswers]) {
      const model = fakeModel({ reply: (request) => (request.rows.length > 1 ? reply : undefined) });
      const { session } = open(model, { rowsPerRequest: 4 });
      const requests = texts(4).map((t) => row('matches', [t, 'a complaint']));
      const outcomes = await Promise.all(requests.map((r) => session.submit(r)));
      expect(sizes(model.calls)).toEqual([4, 1, 1, 1, 1]);
      expect(outcomes.map((o) => [o.status, o.value])).toEqual(requests.map((r) => ['ok', expected(r)]));
    }
  });
});

describe('an overflow never raises B', () => {
  // B once followed the failed request's half: with parallel 3, B = 8 and requests of more than 2
  // rows overflowing, an 8-row request held back and overflowing late set B from 2 back to 4.
  it('sends no fresh rows in a request as large as one that already overflowed', async () => {
    const tooLarge = () => new ProviderError({ kind: 'too_large', status: 413, message: 'model endpoint error 413 (too_large): too large' });
    // Starts and overflows in the order they happened.
    const events: { kind: 'start' | 'overflow'; keys: string[] }[] = [];
    let starts = 0;
    let releaseHeld: (() => void) | undefined;
    const caller: AttemptCaller = {
      inFlight: () => 0,
      async call(request) {
        const keys = request.rows.map((r) => r.key);
        events.push({ kind: 'start', keys });
        if (++starts === 2) await new Promise<void>((release) => (releaseHeld = release));
        else await Promise.resolve();
        if (request.rows.length > 2) {
          events.push({ kind: 'overflow', keys });
          throw tooLarge();
        }
        // Fresh rows are going out two at a time: now the held request overflows.
        if (Number(keys[0]) >= 24) releaseHeld?.();
        return { rows: request.rows.map(() => ({ ok: true as const, value: 'v' })), inputTokens: 1, outputTokens: 1 };
      },
    };
    const { session } = open(caller, { rowsPerRequest: 8, parallel: 3 });
    const outcomes = await Promise.all(Array.from({ length: 48 }, (_, i) => session.submit(row('ask', [String(i), 'q?']))));
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    expect(
      events.some((e) => e.kind === 'overflow' && e.keys[0] === '8' && e.keys.length === 8),
      'the held request overflowed late',
    ).toBe(true);
    const sent = new Set<string>();
    let smallestOverflow = Infinity;
    for (const event of events) {
      if (event.kind === 'overflow') smallestOverflow = Math.min(smallestOverflow, event.keys.length);
      else if (event.keys.every((k) => !sent.has(k))) expect(event.keys.length, `fresh rows ${event.keys.join(',')}`).toBeLessThan(smallestOverflow);
      for (const k of event.keys) sent.add(k);
    }
  });
});

describe("a hostile value cannot shift other rows' answers", () => {
  it('gives every row its own answer at B = 16 and at B = 1, the same ones', async () => {
    const values = [...HOSTILE_VALUES, 'an ordinary review of a kettle', 'another ordinary one'];
    const run = async (batch: number) => {
      const model = fakeModel();
      const { session } = open(model, { rowsPerRequest: batch, parallel: 3 });
      const outcomes = await Promise.all(values.map((v) => session.submit(row('ask', [v, 'what is this about?']))));
      return { outcomes, model };
    };
    const one = await run(1);
    const sixteen = await run(16);
    expect(sizes(one.model.calls)).toEqual(values.map(() => 1));
    expect(sizes(sixteen.model.calls)).toEqual([16, values.length - 16]);
    const answers = (o: CallOutcome[]) => o.map((x) => [x.status, x.value]);
    expect(answers(sixteen.outcomes)).toEqual(values.map((v) => ['ok', expected(row('ask', [v, 'what is this about?']))]));
    expect(answers(sixteen.outcomes)).toEqual(answers(one.outcomes));
  });
});

describe('a user operator whose argument is called `id`', () => {
  // Its values once replaced the row ids in the data block, so answers landed on the wrong rows.
  it('gives each row its own answer, alone and batched', async () => {
    const def = userOperator({
      name: 'tag',
      args: [
        { name: 'id', type: 'VARCHAR' },
        { name: 'text', type: 'VARCHAR' },
      ],
      returns: 'VARCHAR',
      prompt: 'Label {{text}} with {{id}}',
    });
    const rows = [
      ['2', 'alpha'],
      ['1', 'beta'],
      ['x7', 'gamma'],
    ].map((args) => modelRequest(args.join('|'), def, args, SCOPE));
    for (const batch of [1, 3]) {
      const { session } = open(fakeModel(), { rowsPerRequest: batch });
      const outcomes = await Promise.all(rows.map((r) => session.submit(r)));
      expect(
        outcomes.map((o) => [o.status, o.value]),
        `B = ${batch}`,
      ).toEqual(rows.map((r) => ['ok', expected(r)]));
    }
  });
});

describe('rows of different tasks never share a request', () => {
  it('keeps apart operators, models, temperatures, statement instructions and llm() prompts', async () => {
    const llm = (prompt: string, text: string) => modelRequest(text, builtin('llm'), [prompt, text], SCOPE);
    const tasks: Record<string, (text: string) => ModelRequest> = {
      matches: (t) => row('matches', [t, 'a complaint']),
      score: (t) => row('score', [t, 'shipping']),
      otherModel: (t) => row('matches', [t, 'a complaint'], { model: 'claude-sonnet-4-5' }),
      warmer: (t) => row('matches', [t, 'a complaint'], { temperature: 0.7 }),
      instructed: (t) => row('matches', [t, 'a complaint'], { instructions: ['answer strictly'] }),
      llmA: (t) => llm('Is {{a}} polite?', t),
      llmB: (t) => llm('Is {{a}} rude?', t),
    };
    const names = Object.keys(tasks);
    const submitted: { task: string; request: ModelRequest }[] = [];
    // Interleaved: row i of every task, then row i + 1 …; texts are unique per task so keys tell them apart.
    for (let i = 0; i < 5; i++)
      for (const name of names) submitted.push({ task: name, request: (tasks[name] as (t: string) => ModelRequest)(`${name} text ${i}`) });
    const model = fakeModel();
    const { session } = open(model, { rowsPerRequest: 8, parallel: 3 });
    const outcomes = await Promise.all(submitted.map((s) => session.submit(s.request)));
    const taskOfKey = new Map(submitted.map((s) => [keyOf(s.request), s.task]));
    for (const call of model.calls) expect(new Set(call.map((k) => taskOfKey.get(k))).size, call.join(' | ')).toBe(1);
    // Submitted together, each task's five rows fill one request.
    expect(sizes(model.calls)).toEqual(names.map(() => 5));
    expect(outcomes.map((o) => [o.status, o.value])).toEqual(submitted.map((s) => ['ok', expected(s.request)]));
  });
});

describe('the request budget', () => {
  it('counts a batched request as one request and a lone retry as one more', async () => {
    const all = texts(8);
    const model = fakeModel({ fate: (fields, size) => (size > 1 && fields['text'] === all[1] ? 'missing' : 'right') });
    const { session } = open(model, { rowsPerRequest: 4, budget: 2 });
    const outcomes = await Promise.all(all.map((t) => session.submit(row('matches', [t, 'a complaint']))));
    // Request 1: rows 1–4 (row 2 left out); request 2: row 2 alone; rows 5–8 would be request 3.
    expect(model.calls).toEqual([all.slice(0, 4), [all[1]]]);
    expect(session.attempts).toBe(2);
    expect(outcomes.slice(0, 4).map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    for (const o of outcomes.slice(4)) expect(o).toMatchObject({ status: 'error', attempts: 0, error: { kind: 'budget' } });
  });
});

describe('every submitted row settles exactly once', () => {
  for (const seed of [1, 2, 3]) {
    it(`under 429s, 500s, overflows, missing and mistyped rows, and a cancel (seed ${seed})`, async () => {
      const random = mulberry32(seed);
      const controller = new AbortController();
      let callsAtCancel = -1;
      let refused = 0;
      const model: FakeModel = fakeModel({
        fail: (r) => {
          // Cancelled while a good part of the work is done, some of it in flight.
          if (model.calls.length >= 60 && !controller.signal.aborted) {
            controller.abort();
            callsAtCancel = model.calls.length;
          }
          const x = random();
          if (r.rows.length > 6 && x < 0.3) return new ProviderError({ kind: 'too_large', status: 413, message: 'too large' });
          if (x < 0.4) {
            refused++;
            return new ProviderError({ kind: 'rate_limit', status: 429, message: '429', retryAfterMs: 0 });
          }
          if (x < 0.45) return new ProviderError({ kind: 'server', status: 500, message: '500', retryAfterMs: 0 });
          return undefined;
        },
        fate: () => {
          const x = random();
          return x < 0.1 ? 'missing' : x < 0.15 ? 'mistyped' : 'right';
        },
      });
      const { session, settled } = open(model, { rowsPerRequest: 8, parallel: 4, signal: controller.signal });
      const submitted = [
        ...texts(60, 'alpha').map((t) => row('matches', [t, 'a complaint'])),
        ...texts(50, 'beta').map((t) => row('score', [t, 'shipping'])),
        ...texts(40, 'gamma').map((t) => row('ask', [t, 'who wrote it?'])),
      ];
      const resolutions = new Map<string, number>();
      const all = Promise.all(
        submitted.map((r) =>
          session.submit(r).then((o) => {
            resolutions.set(keyOf(r), (resolutions.get(keyOf(r)) ?? 0) + 1);
            return o;
          }),
        ),
      );
      const outcomes = await all;
      const statuses = new Set(outcomes.map((o) => o.status));
      expect([...statuses].sort()).toEqual(['cancelled', 'error', 'ok']);

      expect(outcomes).toHaveLength(submitted.length);
      expect([...resolutions.values()].every((n) => n === 1)).toBe(true);
      expect(resolutions.size).toBe(submitted.length);
      const byKey = new Map<string, number>();
      for (const o of settled) byKey.set(keyOf(o.request), (byKey.get(keyOf(o.request)) ?? 0) + 1);
      expect(
        [...byKey.values()].every((n) => n === 1),
        'onSettled once per row',
      ).toBe(true);
      outcomes.forEach((o, i) => {
        expect(o.request).toBe(submitted[i]);
        // A value is always the row's own; anything else is an error or a cancellation.
        if (o.status === 'ok') expect(o.value).toEqual(expected(o.request));
        else expect(o.value).toBeUndefined();
      });
      // Nothing sent after the cancel, and nothing still in flight.
      expect(model.calls.length).toBe(callsAtCancel);
      expect(model.inFlight()).toBe(0);
      // The budget counts billed requests: every one sent but those refused with a 429.
      expect(session.attempts).toBe(model.calls.length - refused);
    });
  }
});

describe('usage shares', () => {
  it("splits each request's tokens over its rows in whole tokens that add up to the request's", async () => {
    const model = fakeModel({ usage: (r) => ({ input_tokens: 101 + r.rows.length, output_tokens: 7, cache_read_input_tokens: 13 }) });
    const { session } = open(model, { rowsPerRequest: 5, parallel: 2 });
    const outcomes = await Promise.all(texts(13).map((t) => session.submit(row('matches', [t, 'a complaint']))));
    expect(sizes(model.calls)).toEqual([5, 5, 3]);
    const sum = (list: TokenUsage[], f: (u: TokenUsage) => number | undefined) => list.reduce((n, u) => n + (f(u) ?? 0), 0);
    for (const f of [(u: TokenUsage) => u.inputTokens, (u: TokenUsage) => u.outputTokens, (u: TokenUsage) => u.cacheReadTokens]) {
      expect(
        sum(
          outcomes.map((o) => o.usage),
          f,
        ),
      ).toBe(sum(model.used, f));
    }
    for (const o of outcomes) {
      for (const n of [o.usage.inputTokens, o.usage.outputTokens, o.usage.cacheReadTokens ?? 0]) expect(Number.isInteger(n)).toBe(true);
    }
    // Rows of one request get shares that differ by at most one token.
    const first = outcomes.slice(0, 5).map((o) => o.usage.inputTokens);
    expect(Math.max(...first) - Math.min(...first)).toBeLessThanOrEqual(1);
  });

  it("adds a lone retry's whole usage to the batch share of the row it answers", async () => {
    const all = texts(4);
    const model = fakeModel({
      fate: (fields, size) => (size > 1 && fields['text'] === all[3] ? 'missing' : 'right'),
      usage: (r) => ({ input_tokens: r.rows.length === 1 ? 50 : 200, output_tokens: r.rows.length === 1 ? 3 : 10 }),
    });
    const { session } = open(model, { rowsPerRequest: 4 });
    const outcomes = await Promise.all(all.map((t) => session.submit(row('matches', [t, 'a complaint']))));
    expect(outcomes.map((o) => o.usage)).toEqual([
      { inputTokens: 50, outputTokens: 3 },
      { inputTokens: 50, outputTokens: 3 },
      { inputTokens: 50, outputTokens: 2 },
      { inputTokens: 100, outputTokens: 5 },
    ]);
  });

  it('gives shares that add up exactly for any usage and any row count', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 500; i++) {
      const rows = 1 + Math.floor(random() * 70);
      const usage: TokenUsage = {
        inputTokens: Math.floor(random() * 5000),
        outputTokens: Math.floor(random() * 300),
        cacheReadTokens: Math.floor(random() * 40),
        cacheWriteTokens: Math.floor(random() * 3),
      };
      const shares = shareUsage(usage, rows);
      expect(shares).toHaveLength(rows);
      for (const key of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) {
        const parts = shares.map((s) => s[key] ?? 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(usage[key]);
        expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
      }
    }
  });
});
