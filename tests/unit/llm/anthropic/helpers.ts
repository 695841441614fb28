import { createAnthropicProvider, type AnthropicProviderDeps } from '../../../../src/llm/anthropic/anthropic-provider';
import { ProviderError, type Provider } from '../../../../src/llm/provider';
import type { ModelRequest } from '../../../../src/protocol/model';
import type { AnthropicSettings } from '../../../../src/protocol/settings';
import { startFakeMessagesApi, type FakeMessagesApi, type FakeMessagesApiOptions } from '../../../support/fake-messages-api';

/** A fake key with the real shape. Built from parts so no literal in the tree looks like a real key. */
export const fakeKey = (rest: string): string => ['sk', 'ant', rest].join('-');
export const TEST_KEY = fakeKey('api03-TESTKEY-do-not-leak-0123456789abcdef');

/** A request as src/engine/model-request.ts builds it, for the built-in `matches`. */
export function request(extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    operator: 'matches',
    returns: 'BOOLEAN',
    grouped: false,
    template: 'Does {{text}} match {{criterion}}?',
    fields: ['text', 'criterion'],
    rows: [{ key: 'matches@1|anthropic|claude-haiku-4-5|t0|-|13:I love DuckDB15:likes databases', args: ['I love DuckDB', 'likes databases'] }],
    instructions: [],
    outputSchema: { type: 'boolean' },
    model: 'claude-haiku-4-5',
    temperature: 0,
    ...extra,
  };
}

export function settings(api: FakeMessagesApi, extra: Partial<AnthropicSettings> = {}): AnthropicSettings {
  return { baseURL: api.url, maxTokens: 256, timeoutMs: 5_000, requestsPerMinute: 0, tokensPerMinute: 0, batchBaseURL: '', ...extra };
}

export interface Harness {
  api: FakeMessagesApi;
  provider: Provider;
}

/** A fake API and a provider pointed at it; close the api in afterEach. */
export async function harness(
  respond: FakeMessagesApiOptions['respond'],
  extra: Partial<AnthropicSettings> = {},
  deps: Partial<AnthropicProviderDeps> = {},
): Promise<Harness> {
  const api = await startFakeMessagesApi({ respond });
  const provider = createAnthropicProvider(settings(api, extra), { apiKey: async () => TEST_KEY, ...deps });
  return { api, provider };
}

/** The ProviderError a call rejects with (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

export const never = () => new AbortController().signal;
