import { afterEach, expect, test } from 'vitest';
import { createAnthropicProvider } from '../../../../src/llm/anthropic/anthropic-provider';
import { ProviderError } from '../../../../src/llm/provider';
import { startFakeMessagesApi, type FakeMessagesApi } from '../../../support/fake-messages-api';
import { request, TEST_KEY } from './helpers';

const apis: FakeMessagesApi[] = [];
afterEach(async () => {
  while (apis.length > 0) await apis.pop()?.close();
});

const SETTINGS = { baseURL: '', maxTokens: 256, timeoutMs: 5_000, requestsPerMinute: 0, tokensPerMinute: 0, batchBaseURL: '' };
const item = { customId: 'r1', request: request() };

test('batches for the public API are refused before the key is read or anything is sent', async () => {
  let keyReads = 0;
  let fetches = 0;
  const provider = createAnthropicProvider(SETTINGS, {
    apiKey: async () => (keyReads++, TEST_KEY),
    fetch: async () => {
      fetches++;
      throw new Error('nothing may be sent');
    },
  });
  const refused = await provider.batches?.submit([item]).then(
    () => null,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(ProviderError);
  expect((refused as ProviderError).message).toMatch(/need a batch endpoint.*docs\/batch-proxy\.md/);
  expect(keyReads).toBe(0);
  expect(fetches).toBe(0);
});

test('batches go to the batch endpoint, direct calls to the model endpoint', async () => {
  const start = async () => {
    const api = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: true }), batches: {} });
    apis.push(api);
    return api;
  };
  const [model, proxy] = [await start(), await start()];
  const provider = createAnthropicProvider({ ...SETTINGS, baseURL: model.url, batchBaseURL: proxy.url }, { apiKey: async () => TEST_KEY });
  await provider.batches?.submit([item]);
  await provider.call(request(), new AbortController().signal);
  expect(proxy.requests.map((r) => r.path)).toEqual(['/v1/messages/batches']);
  expect(model.requests.map((r) => r.path)).toEqual(['/v1/messages']);
});
