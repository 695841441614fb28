import * as v from 'valibot';
import { BATCH_PROXY_DOC, batchEndpoint } from '../llm/batch-endpoint';
import type { EngineSettings } from '../protocol/settings';

/**
 * What Settings shows about where Message Batches go: the endpoint src/llm/batch-endpoint.ts
 * chooses, and, for a batch proxy, what the proxy says of itself at its status path (a GET it
 * answers itself, to any page, without the key: scripts/batch-proxy.mjs, docs/batch-proxy.md).
 */

/** The proxy's status path (`STATUS_PATH` in scripts/batch-proxy.mjs). */
export const BATCH_PROXY_STATUS_PATH = '/batch-proxy/status';

/** A status check never waits longer than this (a host that drops packets would hang a fetch). */
const CHECK_TIMEOUT_MS = 5_000;

export interface BatchEndpointStatus {
  /**
   * mock: no endpoint needed; none: nowhere to send batches; ready: a batch proxy that allows this
   * page; refused: one that does not; unreachable: no answer; unknown: an endpoint that answers but
   * is not the batch proxy (batches are sent there as they are).
   */
  state: 'mock' | 'none' | 'ready' | 'refused' | 'unreachable' | 'unknown';
  endpoint: string | null;
  message: string;
  /** What a batch proxy said of itself. */
  proxy?: { origins: string[]; upstream: string };
}

const ProxyStatus = v.object({
  service: v.literal('semsql-batch-proxy'),
  upstream: v.string(),
  origins: v.array(v.string()),
  allowed: v.boolean(),
});

/** Checks where batches go under `settings`, from the page at `pageOrigin`; never sends the key. */
export async function checkBatchEndpoint(
  settings: Pick<EngineSettings, 'provider' | 'anthropic'>,
  options: { pageOrigin: string; fetch?: typeof fetch; signal?: AbortSignal },
): Promise<BatchEndpointStatus> {
  const endpoint = batchEndpoint(settings, options.pageOrigin);
  if (endpoint.kind === 'mock') return { state: 'mock', endpoint: null, message: 'The mock model answers Message Batches itself: no endpoint is needed.' };
  if (endpoint.kind === 'none') return { state: 'none', endpoint: null, message: endpoint.message };
  const url = endpoint.url;
  const start = `npm run batch-proxy -- --port 8787 --origin ${options.pageOrigin}`;
  const signal = AbortSignal.any([AbortSignal.timeout(CHECK_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])]);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${url}${BATCH_PROXY_STATUS_PATH}`, { cache: 'no-store', credentials: 'omit', signal });
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer in ${CHECK_TIMEOUT_MS / 1000} s`
        : error instanceof Error
          ? error.message
          : String(error);
    const csp = isThisMachine(url)
      ? ''
      : ` A proxy on another host must also be allowed by the app's Content-Security-Policy (connect-src in index.html); see ${BATCH_PROXY_DOC}.`;
    return { state: 'unreachable', endpoint: url, message: `Could not reach ${url} (${why}). Is the batch proxy running? Start it with: ${start}.${csp}` };
  }
  const parsed = v.safeParse(ProxyStatus, await response.json().catch(() => null));
  if (!response.ok || !parsed.success) {
    const whose = endpoint.kind === 'model-endpoint' ? "the model's endpoint" : 'the Message Batches endpoint';
    return {
      state: 'unknown',
      endpoint: url,
      message: `Batches go to ${whose}, ${url}, which answers but is not the semsql batch proxy: they are sent there as they are (${BATCH_PROXY_DOC}).`,
    };
  }
  const { origins, upstream, allowed } = parsed.output;
  const proxy = { origins, upstream };
  if (!allowed) {
    return {
      state: 'refused',
      endpoint: url,
      proxy,
      message: `The batch proxy at ${url} is reachable but allows only ${origins.join(', ')}, not this page (${options.pageOrigin}): restart it with --origin ${options.pageOrigin}.`,
    };
  }
  return {
    state: 'ready',
    endpoint: url,
    proxy,
    message: `The batch proxy at ${url} is reachable: it allows this page (${options.pageOrigin}) and forwards batches to ${upstream}.`,
  };
}

function isThisMachine(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}
