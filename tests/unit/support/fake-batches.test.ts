import Anthropic, { AnthropicError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { afterEach, expect, test } from 'vitest';
import { startFakeMessagesApi, type FakeBatchesOptions, type FakeMessagesApi, type FakeMessagesApiOptions } from '../../support/fake-messages-api';

let fake: FakeMessagesApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(batches: FakeBatchesOptions, extra: Partial<FakeMessagesApiOptions> = {}) {
  fake = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: 'from messages' }), batches, ...extra });
  return { fake, client: new Anthropic({ baseURL: fake.url, apiKey: 'test', maxRetries: 0, dangerouslyAllowBrowser: true }) };
}

const params = (text: string) => ({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: text }] });
const requests = (n: number, prefix = 'row') => Array.from({ length: n }, (_, i) => ({ custom_id: `${prefix}-${i}`, params: params(`${prefix} ${i}`) }));
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function untilEnded(client: Anthropic, id: string): Promise<MessageBatch> {
  for (;;) {
    const batch = await client.messages.batches.retrieve(id);
    if (batch.processing_status === 'ended') return batch;
    await sleep(25);
  }
}

async function results(client: Anthropic, id: string): Promise<MessageBatchIndividualResponse[]> {
  const lines: MessageBatchIndividualResponse[] = [];
  for await (const line of await client.messages.batches.results(id)) lines.push(line);
  return lines;
}

test('create, retrieve, results: succeeded, errored and expired requests, through the SDK decoder', async () => {
  // The batch's clock moves by hand: on a busy machine 200 ms of real time could end it before the checks below.
  let now = Date.now();
  const { fake, client } = await start(
    {
      latencyMs: 200,
      answer: (p, id) => {
        const text = String((p['messages'] as { content: string }[])[0]?.content);
        if (id === 'row-3') return { kind: 'error', type: 'invalid_request_error', message: 'prompt is too long' };
        if (id === 'row-4') return 'expire';
        return { kind: 'answer', value: text.toUpperCase() };
      },
    },
    { now: () => now },
  );
  const created = await client.messages.batches.create({ requests: requests(20) });
  expect(created).toMatchObject({
    type: 'message_batch',
    processing_status: 'in_progress',
    request_counts: { processing: 20, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    cancel_initiated_at: null,
    results_url: null,
    archived_at: null,
  });
  expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(24 * 3_600_000);
  // Not ended yet: the SDK refuses to fetch results without a results_url.
  await expect(client.messages.batches.results(created.id)).rejects.toThrow(AnthropicError);
  await expect(client.messages.batches.results(created.id)).rejects.toThrow(/results_url/);

  now += 200;
  const ended = await untilEnded(client, created.id);
  expect(ended.request_counts).toEqual({ processing: 0, succeeded: 18, errored: 1, canceled: 0, expired: 1 });
  expect(ended.results_url).toBe(`${fake.url}/v1/messages/batches/${created.id}/results`);
  expect(Date.parse(ended.ended_at ?? '') - Date.parse(ended.created_at)).toBeGreaterThanOrEqual(199);

  const lines = await results(client, created.id);
  expect(lines).toHaveLength(20);
  // Any order, as the API: not submission order, but every custom_id once.
  expect(lines.map((l) => l.custom_id)).not.toEqual(requests(20).map((r) => r.custom_id));
  expect(new Set(lines.map((l) => l.custom_id)).size).toBe(20);
  const byId = new Map(lines.map((l) => [l.custom_id, l.result]));
  const ok = byId.get('row-7');
  if (ok?.type !== 'succeeded') throw new Error('row-7 should have succeeded');
  expect(ok.message.content[0]).toMatchObject({ type: 'tool_use', name: 'answer', input: { answers: [{ id: '1', value: 'ROW 7' }] } });
  expect(ok.message.model).toBe('claude-haiku-4-5');
  expect(ok.message.usage).toMatchObject({ service_tier: 'batch' });
  expect(ok.message.usage.input_tokens).toBeGreaterThan(0);
  expect(byId.get('row-3')).toEqual({
    type: 'errored',
    error: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' }, request_id: 'req_fake' },
  });
  expect(byId.get('row-4')).toEqual({ type: 'expired' });

  // Every batch is on record with its requests; nothing was submitted twice.
  expect(fake.batches?.created.map((b) => b.requests.length)).toEqual([20]);
  expect(fake.batches?.duplicates()).toEqual([]);
  // The batches calls are in the request log too, and never reached `respond`.
  expect(fake.requests.every((r) => r.path.startsWith('/v1/messages/batches'))).toBe(true);
});

test('cancel before the end: canceling, then ended with the unfinished requests canceled', async () => {
  // The batch's clock moves by hand: on a busy machine real time let the cancel arrive too late.
  let now = Date.now();
  const { client } = await start({ latencyMs: 1_000 }, { now: () => now });
  const created = await client.messages.batches.create({ requests: requests(10) });
  now += 350;
  const canceling = await client.messages.batches.cancel(created.id);
  expect(canceling.processing_status).toBe('canceling');
  expect(canceling.cancel_initiated_at).not.toBeNull();
  expect(canceling.request_counts.processing).toBe(10);
  const ended = await untilEnded(client, created.id);
  const { succeeded, canceled, processing } = ended.request_counts;
  expect(processing).toBe(0);
  // A third was done when the cancel came (requests finish evenly over the latency: 100, 200, … ms).
  expect(succeeded).toBe(3);
  expect(succeeded + canceled).toBe(10);
  const lines = await results(client, created.id);
  expect(lines.filter((l) => l.result.type === 'canceled')).toHaveLength(canceled);
});

test('expiry: a batch still running at expires_at ends there, its unfinished requests expired', async () => {
  const { client } = await start({ latencyMs: 1_000, expiresAfterMs: 250 });
  const created = await client.messages.batches.create({ requests: requests(8) });
  expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(250);
  const ended = await untilEnded(client, created.id);
  expect(ended.ended_at).toBe(created.expires_at);
  expect(ended.request_counts).toMatchObject({ succeeded: 2, expired: 6, canceled: 0 });
});

test('create refuses duplicate custom_ids, ids over 64 characters and too many requests, and records nothing', async () => {
  const { fake, client } = await start({ maxRequests: 5 });
  const duplicate = [...requests(2), { custom_id: 'row-0', params: params('again') }];
  const dup = client.messages.batches.create({ requests: duplicate });
  await expect(dup).rejects.toThrow(BadRequestError);
  await expect(client.messages.batches.create({ requests: duplicate })).rejects.toThrow(/requests\.2\.custom_id: Duplicate/);
  await expect(client.messages.batches.create({ requests: [{ custom_id: 'x'.repeat(65), params: params('long') }] })).rejects.toThrow(
    /requests\.0\.custom_id: String should have at most 64 characters/,
  );
  await expect(client.messages.batches.create({ requests: [{ custom_id: 'a:b', params: params('colon') }] })).rejects.toThrow(/pattern/);
  await expect(client.messages.batches.create({ requests: requests(6) })).rejects.toThrow(/at most 5 items/);
  await expect(client.messages.batches.create({ requests: [] })).rejects.toThrow(/at least 1 item/);
  expect(fake.batches?.created).toEqual([]);
  // 64 characters is fine.
  await expect(client.messages.batches.create({ requests: [{ custom_id: 'x'.repeat(64), params: params('ok') }] })).resolves.toMatchObject({
    processing_status: 'in_progress',
  });
});

test('list pages newest first; delete only after the end; a deleted batch is gone', async () => {
  const { client } = await start({ latencyMs: 5_000 });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await client.messages.batches.create({ requests: requests(1, `b${i}`) })).id);
  const listed: string[] = [];
  for await (const batch of client.messages.batches.list({ limit: 2 })) listed.push(batch.id);
  expect(listed).toEqual([...ids].reverse());
  const firstPage = await client.messages.batches.list({ limit: 2 });
  expect(firstPage).toMatchObject({ has_more: true, first_id: ids[2], last_id: ids[1] });

  const id = ids[0] ?? '';
  await expect(client.messages.batches.delete(id)).rejects.toThrow(BadRequestError);
  await client.messages.batches.cancel(id);
  await untilEnded(client, id);
  await expect(client.messages.batches.delete(id)).resolves.toEqual({ id, type: 'message_batch_deleted' });
  await expect(client.messages.batches.retrieve(id)).rejects.toThrow(NotFoundError);
  const after: string[] = [];
  for await (const batch of client.messages.batches.list()) after.push(batch.id);
  expect(after).toEqual([ids[2], ids[1]]);
});

test('duplicates() finds an input submitted in two batches', async () => {
  const { fake, client } = await start({});
  await client.messages.batches.create({ requests: requests(3) });
  await client.messages.batches.create({ requests: [{ custom_id: 'other', params: params('row 1') }] });
  expect(fake.batches?.duplicates()).toEqual([JSON.stringify(params('row 1'))]);
  expect(fake.batches?.duplicates((s) => s.custom_id)).toEqual([]);
  expect(fake.batches?.submissions().map((s) => `${s.batchId}/${s.custom_id}`)).toHaveLength(4);
});

test('batches refuse browsers as the real API does (no CORS), the Messages endpoint does not; rate limits do not apply to batches', async () => {
  const { fake, client } = await start({}, { limits: { requestsPerMinute: 1 } });
  const preflight = (path: string) =>
    fetch(`${fake.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,anthropic-version' },
    });
  for (const path of ['/v1/messages/batches', '/v1/messages/batches/msgbatch_x/results', '/v1/files']) {
    const refused = await preflight(path);
    expect(refused.status).toBe(405);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  }
  const answered = await preflight('/v1/messages');
  expect(answered.status).toBe(204);
  expect(answered.headers.get('access-control-allow-origin')).toBe('*');
  for (let i = 0; i < 3; i++) {
    const { response } = await client.messages.batches.create({ requests: requests(1) }).withResponse();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBeNull();
  }
  expect(fake.rateLimits).toMatchObject({ accepted: 0, rateLimited: 0 });
  // The Messages endpoint still goes to `respond`, and is limited.
  await expect(client.messages.create(params('hi'))).resolves.toMatchObject({ content: [{ input: { answers: [{ id: '1', value: 'from messages' }] } }] });
});
