import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderError } from '../provider';
import type { ProviderErrorKind } from '../../protocol/model';
import { parseRetryAfterMs } from './rate-limit-headers';

/**
 * SDK errors → ProviderError, the only error shape the pool knows. Every message is scrubbed of the
 * key first: messages end up in the call log table and in the UI, and a server (or a proxy) may echo
 * the key back in an error body.
 */

export interface ErrorContext {
  /** The caller's signal: an abort the caller asked for is 'cancelled', whatever the SDK threw. */
  signal: AbortSignal;
  /** True when our own per-attempt deadline fired (see anthropic-provider.ts). */
  timedOut?: boolean;
  timeoutMs?: number;
  /** Strings that must never appear in a message (the API key). */
  secrets: readonly string[];
  now?: number;
}

const KEY_LIKE = /sk-ant-[A-Za-z0-9_-]+/g;

/** Replaces each secret, and anything that looks like an Anthropic key, with '[redacted]'. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]');
}

/**
 * Error codes and types that mean "no more money", not "too fast": retrying cannot help, so they
 * are never retried (docs/design.md, "Model calls"). The codes are the SDK's typed ones
 * (src/resources/shared.ts); the message test catches the 400 "credit balance is too low" and the
 * 429 "reached your specified API usage limits" the API answers with, and compatible servers.
 */
const SPEND_CODES: ReadonlySet<string> = new Set([
  'contract_spend_limit_reached',
  'enforced_spend_limit_reached',
  'linked_organization_spend_limit_reached',
  'linked_organization_billing_unavailable',
]);
const SPEND_TEXT =
  /credit balance|out of credits?|insufficient (credit|funds|balance)|spend(ing)? limit|usage limits?|billing|payment required|quota exceeded|exceeded your (current )?quota/i;

const TOO_LONG = /prompt is too long|too many tokens|context (window|length)|maximum context/i;

export function toProviderError(thrown: unknown, context: ErrorContext): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  const clean = (text: string) => redact(text, context.secrets);
  // Order matters: the timeout and abort errors are subclasses of the ones tested after them.
  if (context.signal.aborted || thrown instanceof APIUserAbortError) {
    if (!context.signal.aborted && context.timedOut) return timeoutError(context);
    return new ProviderError({ kind: 'cancelled', message: 'the call was cancelled' });
  }
  if (context.timedOut || thrown instanceof APIConnectionTimeoutError) return timeoutError(context);
  if (thrown instanceof APIConnectionError) {
    const cause = thrown.cause instanceof Error ? `: ${thrown.cause.message}` : '';
    return new ProviderError({ kind: 'network', message: clean(`could not reach the model endpoint (${thrown.message}${cause})`) });
  }
  if (thrown instanceof APIError && typeof thrown.status === 'number') return fromStatus(thrown, thrown.status, context, clean);
  // A 200 whose body is not JSON: the SDK lets response.json()'s SyntaxError through.
  if (thrown instanceof SyntaxError)
    return new ProviderError({ kind: 'malformed', message: clean(`the model endpoint sent a reply that is not JSON (${thrown.message})`) });
  // The SDK's own base error, thrown before any request is sent: a client-side setup problem.
  if (thrown instanceof AnthropicError) return new ProviderError({ kind: 'bad_request', message: clean(thrown.message) });
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError({ kind: 'network', message: clean(message) });
}

function timeoutError(context: ErrorContext): ProviderError {
  const within = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : '';
  return new ProviderError({ kind: 'timeout', message: `no answer from the model${within}` });
}

function fromStatus(error: APIError, status: number, context: ErrorContext, clean: (text: string) => string): ProviderError {
  const detail = clean(error.apiMessage ?? error.message);
  const kind = kindOf(error, status, detail);
  const retryAfterMs = error.headers ? parseRetryAfterMs(error.headers, context.now) : undefined;
  const message =
    kind === 'auth'
      ? `the model endpoint rejected the API key (${status}: ${detail}). Check the Anthropic API key in Settings.`
      : kind === 'spend_limit'
        ? `the Anthropic account is out of credit or over its spend limit (${status}: ${detail})`
        : `model endpoint error ${status} (${kind}): ${detail}`;
  const info = { kind, status, message: clean(message) };
  return new ProviderError(retryAfterMs === undefined ? info : { ...info, retryAfterMs });
}

function kindOf(error: APIError, status: number, detail: string): ProviderErrorKind {
  const spend = error.type === 'billing_error' || (error.errorCode !== null && SPEND_CODES.has(error.errorCode)) || SPEND_TEXT.test(detail);
  if (status === 402) return 'spend_limit';
  if (status === 429) return spend ? 'spend_limit' : 'rate_limit';
  if (status === 401) return 'auth';
  if (status === 403) return spend ? 'spend_limit' : 'auth';
  if (status === 408) return 'timeout';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  // 409 is a lock timeout the SDK itself would retry (src/client.ts, shouldRetry).
  if (status === 409) return 'server';
  if (spend) return 'spend_limit';
  // A prompt over the context window (400 "prompt is too long: N tokens > M maximum") or a request
  // over the size limit (413): fewer rows per request may fit. Matched loosely, as the SDK advises.
  if (status === 413 || (status === 400 && TOO_LONG.test(detail))) return 'too_large';
  return 'bad_request';
}
