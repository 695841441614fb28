import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeBatches, type FakeBatchesOptions, type FakeBatchLog } from './fake-batches';
import { FakeRateLimiter, type RateLimits, type RateLimitStats } from './fake-rate-limits';
import { estimateInputTokens, estimateOutputTokens, maxTokensOf } from './fake-tokens';
import { answerInput, CORS_HEADERS, corsFor, render, type Reply } from './fake-wire';
import { rowsOf } from './prompt-data';

// Callers import these from here; they live in fake-wire.ts so fake-batches.ts can share them.
export { CORS_HEADERS, errorBody, statusOf, toolUseMessage, type FakeUsage, type Reply } from './fake-wire';
export type { BatchAnswer, BatchRequest, BatchSubmission, FakeBatchesOptions, FakeBatchLog, FakeBatchRecord } from './fake-batches';
export type { RateLimits, RateLimitStats } from './fake-rate-limits';

/**
 * A scripted fake of the Anthropic Messages API on 127.0.0.1, for tests that drive the real SDK
 * (Node unit tests, and pages in Chromium: the Messages endpoint answers preflights and carries CORS
 * headers; the Message Batches and Files endpoints refuse browsers, as the real API does, see
 * `corsFor` in fake-wire.ts). The test decides each reply; the server records each request, how many were in
 * flight when it arrived, and when it finished. It never retries or loops: one request, one reply.
 *
 * Two optional parts make it behave like a real account (issue 16): `limits` puts tier-like rate
 * limits in front of POST /v1/messages (fake-rate-limits.ts), and `batches` serves the Message
 * Batches endpoints (fake-batches.ts). Without them it behaves exactly as before.
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

export interface FakeMessagesApiOptions {
  /**
   * Decides the reply to request number `n` (1-based; `n` counts every request that arrived, so
   * with `limits` or `batches` it skips the 429s the limiter sent and the batches calls).
   */
  respond(request: FakeRequest, n: number): Reply | Promise<Reply>;
  /**
   * The client's per-attempt timeout. A request counts as in flight until it is answered or this
   * long after it arrived, whichever is first: the client has given up on it by then, even when the
   * browser keeps the socket open (Chromium may), so `maxInFlight` counts what the client has
   * actually started and not yet abandoned (issue 13).
   */
  clientTimeoutMs?: number;
  /**
   * Rate limits on POST /v1/messages, per "minute" of `minuteMs`. A request that does not fit is
   * answered 429 `rate_limit_error` with `retry-after` without reaching `respond`; every response of
   * that endpoint, 200 or 429, carries the `anthropic-ratelimit-*` headers (a reply's own `headers`
   * override them). With limits, an `answer` reply's usage defaults to the tokens counted (input
   * estimated from the body, output from the answer) instead of 10/5.
   */
  limits?: RateLimits;
  /** How many real ms a rate-limit minute lasts. Default 60_000. */
  minuteMs?: number;
  /** The clock of the rate limits and the batches, epoch ms (default Date.now): a test that moves it by hand never sleeps. */
  now?: () => number;
  /** Serve the Message Batches endpoints (otherwise their paths go to `respond` like any other). */
  batches?: FakeBatchesOptions;
}

export interface FakeMessagesApi {
  /** http://127.0.0.1:PORT, to use as the SDK's baseURL. */
  url: string;
  readonly requests: readonly FakeRequest[];
  readonly maxInFlight: number;
  readonly inFlight: number;
  /** The limiter's counters (live), when `limits` was given. */
  readonly rateLimits: Readonly<RateLimitStats> | undefined;
  /** Every batch created, when `batches` was given. */
  readonly batches: FakeBatchLog | undefined;
  close(): Promise<void>;
}

/** How much sooner than `clientTimeoutMs` after arrival a request counts as abandoned. */
const ABANDON_SLACK_MS = 150;

export async function startFakeMessagesApi(options: FakeMessagesApiOptions): Promise<FakeMessagesApi> {
  const requests: FakeRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;
  let url = '';
  const limiter = options.limits ? new FakeRateLimiter(options.limits, options.minuteMs ?? 60_000, options.now) : undefined;
  const batches = options.batches ? new FakeBatches(options.batches, () => url, options.now) : undefined;

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
      // A refused preflight: what the browser sees is the missing Access-Control-Allow-Origin (the
      // real API's status for it is not known; 405 says "not for you" plainly).
      const cors = corsFor(req.url ?? '/');
      res.writeHead(cors === CORS_HEADERS ? 204 : 405, cors);
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
    // The client's timer starts before the request arrives here (connection, body upload), so it
    // gives up a little sooner than `clientTimeoutMs` after arrival; on a busy machine a retry sent
    // at once arrived while the abandoned request still counted (6 in flight at parallel 5).
    const abandon = options.clientTimeoutMs === undefined ? undefined : setTimeout(uncount, Math.max(0, options.clientTimeoutMs - ABANDON_SLACK_MS));
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

    const found = rowsOf(record.body).map((row) => row.id);
    const ids = found.length > 0 ? found : ['1'];
    const limited = limiter && record.method === 'POST' && new URL(record.path, 'http://fake').pathname === '/v1/messages' ? limiter : undefined;
    let countOutput: ((reply: Reply) => void) | undefined;
    let reply: Reply;
    try {
      const batchReply = batches?.handle(record.method, record.path, record.body, Buffer.byteLength(record.rawBody));
      if (batchReply) {
        reply = await batchReply;
      } else if (limited) {
        const cost = { inputTokens: estimateInputTokens(record.body), maxOutputTokens: maxTokensOf(record.body) };
        const admission = limited.admit(cost);
        if (admission.ok) {
          // Set before the script runs, so a script that throws still gives its reservation back.
          countOutput = (sent) => limited.settle(admission.ticket, outputTokensOf(sent));
          reply = withUsage(await options.respond(record, record.n), cost.inputTokens, ids);
        } else {
          reply = { kind: 'error', status: 429, type: 'rate_limit_error', message: admission.message, headers: limited.retryHeaders(admission) };
        }
      } else {
        reply = await options.respond(record, record.n);
      }
    } catch (error) {
      reply = { kind: 'error', status: 500, message: `fake server script failed: ${String(error)}` };
    }
    record.reply = reply;
    await pause(reply.delayMs ?? 0, res);
    // The output is counted when the answer is sent (the model has run even if the client left).
    countOutput?.(reply);
    if (res.destroyed) return;
    if (reply.kind === 'reset') return reset(res, render(reply, ids), reply.midBody === true);
    const { status, contentType, body } = render(reply, ids);
    const rateLimitHeaders = limited?.headers() ?? {};
    res.writeHead(status, { ...corsFor(record.path), ...rateLimitHeaders, 'content-type': contentType, ...reply.headers });
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
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    rateLimits: limiter?.stats,
    batches,
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A connection reset: at once, or after the status, the headers and the start of the body. */
function reset(res: ServerResponse, reply: { status: number; contentType: string; body: string }, midBody: boolean): void {
  const cut = () => void res.socket?.resetAndDestroy();
  if (!midBody) return cut();
  res.writeHead(reply.status, { ...CORS_HEADERS, 'content-type': reply.contentType });
  // Written out first, so the client has the headers and part of the body when the reset comes.
  res.write(reply.body, () => setTimeout(cut, 20));
}

/**
 * With limits on, an `answer` reply reports the tokens the limiter counts: the input estimated
 * from the request and the output estimated from the tool input it writes. The script's own
 * `usage` wins field by field.
 */
function withUsage(reply: Reply, inputTokens: number, rowIds: readonly string[]): Reply {
  if (reply.kind !== 'answer') return reply;
  return { ...reply, usage: { input_tokens: inputTokens, output_tokens: estimateOutputTokens(answerInput(reply.value, rowIds)), ...reply.usage } };
}

/** The output tokens a sent reply used: its usage for a 200 message, nothing for an error. */
function outputTokensOf(reply: Reply): number {
  if (reply.kind === 'answer') return reply.usage?.output_tokens ?? 0;
  if (reply.kind !== 'json' || (reply.status ?? 200) !== 200) return 0;
  const usage = (reply.body as { usage?: { output_tokens?: unknown } } | null | undefined)?.usage;
  return typeof usage?.output_tokens === 'number' ? usage.output_tokens : 0;
}
