import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted fake of the Anthropic Messages API on 127.0.0.1, for tests that drive the real SDK
 * (Node unit tests now, a browser page later: every response carries CORS headers and preflights
 * are answered). The test decides each reply; the server records each request, how many were in
 * flight when it arrived, and when it finished. It never retries or loops: one request, one reply.
 */

export interface FakeRequest {
  /** 1-based arrival number (preflights are not counted). */
  n: number;
  method: string;
  path: string;
  /** Lower-cased names, as Node gives them. */
  headers: Record<string, string>;
  rawBody: string;
  /** The JSON body, or undefined when it did not parse. */
  body: unknown;
  arrivedAt: number;
  /** When the reply was finished or the client went away; undefined while in flight. */
  finishedAt?: number;
  /** Requests in flight when this one arrived, itself included. */
  inFlightAtArrival: number;
  /** True when the client went away before the reply was complete (abort, timeout). */
  clientClosed: boolean;
  /** The reply the script chose, once it has chosen (sent in full only if `clientClosed` stays false). */
  reply?: Reply;
}

interface ReplyTiming {
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
  | (ReplyTiming & { kind: 'raw'; status?: number; body: string; contentType?: string });

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeMessagesApiOptions {
  /** Decides the reply to request number `n` (1-based). */
  respond(request: FakeRequest, n: number): Reply | Promise<Reply>;
  /**
   * The client's per-attempt timeout. A request counts as in flight until it is answered or this
   * long after it arrived, whichever is first: the client has given up on it by then, even when the
   * browser keeps the socket open (Chromium may), so `maxInFlight` counts what the client has
   * actually started and not yet abandoned (issue 13).
   */
  clientTimeoutMs?: number;
}

export interface FakeMessagesApi {
  /** http://127.0.0.1:PORT, to use as the SDK's baseURL. */
  url: string;
  readonly requests: readonly FakeRequest[];
  readonly maxInFlight: number;
  readonly inFlight: number;
  close(): Promise<void>;
}

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': [
    'x-api-key', 'authorization', 'anthropic-version', 'anthropic-beta', 'anthropic-dangerous-direct-browser-access',
    'content-type', 'accept', 'x-stainless-retry-count', 'x-stainless-timeout', 'x-stainless-lang',
    'x-stainless-package-version', 'x-stainless-os', 'x-stainless-arch', 'x-stainless-runtime',
    'x-stainless-runtime-version', 'x-stainless-helper-method',
  ].join(', '),
  'access-control-expose-headers': '*',
  'access-control-max-age': '600',
};

/** The body of a Messages API reply whose only content is the `answer` tool call with `value`. */
export function toolUseMessage(value: unknown, usage: Partial<FakeUsage> = {}, model = 'fake-model'): Record<string, unknown> {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'tool_use', id: 'toolu_fake', name: 'answer', input: { value }, caller: { type: 'direct' } }],
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

const DEFAULT_ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startFakeMessagesApi(options: FakeMessagesApiOptions): Promise<FakeMessagesApi> {
  const requests: FakeRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;

  /** Waits `ms`, or less if the client goes away; never throws. */
  const pause = (ms: number, res: ServerResponse) =>
    new Promise<void>((done) => {
      if (ms <= 0 || res.destroyed) return done();
      const timer = setTimeout(finish, ms);
      timers.add(timer);
      res.once('close', finish);
      function finish() {
        clearTimeout(timer);
        timers.delete(timer);
        res.off('close', finish);
        done();
      }
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    const arrivedAt = performance.now();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const record: FakeRequest = {
      n: requests.length + 1,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      rawBody: '',
      body: undefined,
      arrivedAt,
      inFlightAtArrival: inFlight,
      clientClosed: false,
    };
    requests.push(record);
    let settled = false;
    let counted = true;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    const abandon = options.clientTimeoutMs === undefined ? undefined : setTimeout(uncount, options.clientTimeoutMs);
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(abandon);
      uncount();
      record.finishedAt = performance.now();
    };
    res.once('finish', settle);
    res.once('close', () => {
      if (!res.writableFinished) record.clientClosed = true;
      settle();
    });

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    record.rawBody = Buffer.concat(chunks).toString('utf8');
    try {
      record.body = JSON.parse(record.rawBody) as unknown;
    } catch {
      record.body = undefined;
    }

    let reply: Reply;
    try {
      reply = await options.respond(record, record.n);
    } catch (error) {
      reply = { kind: 'error', status: 500, message: `fake server script failed: ${String(error)}` };
    }
    record.reply = reply;
    await pause(reply.delayMs ?? 0, res);
    if (res.destroyed) return;
    const { status, contentType, body } = render(reply);
    res.writeHead(status, { ...CORS_HEADERS, 'content-type': contentType, ...reply.headers });
    if (reply.bodyDelayMs) {
      res.flushHeaders();
      await pause(reply.bodyDelayMs, res);
      if (res.destroyed) return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function render(reply: Reply): { status: number; contentType: string; body: string } {
  switch (reply.kind) {
    case 'answer':
      return { status: 200, contentType: 'application/json', body: JSON.stringify(toolUseMessage(reply.value, reply.usage)) };
    case 'json':
      return { status: reply.status ?? 200, contentType: 'application/json', body: JSON.stringify(reply.body) };
    case 'error': {
      const type = reply.type ?? DEFAULT_ERROR_TYPE[reply.status] ?? 'api_error';
      return { status: reply.status, contentType: 'application/json', body: JSON.stringify(errorBody(type, reply.message ?? `fake ${reply.status}`, reply.errorCode)) };
    }
    case 'raw':
      return { status: reply.status ?? 200, contentType: reply.contentType ?? 'application/json', body: reply.body };
  }
}

/** The HTTP status a reply is sent with. */
export function statusOf(reply: Reply): number {
  return reply.kind === 'answer' ? 200 : (reply.status ?? 200);
}
