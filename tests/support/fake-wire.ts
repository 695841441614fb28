/**
 * What the fake Anthropic API puts on the wire: reply scripts, response bodies, CORS headers.
 * Shared by the Messages endpoint (fake-messages-api.ts) and the Message Batches endpoints
 * (fake-batches.ts), which is why it lives apart from both; fake-messages-api.ts re-exports it all.
 */

export interface ReplyTiming {
  /** Wait this long before sending anything. */
  delayMs?: number;
  /** Send the status and headers, then wait this long before the body. */
  bodyDelayMs?: number;
  headers?: Record<string, string>;
}

export type Reply =
  /** A 200 whose forced `answer` tool call carries `value`. */
  | (ReplyTiming & { kind: 'answer'; value: unknown; usage?: Partial<FakeUsage> })
  /** Any JSON body with any status, e.g. a message without tool_use, or an error body. */
  | (ReplyTiming & { kind: 'json'; status?: number; body: unknown })
  /** An API error: `{type:'error', error:{type, message}}` with the status. */
  | (ReplyTiming & { kind: 'error'; status: number; type?: string; message?: string; errorCode?: string })
  /** Raw bytes, e.g. truncated JSON under an application/json content type. */
  | (ReplyTiming & { kind: 'raw'; status?: number; body: string; contentType?: string })
  /** The connection is reset: before any reply, or after the status, headers and part of the body (mid-body). */
  | (ReplyTiming & { kind: 'reset'; midBody?: boolean });

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  // The Messages endpoint needs only POST (the batches endpoints, which also take GET and DELETE, refuse browsers).
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': [
    'x-api-key',
    'authorization',
    'anthropic-version',
    'anthropic-beta',
    'anthropic-dangerous-direct-browser-access',
    'anthropic-workspace-id',
    'anthropic-user-profile-id',
    'content-type',
    'accept',
    'x-stainless-retry-count',
    'x-stainless-timeout',
    'x-stainless-lang',
    'x-stainless-package-version',
    'x-stainless-os',
    'x-stainless-arch',
    'x-stainless-runtime',
    'x-stainless-runtime-version',
    'x-stainless-helper-method',
  ].join(', '),
  'access-control-expose-headers': '*',
  'access-control-max-age': '600',
};

/**
 * Paths the real API serves to servers but not to browsers: their preflights get no CORS headers
 * (anthropics/anthropic-sdk-typescript#930, confirmed by Anthropic in 2026: Message Batches and
 * Files do not answer browser preflights the way Messages does), so a page reaches them only
 * through a proxy such as scripts/batch-proxy.mjs.
 */
const SERVERS_ONLY = /^\/v1\/(?:messages\/batches|files)(?:[/?]|$)/;

/** The CORS headers a response to `path` carries: none where the real API refuses browsers. */
export function corsFor(path: string): Readonly<Record<string, string>> {
  return SERVERS_ONLY.test(path) ? {} : CORS_HEADERS;
}

/** The `answer` tool's input: every row gets `value`, unless `value` is a function of the row's id. */
export function answerInput(value: unknown, rowIds: readonly string[]): { answers: { id: string; value: unknown }[] } {
  return { answers: rowIds.map((id) => ({ id, value: typeof value === 'function' ? (value as (id: string) => unknown)(id) : value })) };
}

/** The body of a Messages API reply whose only content is the `answer` tool call with `value`. */
export function toolUseMessage(
  value: unknown,
  usage: Partial<FakeUsage> = {},
  model = 'fake-model',
  rowIds: readonly string[] = ['1'],
): Record<string, unknown> {
  const { answers } = answerInput(value, rowIds);
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'tool_use', id: 'toolu_fake', name: 'answer', input: { answers }, caller: { type: 'direct' } }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

/** A Messages API error body. */
export function errorBody(type: string, message: string, errorCode?: string): Record<string, unknown> {
  const error: Record<string, unknown> = { type, message };
  if (errorCode !== undefined) error['details'] = { error_code: errorCode };
  return { type: 'error', error, request_id: 'req_fake' };
}

export const DEFAULT_ERROR_TYPE: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The reply's wire form; `rowIds` are the ids of the rows the request asked about. */
export function render(reply: Reply, rowIds: readonly string[] = ['1']): { status: number; contentType: string; body: string } {
  switch (reply.kind) {
    case 'answer':
      return { status: 200, contentType: 'application/json', body: JSON.stringify(toolUseMessage(reply.value, reply.usage, 'fake-model', rowIds)) };
    case 'json':
      return { status: reply.status ?? 200, contentType: 'application/json', body: JSON.stringify(reply.body) };
    case 'error': {
      const type = reply.type ?? DEFAULT_ERROR_TYPE[reply.status] ?? 'api_error';
      return {
        status: reply.status,
        contentType: 'application/json',
        body: JSON.stringify(errorBody(type, reply.message ?? `fake ${reply.status}`, reply.errorCode)),
      };
    }
    case 'raw':
      return { status: reply.status ?? 200, contentType: reply.contentType ?? 'application/json', body: reply.body };
    case 'reset':
      // What a reset leaves of a reply (fake-messages-api.ts cuts it off): the start of an answer.
      return { status: 200, contentType: 'application/json', body: JSON.stringify(toolUseMessage(true, {}, 'fake-model', rowIds)).slice(0, 40) };
  }
}

/** The HTTP status a reply is sent with. */
export function statusOf(reply: Reply): number {
  return reply.kind === 'answer' || reply.kind === 'reset' ? 200 : (reply.status ?? 200);
}
