import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type Provider } from '../provider';
import type { ModelAnswer, ModelRequest } from '../../protocol/model';
import type { AnthropicSettings } from '../../protocol/settings';
import { redact, toProviderError } from './errors';
import { parseRateLimitHeaders } from './rate-limit-headers';
import type { RateLimitHint } from '../../protocol/model';
import { messageBody } from './request-body';
import { readAnswer } from './read-answer';
import { createBatchApi } from './batch-api';
import { batchEndpoint } from '../batch-endpoint';

/**
 * The Anthropic provider: one Messages API call per attempt through @anthropic-ai/sdk, the answer
 * read from a forced tool call. Retries are the pool's, so the SDK's are off (`maxRetries: 0`):
 * the SDK ignores a retry-after of 60 s or more and does not notice an abort while it sleeps
 * (docs/design.md, "Model calls").
 */

export interface AnthropicProviderDeps {
  /** Read per call, so a key changed in Settings takes effect on the next call. */
  apiKey: () => Promise<string | undefined>;
  fetch?: typeof fetch;
  /** Every response (answer or error) that carries rate-limit headers, as it arrives. */
  onRateLimitHeaders?: (hint: RateLimitHint) => void;
  /** Epoch ms; for reading reset times and retry-after dates. */
  now?: () => number;
}

export const MISSING_KEY_MESSAGE = 'No Anthropic API key: add one in Settings (it is stored only in this browser).';

export function createAnthropicProvider(settings: AnthropicSettings, deps: AnthropicProviderDeps): Provider {
  const now = deps.now ?? Date.now;
  const baseFetch: typeof fetch = deps.fetch ?? ((input, init) => fetch(input, init));
  // Headers are read at the fetch level because it sees every response, including a 200 whose body
  // then fails to parse, which neither `withResponse()` nor the SDK's error carries.
  const observingFetch: typeof fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    const hint = deps.onRateLimitHeaders ? parseRateLimitHeaders(response.headers, now()) : undefined;
    if (hint && deps.onRateLimitHeaders) deps.onRateLimitHeaders(hint);
    return response;
  };
  const timeoutMs = settings.timeoutMs > 0 ? settings.timeoutMs : undefined;
  const clients = new Map<string, { key: string; sdk: Anthropic }>();

  /** One SDK client per endpoint (messages, and batches when they go through a proxy), made anew when the key changes. */
  const clientFor = (key: string, baseURL = settings.baseURL.trim()): Anthropic => {
    let client = clients.get(baseURL);
    if (client?.key !== key) {
      client = {
        key,
        sdk: new Anthropic({
          apiKey: key,
          baseURL: baseURL || undefined,
          maxRetries: 0,
          // Always set: without one, messages.create refuses a large max_tokens outright
          // ("Streaming is required...", src/client.ts calculateNonstreamingTimeout).
          timeout: timeoutMs ?? 600_000,
          // The key is the user's own, typed into this page and sent only to the endpoint they chose.
          dangerouslyAllowBrowser: true,
          fetch: observingFetch,
          // No spans and no trace headers: an extra header would make local servers' CORS fail.
          openTelemetry: false,
        }),
      };
      clients.set(baseURL, client);
    }
    return client.sdk;
  };

  const batchClient = async () => {
    const endpoint = batchEndpoint({ provider: 'anthropic', anthropic: settings });
    // The public API refuses browsers on the batch paths: the key is not sent where it cannot work.
    if (endpoint.kind === 'none') throw new ProviderError({ kind: 'bad_request', message: endpoint.message });
    const key = await readKey(deps.apiKey);
    return { key, sdk: clientFor(key, endpoint.kind === 'mock' ? '' : endpoint.url) };
  };

  return {
    batches: createBatchApi(settings, batchClient, now),
    async call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
      if (signal.aborted) throw cancelled();
      const key = await readKey(deps.apiKey);
      if (signal.aborted) throw cancelled();
      // The SDK's own timeout covers fetch until the headers arrive, not the body
      // (src/client.ts, fetchWithTimeout clears its timer once fetch resolves): our deadline covers both.
      const deadline = new AbortController();
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(), timeoutMs);
      const both = AbortSignal.any([signal, deadline.signal]);
      try {
        const message: unknown = await untilAborted(clientFor(key).messages.create(messageBody(request, settings), { signal: both }), both);
        return readAnswer(request, message);
      } catch (thrown) {
        throw toProviderError(thrown, { signal, timedOut: deadline.signal.aborted, timeoutMs, secrets: [key], now: now() });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const cancelled = () => new ProviderError({ kind: 'cancelled', message: 'the call was cancelled' });

async function readKey(apiKey: () => Promise<string | undefined>): Promise<string> {
  let key: string | undefined;
  try {
    key = (await apiKey())?.trim();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ProviderError({
      kind: 'auth',
      message: redact(`Could not read the Anthropic API key from this browser's storage (${why}). Add it again in Settings.`, []),
    });
  }
  if (!key) throw new ProviderError({ kind: 'auth', message: MISSING_KEY_MESSAGE });
  return key;
}

/**
 * Settles as soon as the signal fires, whatever the fetch underneath does: a custom fetch that
 * ignores its signal must not keep a cancelled call alive.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
