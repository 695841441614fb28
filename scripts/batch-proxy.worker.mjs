/**
 * The semsql batch proxy as a Cloudflare Worker or a Deno Deploy module (docs/batch-proxy.md): the
 * same proxy as `npm run batch-proxy` (scripts/batch-proxy.mjs), configured by the environment:
 *
 *   BATCH_PROXY_ORIGINS   the app's origin(s), comma-separated (required)
 *   BATCH_PROXY_UPSTREAM  where batches go (default https://api.anthropic.com)
 *
 * Cloudflare passes them as the handler's `env`; Deno Deploy (`deno serve`) through Deno.env.
 */
import { createBatchProxy, DEFAULT_UPSTREAM, formatLogEntry } from './batch-proxy.mjs';

/** The proxy for the configuration last seen (a Worker's env is the same for every request). */
let made = null;

function proxyFor(env) {
  const read = (name) => env?.[name] ?? globalThis.Deno?.env.get(name);
  const origins = read('BATCH_PROXY_ORIGINS') ?? '';
  const upstream = read('BATCH_PROXY_UPSTREAM');
  const key = `${origins}\n${upstream ?? ''}`;
  if (made?.key === key) return made.proxy;
  let proxy;
  try {
    proxy = createBatchProxy({ origins, ...(upstream ? { upstream } : {}), log: (entry) => console.log(formatLogEntry(entry)) });
  } catch (error) {
    // Misconfigured: every request is told why, and nothing is forwarded.
    const message = `the semsql batch proxy is not configured: ${error.message} (set BATCH_PROXY_ORIGINS, and BATCH_PROXY_UPSTREAM if not ${DEFAULT_UPSTREAM})`;
    proxy = { fetch: async () => Response.json({ type: 'error', error: { type: 'api_error', message } }, { status: 500 }) };
  }
  made = { key, proxy };
  return proxy;
}

export default {
  fetch(request, env) {
    return proxyFor(env).fetch(request);
  },
};
