import { afterEach, describe, expect, test, vi } from 'vitest';
import { redact } from '../../../../src/llm/anthropic/errors';
import type { FakeMessagesApi, Reply } from '../../../support/fake-messages-api';
import { TEST_KEY, failure, fakeKey, harness, never, request } from './helpers';

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The ProviderError one call gets when the fake API answers `reply`. */
async function errorFor(reply: Reply, timeoutMs = 5_000) {
  const h = await harness(() => reply, { timeoutMs });
  api = h.api;
  return failure(h.provider.call(request(), never()));
}

describe('HTTP statuses become ProviderError kinds', () => {
  test('429 with retry-after (seconds) is rate_limit with retryAfterMs', async () => {
    const error = await errorFor({ kind: 'error', status: 429, headers: { 'retry-after': '7' } });
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 7_000 });
    expect(error.retryable).toBe(true);
  });

  test('retry-after-ms wins over retry-after', async () => {
    const error = await errorFor({ kind: 'error', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } });
    expect(error.retryAfterMs).toBe(1_500);
  });

  test('a long retry-after is honoured as it is (the SDK would ignore one of 60 s or more)', async () => {
    const error = await errorFor({ kind: 'error', status: 429, headers: { 'retry-after': '120' } });
    expect(error.retryAfterMs).toBe(120_000);
  });

  test('retry-after as an HTTP date', async () => {
    const started = Date.now();
    const at = new Date(started + 30_000).toUTCString();
    const error = await errorFor({ kind: 'error', status: 429, headers: { 'retry-after': at } });
    // The date is whole seconds and read some time later: the wait is 30 s less that time (a busy machine may take seconds).
    expect(error.retryAfterMs).toBeGreaterThan(30_000 - 1_000 - (Date.now() - started) - 1);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  test('529 is overloaded, 500 and 503 are server errors, all retryable', async () => {
    expect((await errorFor({ kind: 'error', status: 529 })).kind).toBe('overloaded');
    await api?.close();
    expect((await errorFor({ kind: 'error', status: 500 })).kind).toBe('server');
    await api?.close();
    const unavailable = await errorFor({ kind: 'error', status: 503, headers: { 'retry-after': '2' } });
    expect(unavailable).toMatchObject({ kind: 'server', retryAfterMs: 2_000 });
    expect(unavailable.retryable).toBe(true);
  });

  test('401 and 403 are auth errors pointing at Settings', async () => {
    const unauthorized = await errorFor({ kind: 'error', status: 401, message: 'invalid x-api-key' });
    expect(unauthorized).toMatchObject({ kind: 'auth', status: 401 });
    expect(unauthorized.message).toMatch(/Check the Anthropic API key in Settings/);
    expect(unauthorized.retryable).toBe(false);
    await api?.close();
    expect((await errorFor({ kind: 'error', status: 403, message: 'not allowed' })).kind).toBe('auth');
  });

  test.each([400, 404, 422])('%i is bad_request, not retried', async (status) => {
    const error = await errorFor({ kind: 'error', status, message: 'model: not found' });
    expect(error).toMatchObject({ kind: 'bad_request', status });
    expect(error.retryable).toBe(false);
  });

  test.each([
    [413, 'request too large'],
    [400, 'prompt is too long: 210000 tokens > 200000 maximum'],
  ])('%i "%s" is too_large: not retried as it is, but fewer rows per request may fit (issue 16)', async (status, message) => {
    const error = await errorFor({ kind: 'error', status, message });
    expect(error).toMatchObject({ kind: 'too_large', status });
    expect(error.retryable).toBe(false);
  });
});

describe('spend limits are never retried', () => {
  test('a 429 that says the usage limit is reached is spend_limit', async () => {
    const error = await errorFor({
      kind: 'error',
      status: 429,
      message: 'You have reached your specified API usage limits. You will regain access on 2030-02-01.',
      headers: { 'retry-after': '5' },
    });
    expect(error.kind).toBe('spend_limit');
    expect(error.retryable).toBe(false);
  });

  test('a 429 with a spend-limit error code is spend_limit', async () => {
    const error = await errorFor({ kind: 'error', status: 429, message: 'limit', errorCode: 'enforced_spend_limit_reached' });
    expect(error.kind).toBe('spend_limit');
  });

  test('a 400 "credit balance is too low" is spend_limit, not bad_request', async () => {
    const error = await errorFor({
      kind: 'error',
      status: 400,
      message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    });
    expect(error.kind).toBe('spend_limit');
  });

  test('a 402 and a billing_error are spend_limit', async () => {
    expect((await errorFor({ kind: 'error', status: 402, type: 'billing_error', message: 'payment' })).kind).toBe('spend_limit');
  });

  test('an ordinary 429 stays rate_limit', async () => {
    const error = await errorFor({ kind: 'error', status: 429, message: 'Number of request tokens has exceeded your per-minute rate limit' });
    expect(error.kind).toBe('rate_limit');
  });
});

describe('timeouts', () => {
  test('a reply slower than timeoutMs is a timeout, on time', async () => {
    const error = await errorFor({ kind: 'answer', value: true, delayMs: 3_000 }, 200);
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
    // On time: the client gave up while the server was still holding its 3 s reply.
    expect(api?.requests[0]?.reply).toBeDefined();
    expect(api?.requests[0]?.finishedAt === undefined || (api?.requests[0]?.clientClosed ?? false)).toBe(true);
    // The server sees the close a moment later.
    await vi.waitFor(() => expect(api?.requests[0]?.clientClosed).toBe(true), { timeout: 10_000 });
  });

  test('headers on time but a body that stalls is a timeout too (the SDK timer stops at the headers)', async () => {
    const error = await errorFor({ kind: 'answer', value: true, bodyDelayMs: 3_000 }, 200);
    expect(error.kind).toBe('timeout');
    expect(api?.requests[0]?.finishedAt === undefined || (api?.requests[0]?.clientClosed ?? false)).toBe(true);
  });
});

describe('malformed answers are row-level errors', () => {
  test('a 200 with truncated JSON', async () => {
    const error = await errorFor({ kind: 'raw', body: '{"id":"msg_1","content":[{"type":"tool_u' });
    expect(error.kind).toBe('malformed');
    expect(error.retryable).toBe(false);
  });

  test('a message with text and no tool_use', async () => {
    const error = await errorFor({
      kind: 'json',
      body: {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'Yes.' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    });
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/did not call the answer tool/);
  });

  test('a tool call without a value', async () => {
    const body = {
      type: 'message',
      content: [{ type: 'tool_use', id: 't', name: 'answer', input: { answer: true } }],
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    expect((await errorFor({ kind: 'json', body })).kind).toBe('malformed');
  });

  test('the wrong type: "yes" for a BOOLEAN', async () => {
    expect((await errorFor({ kind: 'answer', value: 'yes' })).kind).toBe('malformed');
  });

  test('a score out of its range', async () => {
    const h = await harness(() => ({ kind: 'answer', value: 1.7 }));
    api = h.api;
    const error = await failure(h.provider.call(request({ operator: 'score', returns: 'DOUBLE', range: [0, 1], outputSchema: { type: 'number' } }), never()));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/from 0 to 1/);
  });

  test('a 200 that is not JSON at all', async () => {
    expect((await errorFor({ kind: 'raw', body: '<html>proxy error</html>', contentType: 'text/html' })).kind).toBe('malformed');
  });
});

describe('cancellation', () => {
  test('an abort mid-request rejects as cancelled at once and closes the connection', async () => {
    // An hour's reply: only the abort can end this call within the test's timeout.
    const h = await harness(() => ({ kind: 'answer', value: true, delayMs: 3_600_000 }));
    api = h.api;
    const controller = new AbortController();
    const pending = failure(h.provider.call(request(), controller.signal));
    await vi.waitFor(() => expect(h.api.requests.length).toBeGreaterThan(0), { timeout: 10_000 });
    controller.abort();
    const error = await pending;
    expect(error.kind).toBe('cancelled');
    await vi.waitFor(() => expect(h.api.requests[0]?.clientClosed).toBe(true), { timeout: 10_000 });
    expect(h.api.inFlight).toBe(0);
  });

  test('an abort while the body is arriving is cancelled, not timeout', async () => {
    const h = await harness(() => ({ kind: 'answer', value: true, bodyDelayMs: 5_000 }));
    api = h.api;
    const controller = new AbortController();
    const pending = failure(h.provider.call(request(), controller.signal));
    setTimeout(() => controller.abort(), 100);
    expect((await pending).kind).toBe('cancelled');
  });
});

describe('redact', () => {
  test('removes the key wherever it appears and anything shaped like an Anthropic key', () => {
    const text = `bad key ${TEST_KEY}; x=${TEST_KEY}; other ${fakeKey('admin01-AbC_d-9')}`;
    const clean = redact(text, [TEST_KEY]);
    expect(clean).not.toContain(TEST_KEY);
    expect(clean).not.toMatch(/sk-ant-/);
    expect(clean).toBe('bad key [redacted]; x=[redacted]; other [redacted]');
  });

  test("a key that is not sk-ant- shaped (a local server's) is removed too", () => {
    expect(redact('token local-secret-1234 refused', ['local-secret-1234'])).toBe('token [redacted] refused');
  });
});
