import { expect, test } from 'vitest';
import { createLlmService } from '../../../../src/llm/llm-service';
import { providerFactory } from '../../../../src/llm/provider-factory';
import { keyStore } from '../../../../src/storage/key-store';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/client/default-settings';
import { request } from './helpers';

test('the worker\'s factory builds the Anthropic provider; with no readable key each call is an auth error, never a crash', async () => {
  // Node has no IndexedDB, so reading the key fails the way an unavailable store would in a page.
  const keys = keyStore();
  const service = createLlmService(providerFactory(() => keys.get()));
  await service.configure({ provider: 'anthropic', mock: DEFAULT_ENGINE_SETTINGS.mock, anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL: 'http://127.0.0.1:9' }, embeddings: DEFAULT_ENGINE_SETTINGS.embeddings });
  const result = await service.call(1, request());
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.kind).toBe('auth');
    expect(result.error.message).toMatch(/Settings/);
  }
});
