#!/usr/bin/env node
/**
 * The semsql batch proxy (docs/batch-proxy.md): one file, Node's standard library only.
 *
 *   npm run batch-proxy -- --port 8787 --origin https://your.app.origin [--upstream URL]
 *
 * Anthropic's Message Batches endpoints do not answer browser preflights (the Messages endpoint
 * does), so a page cannot call them. This proxy forwards exactly those endpoints, for the app's
 * origin(s) only, to one fixed upstream. It holds no key: the caller's key header passes through
 * untouched, so the proxy cannot spend anyone's money but the caller's, and it never stores or logs
 * a header or a body.
 *
 * The top of the file is the proxy itself, written against the Web platform (Request, Response,
 * fetch) so that scripts/batch-proxy.worker.mjs runs the same code as a Cloudflare Worker or on
 * Deno Deploy; the Node server at the bottom only adapts node:http to it. Node's modules are taken
 * with process.getBuiltinModule, not imported, so a bundler building the Worker finds no node:
 * import to resolve.
 */

export const DEFAULT_UPSTREAM = 'https://api.anthropic.com';
/** A GET the proxy answers itself, for anyone: what it forwards, where to, and for whom. */
const STATUS_PATH = '/batch-proxy/status';
const SERVICE = 'semsql-batch-proxy';

/** The Message Batches API as SDK 1.12 calls it: the only paths and methods forwarded. */
const ID = '[A-Za-z0-9_-]{1,128}';
const ROUTES = [
  { path: /^\/v1\/messages\/batches$/, methods: ['GET', 'POST'] },
  { path: new RegExp(`^/v1/messages/batches/${ID}$`), methods: ['GET', 'DELETE'] },
  { path: new RegExp(`^/v1/messages/batches/${ID}/cancel$`), methods: ['POST'] },
  { path: new RegExp(`^/v1/messages/batches/${ID}/results$`), methods: ['GET'], results: true },
];

/**
 * Request headers forwarded, and the only ones a preflight may ask for: the key (`x-api-key`, or
 * `authorization`, which SDK 1.x uses), the API's own (`anthropic-version`, `-beta`, …) and the
 * SDK's (`x-stainless-*`), and the body's length (so a body streams on with it, not chunked).
 * Never cookies, Origin, Host or X-Forwarded-*.
 */
const HEADERS = new Set(['authorization', 'x-api-key', 'content-type', 'content-length', 'accept']);
const HEADER_PREFIXES = ['anthropic-', 'x-stainless-'];
const forwardable = (name) => HEADERS.has(name) || HEADER_PREFIXES.some((prefix) => name.startsWith(prefix));

/**
 * Response headers not passed back: hop-by-hop ones, cookies, the upstream's own CORS, and the
 * body's length and encoding (fetch has already decoded the body, and it is streamed on).
 */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'set-cookie',
  'trailer',
  'upgrade',
  'proxy-authenticate',
]);

/** The proxy's settings, checked: allowed origins (exact scheme://host[:port]) and the upstream. */
function proxyConfig({ origins, upstream = DEFAULT_UPSTREAM }) {
  const list = [origins ?? []]
    .flat()
    .flatMap((o) => String(o).split(','))
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (list.length === 0) throw new Error('no allowed origin: give the origin the app is served from, e.g. --origin https://your.app.origin');
  const allowed = list.map(originOf);
  let base;
  try {
    base = new URL(upstream);
  } catch {
    throw new Error(`the upstream "${upstream}" is not a URL`);
  }
  if (!/^https?:$/.test(base.protocol) || base.search || base.hash || base.username || base.password) {
    throw new Error(`the upstream "${upstream}" must be an http(s) URL without query, fragment or credentials`);
  }
  return { origins: [...new Set(allowed)], upstream: base.href.replace(/\/+$/, '') };
}

/** `text` as an origin, or why it is not one: never a wildcard, `null`, or a URL with a path. */
function originOf(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol) || (text !== url.origin && text !== `${url.origin}/`)) {
    throw new Error(`"${text}" is not an origin: give scheme, host and port only, e.g. https://your.app.origin (no path, no wildcard)`);
  }
  return url.origin;
}

/**
 * The proxy as a fetch handler: `fetch(request)` answers one request. `log` gets one entry per
 * request (method, path, status, origin, time, why it was refused), never a header or a body.
 */
export function createBatchProxy(options) {
  const config = proxyConfig(options);
  const log = options.log ?? (() => {});
  const upstreamFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const allows = (origin) => origin !== null && config.origins.includes(origin);
  const refuse = (status, type, message, origin, headers = {}) =>
    new Response(JSON.stringify({ type: 'error', error: { type, message } }), {
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(allows(origin) ? cors(origin) : {}), ...headers },
    });

  const status = (origin) =>
    new Response(
      JSON.stringify({
        service: SERVICE,
        version: 1,
        forwards: '/v1/messages/batches',
        upstream: config.upstream,
        origins: config.origins,
        origin,
        allowed: allows(origin),
      }),
      {
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' },
      },
    );

  const preflight = (request, route, origin) => {
    const method = request.headers.get('access-control-request-method')?.toUpperCase();
    if (origin === null || !method)
      return [
        refuse(400, 'invalid_request_error', 'an OPTIONS request without Origin and Access-Control-Request-Method is not a preflight', origin),
        'not a preflight',
      ];
    if (!allows(origin)) return [refuse(403, 'permission_error', `origin ${origin} is not allowed by this proxy`, origin), 'origin not allowed'];
    if (!route) return [refuse(404, 'not_found_error', notForwarded(method, request), origin), 'path not forwarded'];
    if (!route.methods.includes(method))
      return [refuse(405, 'invalid_request_error', notForwarded(method, request), origin, { allow: route.methods.join(', ') }), 'method not forwarded'];
    const asked = (request.headers.get('access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    const refused = asked.filter((h) => !forwardable(h));
    if (refused.length > 0)
      return [
        refuse(403, 'permission_error', `this proxy does not forward the header(s) ${refused.join(', ')}`, origin),
        `header(s) not forwarded: ${refused.join(', ')}`,
      ];
    const headers = {
      ...cors(origin),
      'access-control-allow-methods': route.methods.join(', '),
      'access-control-allow-headers': asked.join(', '),
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    };
    // Chromium's Private Network Access: an https page calling a proxy on localhost asks first.
    if (request.headers.get('access-control-request-private-network') === 'true') headers['access-control-allow-private-network'] = 'true';
    return [new Response(null, { status: 204, headers }), undefined];
  };

  const forward = async (request, url, route, origin) => {
    const headers = new Headers();
    for (const [name, value] of request.headers) if (forwardable(name)) headers.set(name, value);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    let response;
    try {
      response = await upstreamFetch(config.upstream + url.pathname + url.search, {
        method: request.method,
        headers,
        ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
        // A redirect is not followed: it would carry the key to a host nobody chose.
        redirect: 'manual',
        signal: request.signal,
      });
    } catch (error) {
      return [refuse(502, 'api_error', `the proxy could not reach ${config.upstream} (${reasonOf(error)})`, origin), 'upstream unreachable'];
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return [refuse(502, 'api_error', `the upstream answered ${response.status} (a redirect), which this proxy does not follow`, origin), 'upstream redirect'];
    }
    const out = new Headers(cors(origin));
    for (const [name, value] of response.headers) if (!DROPPED.has(name) && !name.startsWith('access-control-')) out.set(name, value);
    out.set('vary', 'Origin');
    const body = [101, 204, 205, 304].includes(response.status) ? null : response.body;
    const json = !route.results && (response.headers.get('content-type') ?? '').includes('application/json');
    // Batch objects name their results by an absolute URL on the upstream, which a browser could
    // not call: they are rewritten to this proxy. Results themselves stream through untouched.
    const payload = json && body ? await viaProxy(await response.text(), config.upstream, url.origin) : body;
    return [new Response(payload, { status: response.status, statusText: response.statusText, headers: out }), undefined];
  };

  return {
    config,
    async fetch(request) {
      const started = Date.now();
      const url = new URL(request.url);
      const origin = request.headers.get('origin');
      const method = request.method.toUpperCase();
      const route = ROUTES.find((r) => r.path.test(url.pathname));
      const [response, note] = await (async () => {
        if (url.pathname === STATUS_PATH && method === 'GET') return [status(origin), undefined];
        if (method === 'OPTIONS') return preflight(request, route, origin);
        if (!route) return [refuse(404, 'not_found_error', notForwarded(method, request), origin), 'path not forwarded'];
        if (!route.methods.includes(method))
          return [refuse(405, 'invalid_request_error', notForwarded(method, request), origin, { allow: route.methods.join(', ') }), 'method not forwarded'];
        if (origin === null)
          return [
            refuse(403, 'permission_error', 'a request without an Origin header is refused: this proxy serves the pages of its allowed origins only', origin),
            'no origin',
          ];
        if (!allows(origin)) return [refuse(403, 'permission_error', `origin ${origin} is not allowed by this proxy`, origin), 'origin not allowed'];
        return forward(request, url, route, origin);
      })();
      log({ method, path: url.pathname, status: response.status, origin, ms: Date.now() - started, ...(note ? { note } : {}) });
      return response;
    },
  };
}

/** The message of a refused path or method: what the proxy is, and what it forwards. */
function notForwarded(method, request) {
  return `this is the semsql batch proxy: it forwards only the Message Batches API (/v1/messages/batches…), so ${method} ${new URL(request.url).pathname} is not forwarded; GET ${STATUS_PATH} says what it allows`;
}

function cors(origin) {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': '*', vary: 'Origin' };
}

/** Why a fetch failed, from its cause when there is one (ECONNREFUSED, ENOTFOUND): never a header. */
function reasonOf(error) {
  const cause = error?.cause;
  return String(cause?.code ?? cause?.message ?? error?.message ?? error);
}

/** A JSON body with every `results_url` on the upstream moved to `proxyOrigin` (a batch, or a page of them). */
function viaProxy(text, upstream, proxyOrigin) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  const move = (batch) => {
    const url = batch?.results_url;
    if (typeof url === 'string' && url.startsWith(`${upstream}/v1/messages/batches/`)) batch.results_url = proxyOrigin + url.slice(upstream.length);
  };
  move(body);
  if (Array.isArray(body?.data)) body.data.forEach(move);
  return JSON.stringify(body);
}

/** One log line: what was asked and answered. Paths are cut short, and anything shaped like a key is masked. */
export function formatLogEntry(entry) {
  const clip = (text) =>
    String(text)
      .slice(0, 200)
      .replace(/sk-[A-Za-z0-9_-]+/g, 'sk-…');
  const from = entry.origin === null ? 'no origin' : clip(entry.origin);
  return `${new Date().toISOString()} ${entry.method} ${clip(entry.path)} ${entry.status} ${entry.ms} ms (${from})${entry.note ? `: ${entry.note}` : ''}`;
}

// ---- The Node server ---------------------------------------------------------------------------

const builtin = (name) => process.getBuiltinModule(name);

/** Serves `proxy` with node:http; resolves to the server once it listens. */
function serveNode(proxy, { port, host }) {
  const http = builtin('node:http');
  const { Readable } = builtin('node:stream');
  const { pipeline } = builtin('node:stream/promises');
  const server = http.createServer(async (req, res) => {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let request;
    try {
      if (!req.url?.startsWith('/')) throw new Error('not an origin-form request target');
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
      request = new Request(new URL(req.url, `http://${req.headers.host ?? `${host}:${port}`}`), {
        method: req.method,
        headers,
        signal: abort.signal,
        ...(hasBody ? { body: Readable.toWeb(req), duplex: 'half' } : {}),
      });
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
      return;
    }
    try {
      const response = await proxy.fetch(request);
      const headers = Object.fromEntries(response.headers);
      if (response.statusText) res.writeHead(response.status, response.statusText, headers);
      else res.writeHead(response.status, headers);
      if (response.body) await pipeline(Readable.fromWeb(response.body), res);
      else res.end();
    } catch {
      // The client went away mid-body (the upstream call is aborted with it), or the upstream did.
      res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

const USAGE = `Usage: npm run batch-proxy -- --port 8787 --origin https://your.app.origin [--origin …] [--upstream ${DEFAULT_UPSTREAM}] [--host 127.0.0.1]`;

async function main(argv) {
  const { parseArgs } = builtin('node:util');
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      origin: { type: 'string', multiple: true },
      upstream: { type: 'string', default: DEFAULT_UPSTREAM },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const proxy = createBatchProxy({ origins: values.origin, upstream: values.upstream, log: (entry) => console.log(formatLogEntry(entry)) });
  const server = await serveNode(proxy, { port, host: values.host });
  const { address, port: bound } = server.address();
  const shown = address.includes(':') ? `[${address}]` : address;
  console.log(`semsql batch proxy listening on http://${shown}:${bound}`);
  console.log(`  forwards /v1/messages/batches… to ${proxy.config.upstream}, for ${proxy.config.origins.join(', ')}`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const isMain = () => {
  if (typeof process !== 'object' || typeof process.getBuiltinModule !== 'function' || !process.argv?.[1]) return false;
  const { pathToFileURL } = builtin('node:url');
  const { realpathSync } = builtin('node:fs');
  return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
};

if (isMain()) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`semsql batch proxy: ${error.message}\n${USAGE}`);
    process.exit(2);
  });
}
