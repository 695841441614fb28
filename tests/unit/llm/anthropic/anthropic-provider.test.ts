import { afterEach, describe, expect, test } from 'vitest';
import { MISSING_KEY_MESSAGE, createAnthropicProvider } from '../../../../src/llm/anthropic/anthropic-provider';
import type { RateLimitHint } from '../../../../src/protocol/model';
import { SYSTEM_PREAMBLE, minCacheableTokens } from '../../../../src/llm/anthropic/request-body';
import { encodeGroup } from '../../../../src/sql/group-encoding';
import { userMessage } from '../../../../src/llm/prompt';
import { rowsOf } from '../../../support/prompt-data';
import type { FakeMessagesApi } from '../../../support/fake-messages-api';
import { TEST_KEY, failure, fakeKey, harness, never, request, settings } from './helpers';

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface SentBody {
  model: string;
  max_tokens: number;
  temperature?: number;
  system: { type: string; text: string; cache_control?: { type: string } }[];
  messages: { role: string; content: string }[];
  tools: { name: string; description: string; input_schema: Record<string, unknown> }[];
  tool_choice: { type: string; name: string };
}

const sent = (n = 0) => (api?.requests[n]?.body ?? {}) as SentBody;

describe('answers through the real SDK, one per return type', () => {
  test('BOOLEAN: the answer tool value comes back as a boolean, with its token counts', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true, usage: { input_tokens: 120, output_tokens: 9 } }));
    api = h.api;
    const answer = await h.provider.call(request(), never());
    expect(answer).toEqual({ rows: [{ ok: true, value: true }], inputTokens: 120, outputTokens: 9 });
  });

  test('DOUBLE with a range: a score inside [0, 1] is kept as a number', async () => {
    const h = await harness(() => ({ kind: 'answer', value: 0.8 }));
    api = h.api;
    const score = request({ operator: 'score', returns: 'DOUBLE', range: [0, 1], outputSchema: { type: 'number', minimum: 0, maximum: 1 } });
    expect((await h.provider.call(score, never())).rows).toEqual([{ ok: true, value: 0.8 }]);
  });

  test('VARCHAR: text comes back as text', async () => {
    const h = await harness(() => ({ kind: 'answer', value: "J'adore DuckDB" }));
    api = h.api;
    const translate = request({ operator: 'translate', returns: 'VARCHAR', outputSchema: { type: 'string' } });
    expect((await h.provider.call(translate, never())).rows).toEqual([{ ok: true, value: "J'adore DuckDB" }]);
  });

  test('an aggregate over an encoded group: the group is in the prompt, the answer is one value', async () => {
    const group = encodeGroup(['great release', 'love it', 'crashes on start']) ?? '';
    const h = await harness(() => ({ kind: 'answer', value: 0.4 }));
    api = h.api;
    const agg = request({
      operator: 'sentiment_agg',
      returns: 'DOUBLE',
      range: [-1, 1],
      grouped: true,
      template: 'Rate the overall sentiment of these texts from -1 (very negative) to 1 (very positive).\nTexts:\n{{values}}',
      fields: ['values'],
      rows: [{ key: 'k', args: [group] }],
      outputSchema: { type: 'number', minimum: -1, maximum: 1 },
    });
    expect((await h.provider.call(agg, never())).rows).toEqual([{ ok: true, value: 0.4 }]);
    // The group reaches the model as one JSON array: one element per member.
    expect(rowsOf(sent())[0]?.['values']).toEqual(['crashes on start', 'great release', 'love it']);
  });

  test('a VARCHAR operator with an array schema (themes) answers with JSON text, as the mock does', async () => {
    const h = await harness(() => ({ kind: 'answer', value: ['speed', 'bugs'] }));
    api = h.api;
    const themes = request({ operator: 'themes', returns: 'VARCHAR', grouped: true, outputSchema: { type: 'array', items: { type: 'string' } } });
    expect((await h.provider.call(themes, never())).rows).toEqual([{ ok: true, value: '["speed","bugs"]' }]);
  });

  test('cache writes and reads count as input tokens', async () => {
    const h = await harness(() => ({
      kind: 'answer',
      value: false,
      usage: { input_tokens: 5, cache_creation_input_tokens: 1000, cache_read_input_tokens: 300, output_tokens: 7 },
    }));
    api = h.api;
    const answer = await h.provider.call(request(), never());
    expect(answer.inputTokens).toBe(1305);
    expect(answer.outputTokens).toBe(7);
  });
});

describe('the request body', () => {
  test('forces the answer tool whose input schema wraps the operator schema, with model, max_tokens and system', async () => {
    const h = await harness(() => ({ kind: 'answer', value: 0.5 }), { maxTokens: 333 });
    api = h.api;
    const schema = { type: 'number', minimum: 0, maximum: 1 };
    await h.provider.call(
      request({
        operator: 'score',
        returns: 'DOUBLE',
        range: [0, 1],
        outputSchema: schema,
        instructions: ['be strict about sarcasm'],
        model: 'claude-sonnet-4-6',
        temperature: 0,
      }),
      never(),
    );
    const recorded = h.api.requests[0];
    expect(recorded?.method).toBe('POST');
    expect(recorded?.path).toBe('/v1/messages');
    const body = sent();
    expect(body.model).toBe('claude-sonnet-4-6');
    // A number needs a few dozen tokens: max_tokens stays small, since the output limit reserves it up front.
    expect(body.max_tokens).toBeLessThan(100);
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0]?.name).toBe('answer');
    expect(body.tools[0]?.input_schema).toEqual({
      type: 'object',
      properties: { answers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, value: schema }, required: ['id', 'value'] } } },
      required: ['answers'],
    });
    expect(body.tools[0]?.description).toMatch(/from 0 to 1/);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer', disable_parallel_tool_use: true });
    expect(body.messages).toEqual([{ role: 'user', content: userMessage(request()) }]);
    expect(body.system).toHaveLength(1);
    expect(body.system[0]?.text.startsWith(SYSTEM_PREAMBLE)).toBe(true);
    expect(body.system[0]?.text).toContain('- be strict about sarcasm');
  });

  test('sends no temperature: API version 2026-10-21 (what SDK 1.x sends) rejects it with a 400', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true }));
    api = h.api;
    await h.provider.call(request({ temperature: 0.7 }), never());
    expect(sent()).not.toHaveProperty('temperature');
    expect(h.api.requests[0]?.headers['anthropic-version']).toBe('2026-10-21');
  });

  test("the SDK does not retry: one failed call is one request (retries are the pool's)", async () => {
    const h = await harness(() => ({ kind: 'error', status: 500 }));
    api = h.api;
    await failure(h.provider.call(request(), never()));
    expect(h.api.requests).toHaveLength(1);
  });
});

describe('prompt caching', () => {
  test('a short system prompt carries no cache marker', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true }));
    api = h.api;
    await h.provider.call(request({ model: 'claude-sonnet-4-6' }), never());
    expect(sent().system[0]?.cache_control).toBeUndefined();
  });

  test('a system prompt long enough to be cached is marked ephemeral', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true }));
    api = h.api;
    const long = 'Treat irony as its literal opposite and explain nothing. '.repeat(80); // ~4,500 chars
    await h.provider.call(request({ model: 'claude-sonnet-4-6', instructions: [long] }), never());
    expect(sent().system[0]?.cache_control).toEqual({ type: 'ephemeral' });
  });

  test('the minimum follows the model: the same prompt is too short for Haiku 4.5', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true }));
    api = h.api;
    const long = 'Treat irony as its literal opposite and explain nothing. '.repeat(80);
    await h.provider.call(request({ model: 'claude-haiku-4-5', instructions: [long] }), never());
    expect(sent().system[0]?.cache_control).toBeUndefined();
    expect(minCacheableTokens('claude-haiku-4-5')).toBe(4096);
    expect(minCacheableTokens('claude-sonnet-4-6')).toBe(1024);
  });
});

describe('the API key', () => {
  test('appears only in the authorization header: not in a body, a URL or another header', async () => {
    const h = await harness((_req, n) => (n === 1 ? { kind: 'answer', value: true } : { kind: 'error', status: 400, message: 'bad' }));
    api = h.api;
    await h.provider.call(request(), never());
    await failure(h.provider.call(request(), never()));
    expect(h.api.requests).toHaveLength(2);
    for (const recorded of h.api.requests) {
      expect(recorded.rawBody).not.toContain(TEST_KEY);
      expect(recorded.path).not.toContain(TEST_KEY);
      const carrying = Object.entries(recorded.headers)
        .filter(([, value]) => value.includes(TEST_KEY))
        .map(([name]) => name);
      // SDK 1.x sends the key as a bearer token (src/client.ts, apiKeyAuth), no longer as x-api-key.
      expect(carrying).toEqual(['authorization']);
      expect(recorded.headers['authorization']).toBe(`Bearer ${TEST_KEY}`);
    }
  });

  test('a 401 whose body echoes the key gives an auth error that names Settings and not the key', async () => {
    const h = await harness(() => ({ kind: 'error', status: 401, message: `invalid x-api-key: ${TEST_KEY} (also ${fakeKey('other-123')})` }));
    api = h.api;
    const error = await failure(h.provider.call(request(), never()));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/Settings/);
    expect(error.message).not.toContain(TEST_KEY);
    expect(error.message).not.toMatch(/sk-ant-/);
    expect(JSON.stringify(error.toInfo())).not.toContain(TEST_KEY);
  });

  test('a missing key fails each call with an auth error and sends nothing', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true }), {}, { apiKey: async () => undefined });
    api = h.api;
    const error = await failure(h.provider.call(request(), never()));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(MISSING_KEY_MESSAGE);
    expect(h.api.requests).toHaveLength(0);
  });

  test('a key changed between calls is used from the next call on', async () => {
    let key = fakeKey('first-key-0001');
    const h = await harness(() => ({ kind: 'answer', value: true }), {}, { apiKey: async () => key });
    api = h.api;
    await h.provider.call(request(), never());
    key = fakeKey('second-key-0002');
    await h.provider.call(request(), never());
    expect(h.api.requests.map((r) => r.headers['authorization'])).toEqual([`Bearer ${fakeKey('first-key-0001')}`, `Bearer ${fakeKey('second-key-0002')}`]);
  });
});

describe('rate-limit headers', () => {
  const LIMIT_HEADERS = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:30Z',
    'anthropic-ratelimit-input-tokens-limit': '40000',
    'anthropic-ratelimit-input-tokens-remaining': '39000',
  };

  test('are reported on an answer and on a 429, as they arrive', async () => {
    const hints: RateLimitHint[] = [];
    const h = await harness(
      (_req, n) =>
        n === 1
          ? { kind: 'answer', value: true, headers: LIMIT_HEADERS }
          : { kind: 'error', status: 429, headers: { ...LIMIT_HEADERS, 'anthropic-ratelimit-requests-remaining': '0', 'retry-after': '3' } },
      {},
      { onRateLimitHeaders: (hint) => hints.push(hint), now: () => Date.parse('2030-01-01T00:00:00Z') },
    );
    api = h.api;
    await h.provider.call(request(), never());
    const error = await failure(h.provider.call(request(), never()));
    expect(error.kind).toBe('rate_limit');
    expect(hints).toHaveLength(2);
    expect(hints[0]?.requests).toEqual({ limit: 50, remaining: 49, resetAt: Date.parse('2030-01-01T00:00:30Z') });
    expect(hints[0]?.inputTokens).toEqual({ limit: 40_000, remaining: 39_000 });
    expect(hints[1]?.requests?.remaining).toBe(0);
    expect(hints[1]?.retryAfterMs).toBe(3_000);
  });

  test('a response without them reports nothing', async () => {
    const hints: RateLimitHint[] = [];
    const h = await harness(() => ({ kind: 'answer', value: true }), {}, { onRateLimitHeaders: (hint) => hints.push(hint) });
    api = h.api;
    await h.provider.call(request(), never());
    expect(hints).toEqual([]);
  });
});

test('an already aborted signal fails at once without a request', async () => {
  const h = await harness(() => ({ kind: 'answer', value: true }));
  api = h.api;
  const controller = new AbortController();
  controller.abort();
  expect((await failure(h.provider.call(request(), controller.signal))).kind).toBe('cancelled');
  expect(h.api.requests).toHaveLength(0);
});

test('an unreachable endpoint is a network error', async () => {
  const h = await harness(() => ({ kind: 'answer', value: true }));
  const url = h.api.url;
  await h.api.close();
  const provider = createAnthropicProvider({ ...settings(h.api), baseURL: url }, { apiKey: async () => TEST_KEY });
  const error = await failure(provider.call(request(), never()));
  expect(error.kind).toBe('network');
  expect(error.message).not.toContain(TEST_KEY);
});

test('a large max_tokens with no timeout configured still sends (the SDK would refuse it without one)', async () => {
  const h = await harness(() => ({ kind: 'answer', value: 'a long essay' }), { maxTokens: 64_000, timeoutMs: 0 });
  api = h.api;
  const text = request({ operator: 'ask', returns: 'VARCHAR', outputSchema: { type: 'string' } });
  expect((await h.provider.call(text, never())).rows).toEqual([{ ok: true, value: 'a long essay' }]);
  // Free text asked alone may use the whole per-row allowance.
  expect(sent().max_tokens).toBe(64_000);
});
