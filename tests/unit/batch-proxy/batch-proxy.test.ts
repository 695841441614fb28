import Anthropic from '@anthropic-ai/sdk';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { BATCH_PROXY_SCRIPT, startBatchProxy, type RunningBatchProxy } from '../../support/batch-proxy';
import { startFakeMessagesApi, type FakeMessagesApi } from '../../support/fake-messages-api';

/**
 * Issue 29: the batch proxy (scripts/batch-proxy.mjs), run as a user runs it (its own Node
 * process), in front of the fake Messages API or of a plain upstream of the test's own.
 */
const APP = 'http://127.0.0.1:4173';
const OTHER = 'https://evil.example';
const KEY = `sk-ant-api03-${randomBytes(24).toString('hex')}`;
const SDK_HEADERS =
  'authorization,anthropic-version,anthropic-dangerous-direct-browser-access,content-type,x-stainless-lang,x-stainless-package-version,x-stainless-os,x-stainless-arch,x-stainless-runtime,x-stainless-runtime-version,x-stainless-retry-count,x-stainless-timeout';

/** 64 MB through two hops took 6–11 s with the machine's load average at 16: room for worse. */
const BIG_BODY_TIMEOUT_MS = 120_000;

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function proxyBefore(upstream: string): Promise<RunningBatchProxy> {
  const proxy = await startBatchProxy({ origins: [APP], upstream });
  running.push(proxy);
  return proxy;
}

async function fakeApi(now?: () => number): Promise<FakeMessagesApi> {
  const fake = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: true }), batches: { latencyMs: 1_000 }, ...(now ? { now } : {}) });
  running.push(fake);
  return fake;
}

/** A request exactly as written: fetch would resolve `..` in the path before sending it. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

const preflight = (proxy: RunningBatchProxy, path: string, origin: string, method = 'POST', headers = SDK_HEADERS) =>
  fetch(`${proxy.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('preflights', () => {
  test('from the allowed origin: answered with the methods of the path and every header the SDK sends', async () => {
    const proxy = await proxyBefore((await fakeApi()).url);
    const answered = await preflight(proxy, '/v1/messages/batches', APP);
    expect(answered.status).toBe(204);
    expect(answered.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answered.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(answered.headers.get('access-control-allow-headers')?.split(', ')).toEqual(SDK_HEADERS.split(','));
    expect(answered.headers.get('vary')).toContain('Origin');
    const results = await preflight(proxy, '/v1/messages/batches/msgbatch_1/results', APP, 'GET', 'x-api-key,accept');
    expect(results.status).toBe(204);
    expect(results.headers.get('access-control-allow-methods')).toBe('GET');
    // Chromium's Private Network Access (an https page calling localhost) asks, and is answered.
    const local = await fetch(`${proxy.url}/v1/messages/batches/msgbatch_1`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'DELETE', 'access-control-request-private-network': 'true' },
    });
    expect(local.headers.get('access-control-allow-private-network')).toBe('true');
  });

  test('from another origin, for a path or header it does not forward, or a method the path lacks: refused, without CORS headers', async () => {
    const proxy = await proxyBefore((await fakeApi()).url);
    const refused = [
      await preflight(proxy, '/v1/messages/batches', OTHER),
      await preflight(proxy, '/v1/messages/batches', 'null'),
      await preflight(proxy, '/v1/messages', APP),
      await preflight(proxy, '/v1/messages/batches', APP, 'POST', 'authorization,cookie'),
      await preflight(proxy, '/v1/messages/batches/msgbatch_1/results', APP, 'DELETE'),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 404, 403, 405]);
    for (const r of refused.slice(0, 2)) expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused[3]?.json()) as { error: { message: string } }).error.message).toContain('cookie');
    expect(proxy.logs.filter((l) => / OPTIONS /.test(l))).toHaveLength(5);
  });
});

describe('what is refused', () => {
  test('every path but the Message Batches API, however it is spelled, and other methods: nothing reaches the upstream', async () => {
    const fake = await fakeApi();
    const proxy = await proxyBefore(fake.url);
    const auth = { origin: APP, authorization: `Bearer ${KEY}` };
    const paths = [
      '/v1/messages',
      '/v1/files',
      '/v1/models',
      '/',
      '/v1/messages/batchesX',
      '/v1/messages/batches/a/b',
      '/v1/messages/batches/../../v1/messages',
      '/v1/messages/batches/%2e%2e/%2e%2e/v1/messages',
      '/v1/messages/batches/x%2F..%2F..%2Fmessages',
      'http://169.254.169.254/latest/meta-data',
      '/v1/messages/batches/msgbatch_1/results/../../../../../v1/complete',
    ];
    for (const path of paths) {
      const out = await raw(proxy.url, 'POST', path, auth);
      expect([400, 404], path).toContain(out.status);
    }
    const notFound = await raw(proxy.url, 'POST', '/v1/messages', auth);
    expect(JSON.parse(notFound.body)).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringContaining('forwards only the Message Batches API') },
    });
    // The app's origin can read why (the SDK reports the message); the key is not in it.
    expect(notFound.headers['access-control-allow-origin']).toBe(APP);
    expect(notFound.body).not.toContain(KEY);
    const put = await raw(proxy.url, 'PUT', '/v1/messages/batches', auth);
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET, POST');
    expect(fake.requests).toHaveLength(0);
  });

  test('a request from another origin, or with no Origin at all: refused before the upstream', async () => {
    const fake = await fakeApi();
    const proxy = await proxyBefore(fake.url);
    const other = await raw(proxy.url, 'GET', '/v1/messages/batches', { origin: OTHER, 'x-api-key': KEY });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await raw(proxy.url, 'GET', '/v1/messages/batches', { 'x-api-key': KEY });
    expect(none.status).toBe(403);
    expect(JSON.parse(none.body).error.message).toContain('without an Origin');
    expect(fake.requests).toHaveLength(0);
  });

  test('an upstream that cannot be reached, or that redirects, is a 502 that says so', async () => {
    const closed = await listen(createServer());
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const proxy = await proxyBefore(`http://127.0.0.1:${port}`);
    const down = await fetch(`${proxy.url}/v1/messages/batches`, { headers: { origin: APP, 'x-api-key': KEY } });
    expect(down.status).toBe(502);
    expect(await down.text()).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    let followed = 0;
    const elsewhere = await listen(createServer((_, res) => void (followed++, res.end('{}'))));
    const redirecting = await listen(
      createServer((_, res) => res.writeHead(302, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal` }).end()),
    );
    const proxy2 = await proxyBefore(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`);
    const moved = await fetch(`${proxy2.url}/v1/messages/batches`, { headers: { origin: APP, 'x-api-key': KEY } });
    expect(moved.status).toBe(502);
    expect(await moved.text()).toContain('redirect');
    expect(followed).toBe(0);
  });

  test('it will not start open to every origin, or without one', () => {
    for (const origins of [[], ['*'], ['null'], ['https://app.example/path']]) {
      const out = spawnSync(process.execPath, [BATCH_PROXY_SCRIPT, '--port', '0', ...origins.flatMap((o) => ['--origin', o])], { encoding: 'utf8' });
      expect(out.status, origins.join()).toBe(2);
      expect(out.stderr).toMatch(/no allowed origin|is not an origin/);
    }
  });
});

describe('what is forwarded', () => {
  test('the SDK through the proxy: the key header reaches the upstream unchanged and appears in no log; results come through the proxy', async () => {
    let clock = Date.now();
    const fake = await fakeApi(() => clock);
    const proxy = await proxyBefore(fake.url);
    // SDK 1.x sends the key as `Authorization: Bearer`; a browser would add the Origin itself.
    const sdk = new Anthropic({ baseURL: proxy.url, apiKey: KEY, maxRetries: 0, defaultHeaders: { origin: APP } });
    const params = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hello' }] };
    const created = await sdk.messages.batches.create({
      requests: [
        { custom_id: 'a', params },
        { custom_id: 'b', params },
      ],
    });
    clock += 2_000;
    const ended = await sdk.messages.batches.retrieve(created.id);
    expect(ended.processing_status).toBe('ended');
    // The upstream names the results by its own URL; the proxy hands out its own instead.
    expect(ended.results_url).toBe(`${proxy.url}/v1/messages/batches/${created.id}/results`);
    const lines = [];
    for await (const line of await sdk.messages.batches.results(created.id)) lines.push(line.custom_id);
    expect(lines.sort()).toEqual(['a', 'b']);
    expect((await sdk.messages.batches.list({ limit: 5 })).data.map((b) => b.results_url)).toEqual([ended.results_url]);
    await raw(proxy.url, 'POST', `/v1/messages/batches/${created.id}/cancel`, { origin: APP, 'x-api-key': KEY });

    expect(fake.requests.map((r) => `${r.method} ${new URL(r.path, 'http://x').pathname}`)).toEqual([
      'POST /v1/messages/batches',
      `GET /v1/messages/batches/${created.id}`,
      `GET /v1/messages/batches/${created.id}`,
      `GET /v1/messages/batches/${created.id}/results`,
      'GET /v1/messages/batches',
      `POST /v1/messages/batches/${created.id}/cancel`,
    ]);
    for (const r of fake.requests.slice(0, -1)) {
      expect(r.headers['authorization']).toBe(`Bearer ${KEY}`);
      expect(r.headers['anthropic-version']).toBe('2026-10-21');
    }
    expect(fake.requests.at(-1)?.headers['x-api-key']).toBe(KEY);
    for (const r of fake.requests) {
      // Nothing of the browser's reaches the provider: no Origin, no cookie.
      expect(r.headers['origin']).toBeUndefined();
      expect(r.headers['cookie']).toBeUndefined();
    }
    await proxy.close();
    expect(proxy.logs.filter((l) => / (GET|POST) \/v1\/messages\/batches/.test(l))).toHaveLength(6);
    expect(proxy.logs.join('\n')).not.toContain(KEY);
    expect(proxy.logs.join('\n')).not.toContain(KEY.slice(-12));
  });

  test(
    'a large results body streams through: the page has its first bytes before the upstream has sent the rest',
    async () => {
      // 64 MB: several times what the sockets and streams between could hold, so a proxy that
      // buffered the body would have read all of it before the client saw a byte.
      const MB = 1024 * 1024;
      const CHUNKS = 64;
      const line = (i: number) => `${JSON.stringify({ custom_id: `row-${i}`, result: { type: 'succeeded', message: { pad: 'x'.repeat(200) } } })}\n`;
      const chunk = (i: number) => Buffer.from(Array.from({ length: Math.ceil(MB / line(0).length) }, (_, j) => line(i * 10_000 + j)).join(''));
      const sent = createHash('sha256');
      let sentBytes = 0;
      let upstreamDone = false;
      let key: string | undefined;
      const upstream = await listen(
        createServer(async (req, res) => {
          key = req.headers['x-api-key'] as string;
          res.writeHead(200, { 'content-type': 'application/binary' });
          for (let i = 0; i < CHUNKS; i++) {
            const bytes = chunk(i);
            sent.update(bytes);
            sentBytes += bytes.length;
            if (!res.write(bytes)) await once(res, 'drain');
          }
          upstreamDone = true;
          res.end();
        }),
      );
      const proxy = await proxyBefore(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
      const response = await fetch(`${proxy.url}/v1/messages/batches/msgbatch_big/results`, { headers: { origin: APP, 'x-api-key': KEY } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/binary');
      const got = createHash('sha256');
      let gotBytes = 0;
      let upstreamDoneAtFirstBytes: boolean | undefined;
      for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
        upstreamDoneAtFirstBytes ??= upstreamDone;
        got.update(part);
        gotBytes += part.length;
      }
      expect(upstreamDoneAtFirstBytes).toBe(false);
      expect(gotBytes).toBe(sentBytes);
      expect(gotBytes).toBeGreaterThan(CHUNKS * MB - 1);
      expect(got.digest('hex')).toBe(sent.digest('hex'));
      expect(key).toBe(KEY);
    },
    BIG_BODY_TIMEOUT_MS,
  );

  test(
    'a large create body streams to the upstream: it has its first bytes before the page has sent the rest',
    async () => {
      const MB = 1024 * 1024;
      const CHUNKS = 64;
      let pulled = 0;
      let pulledAtFirstBytes: number | undefined;
      let received = 0;
      const upstream = await listen(
        createServer((req, res) => {
          req.on('data', (part: Buffer) => {
            pulledAtFirstBytes ??= pulled;
            received += part.length;
          });
          req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"msgbatch_1"}'));
        }),
      );
      const proxy = await proxyBefore(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled === CHUNKS) return controller.close();
          pulled++;
          controller.enqueue(new Uint8Array(MB).fill(0x61));
        },
      });
      const response = await fetch(`${proxy.url}/v1/messages/batches`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { origin: APP, 'x-api-key': KEY, 'content-type': 'application/json' },
      } as RequestInit);
      expect(await response.json()).toEqual({ id: 'msgbatch_1' });
      expect(received).toBe(CHUNKS * MB);
      expect(pulledAtFirstBytes).toBeLessThan(CHUNKS);
    },
    BIG_BODY_TIMEOUT_MS,
  );

  test('the status endpoint answers any page: what the proxy forwards, where, and whether this origin is allowed', async () => {
    const fake = await fakeApi();
    const proxy = await proxyBefore(fake.url);
    const mine = await fetch(`${proxy.url}/batch-proxy/status`, { headers: { origin: APP } });
    expect(mine.headers.get('access-control-allow-origin')).toBe('*');
    expect(await mine.json()).toEqual({
      service: 'semsql-batch-proxy',
      version: 1,
      forwards: '/v1/messages/batches',
      upstream: fake.url,
      origins: [APP],
      origin: APP,
      allowed: true,
    });
    const theirs = await fetch(`${proxy.url}/batch-proxy/status`, { headers: { origin: OTHER } });
    expect(await theirs.json()).toMatchObject({ origins: [APP], origin: OTHER, allowed: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('as a Cloudflare Worker / Deno module', () => {
  interface WorkerModule {
    default: { fetch(request: Request, env?: Record<string, string>): Promise<Response> };
  }
  const load = async () => (await import(BATCH_PROXY_SCRIPT.replace(/\.mjs$/, '.worker.mjs'))) as WorkerModule;

  test('the same proxy, configured by its environment', async () => {
    const fake = await fakeApi();
    const worker = (await load()).default;
    const env = { BATCH_PROXY_ORIGINS: `${APP}, https://other.app`, BATCH_PROXY_UPSTREAM: fake.url };
    const created = await worker.fetch(
      new Request('https://proxy.example.workers.dev/v1/messages/batches', {
        method: 'POST',
        headers: { origin: APP, 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ requests: [{ custom_id: 'a', params: { model: 'm', max_tokens: 8, messages: [] } }] }),
      }),
      env,
    );
    expect(created.status).toBe(200);
    expect(created.headers.get('access-control-allow-origin')).toBe(APP);
    expect(fake.requests[0]?.headers['x-api-key']).toBe(KEY);
    const refused = await worker.fetch(new Request('https://proxy.example.workers.dev/v1/messages', { method: 'POST', headers: { origin: APP } }), env);
    expect(refused.status).toBe(404);
    expect(fake.requests).toHaveLength(1);
  });

  test('misconfigured: every request is told why, nothing is forwarded', async () => {
    const worker = (await load()).default;
    const out = await worker.fetch(new Request('https://proxy.example.workers.dev/v1/messages/batches', { headers: { origin: APP } }), {
      BATCH_PROXY_ORIGINS: '*',
    });
    expect(out.status).toBe(500);
    expect(((await out.json()) as { error: { message: string } }).error.message).toMatch(/not configured: "\*" is not an origin/);
  });
});

function listen(server: Server): Promise<Server> {
  running.push({
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}
