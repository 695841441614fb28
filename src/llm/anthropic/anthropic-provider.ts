import Anthropic from '@anthropic-ai/sdk';
import { checkAnswer } from '../answer-check';
import { ProviderError, type Provider } from '../provider';
import type { AnswerValue, ModelAnswer, ModelRequest, RowAnswer } from '../../protocol/model';
import { rowId } from '../prompt';
import type { AnthropicSettings } from '../../protocol/settings';
import { redact, toProviderError } from './errors';
import { parseRateLimitHeaders } from './rate-limit-headers';
import type { RateLimitHint } from '../../protocol/model';
import { ANSWER_TOOL, messageBody } from './request-body';

/**
 * The Anthropic provider: one Messages API call per attempt through @anthropic-ai/sdk, the answer
 * read from a forced tool call. Retries are the pool's, so the SDK's are off (`maxRetries: 0`):
 * the SDK ignores a retry-after of 60 s or more and does not notice an abort while it sleeps
 * (DESIGN.md, "Model calls").
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
  let client: { key: string; sdk: Anthropic } | undefined;

  const clientFor = (key: string): Anthropic => {
    if (client?.key !== key) {
      client = {
        key,
        sdk: new Anthropic({
          apiKey: key,
          baseURL: settings.baseURL.trim() || undefined,
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
    }
    return client.sdk;
  };

  return {
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
    throw new ProviderError({ kind: 'auth', message: redact(`Could not read the Anthropic API key from this browser's storage (${why}). Add it again in Settings.`, []) });
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

/**
 * The `answer` tool call's entries, one per row by id, each checked against the operator's type: a
 * row left out or ill-typed is that row's error (asked again alone), the others keep their values.
 * A reply cut off by max_tokens while several rows were asked is `too_large`: fewer rows per request.
 */
export function readAnswer(request: ModelRequest, message: unknown): ModelAnswer {
  const malformed = (why: string) => new ProviderError({ kind: 'malformed', message: `${request.operator}: ${why}` });
  if (!isRecord(message) || !Array.isArray(message['content'])) throw malformed('the reply is not a Messages API message');
  const stop = String(message['stop_reason']);
  if (request.rows.length > 1 && (stop === 'max_tokens' || stop === 'model_context_window_exceeded')) {
    throw new ProviderError({ kind: 'too_large', message: `${request.operator}: the answer for ${request.rows.length} rows was cut off (${stop})` });
  }
  const block = message['content'].find((b: unknown) => isRecord(b) && b['type'] === 'tool_use' && b['name'] === ANSWER_TOOL);
  const input = isRecord(block) ? block['input'] : undefined;
  const entries = isRecord(input) && Array.isArray(input['answers']) ? (input['answers'] as unknown[]) : null;
  // Without a tool call or its answers, no row was answered: each row is missing, and a row
  // missing from a larger request is asked again alone (asked alone, it is the reply's error).
  const missing = !isRecord(block) ? `the model did not call the ${ANSWER_TOOL} tool (stop reason: ${stop})` : !entries ? `the ${ANSWER_TOOL} tool call has no answers` : null;
  if (missing && request.rows.length === 1) throw malformed(missing);
  const byId = new Map<string, unknown>();
  for (const entry of entries ?? []) if (isRecord(entry) && 'value' in entry && entry['id'] !== undefined) byId.set(String(entry['id']), entry['value']);
  const usage = isRecord(message['usage']) ? message['usage'] : {};
  const answer: ModelAnswer = {
    rows: request.rows.map((_, i): RowAnswer => {
      if (!byId.has(rowId(i))) return { ok: false, error: `${request.operator}: ${missing ?? 'the answer left this row out'}` };
      try {
        return { ok: true, value: asValue(request, byId.get(rowId(i))) };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    }),
    // Cached prompt tokens are input too: written (cache_creation) or read (cache_read), they are
    // billed, each at its own rate (src/llm/pricing.ts).
    inputTokens: tokens(usage['input_tokens']) + tokens(usage['cache_creation_input_tokens']) + tokens(usage['cache_read_input_tokens']),
    ...(tokens(usage['cache_creation_input_tokens']) > 0 ? { cacheWriteTokens: tokens(usage['cache_creation_input_tokens']) } : {}),
    ...(tokens(usage['cache_read_input_tokens']) > 0 ? { cacheReadTokens: tokens(usage['cache_read_input_tokens']) } : {}),
    outputTokens: tokens(usage['output_tokens']),
  };
  const checked = checkAnswer(request, answer);
  // Asked alone, a row's bad answer is the reply's: the same malformed error as ever.
  const only = checked.rows.length === 1 ? checked.rows[0] : undefined;
  if (only && !only.ok) throw malformed(only.error.replace(`${request.operator}: `, ''));
  return checked;
}

/**
 * VARCHAR operators whose schema is an array (themes, dedupe, outliers) answer with JSON text, as
 * the mock does, so the array is serialised; other values pass as they are for checkAnswer to judge.
 */
function asValue(request: ModelRequest, value: unknown): AnswerValue {
  if (value === undefined) return null;
  if (request.returns === 'VARCHAR' && (Array.isArray(value) || isRecord(value))) return JSON.stringify(value);
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  throw new ProviderError({ kind: 'malformed', message: `${request.operator}: expected ${request.returns}, got ${JSON.stringify(value)}` });
}

const tokens = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
