import { expect, test } from 'vitest';
import { createLlmService } from '../../../../src/llm/llm-service';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/protocol/settings';
import { request } from './helpers';

test('the default factory builds the Anthropic provider; with no readable key each call is an auth error, never a crash', async () => {
  // Node has no IndexedDB, so reading the key fails the way an unavailable store would in a page.
  const service = createLlmService();
  await service.configure({ provider: 'anthropic', mock: DEFAULT_ENGINE_SETTINGS.mock, anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL: 'http://127.0.0.1:9' } });
  const result = await service.call(1, request());
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.kind).toBe('auth');
    expect(result.error.message).toMatch(/Settings/);
  }
});
