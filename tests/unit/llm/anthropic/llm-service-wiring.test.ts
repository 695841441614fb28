import { expect, test } from 'vitest';
import { createLlmService } from '../../../../src/llm/llm-service';
import type { Provider } from '../../../../src/llm/provider';
import type { ModelRequest } from '../../../../src/protocol/model';
import { providerFactory } from '../../../../src/llm/provider-factory';
import { keyStore } from '../../../../src/storage/key-store';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/client/default-settings';
import { request } from './helpers';

test("the worker's factory builds the Anthropic provider; with no readable key each call is an auth error, never a crash", async () => {
  // Node has no IndexedDB, so reading the key fails the way an unavailable store would in a page.
  const keys = keyStore();
  const service = createLlmService(providerFactory(() => keys.get()));
  await service.configure({
    provider: 'anthropic',
    mock: DEFAULT_ENGINE_SETTINGS.mock,
    anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL: 'http://127.0.0.1:9' },
    embeddings: DEFAULT_ENGINE_SETTINGS.embeddings,
  });
  const result = await service.call(1, request());
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.kind).toBe('auth');
    expect(result.error.message).toMatch(/Settings/);
  }
});

test('a call or batch operation that arrives while the provider is still being made waits for it', async () => {
  // A factory that loads code (the SDK) takes a while; the test says when it is done.
  let loaded: () => void = () => {};
  const service = createLlmService(async () => {
    await new Promise<void>((done) => (loaded = done));
    return {
      call: async (r: ModelRequest) => ({ rows: r.rows.map(() => ({ ok: true as const, value: true })), inputTokens: 1, outputTokens: 1 }),
      batches: {
        submit: async () => [],
        status: async () => ({ state: 'ended' as const, counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 } }),
        results: async () => [],
        cancel: async () => undefined,
        recent: async () => [],
      },
    } as unknown as Provider;
  });
  const configured = service.configure({
    provider: 'anthropic',
    mock: DEFAULT_ENGINE_SETTINGS.mock,
    anthropic: DEFAULT_ENGINE_SETTINGS.anthropic,
    embeddings: DEFAULT_ENGINE_SETTINGS.embeddings,
  });
  const call = service.call(1, request());
  const cancel = service.batchCancel('batch-1');
  loaded();
  await configured;
  expect(await call).toMatchObject({ ok: true });
  expect(await cancel).toMatchObject({ ok: true });
});

test('a call cancelled while it waits for the provider is cancelled, not sent', async () => {
  let loaded: () => void = () => {};
  let sent = 0;
  const service = createLlmService(async () => {
    await new Promise<void>((done) => (loaded = done));
    return {
      call: async () => {
        sent++;
        return { rows: [], inputTokens: 0, outputTokens: 0 };
      },
    } as unknown as Provider;
  });
  const configured = service.configure({
    provider: 'anthropic',
    mock: DEFAULT_ENGINE_SETTINGS.mock,
    anthropic: DEFAULT_ENGINE_SETTINGS.anthropic,
    embeddings: DEFAULT_ENGINE_SETTINGS.embeddings,
  });
  const call = service.call(7, request());
  await service.cancel(7);
  loaded();
  await configured;
  expect(await call).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
  expect(sent).toBe(0);
});
