import type { EngineSettings } from '../protocol/settings';

/**
 * Where a query's Message Batches (`-- @ mode: batch`) go, decided once from the settings: the
 * engine refuses a batch query that has nowhere to go before anything is sent, EXPLAIN names the
 * endpoint, the Anthropic provider sends there, and Settings checks it.
 *
 * The rule: Anthropic's public API (api.anthropic.com) does not answer browser preflights on
 * /v1/messages/batches (anthropics/anthropic-sdk-typescript#930), so batches never go there from
 * the page; they need the batch endpoint setting (a proxy, docs/batch-proxy.md). That holds
 * whether the public API is reached by leaving the base URL empty or by typing it. Any other
 * endpoint — a batch proxy, or, with no batch endpoint set, a custom base URL such as a local
 * Anthropic-compatible server or a gateway of the user's — is the user's own: it may answer
 * browsers, so batches go there, and a refusal there is reported when it happens. The mock model
 * answers batches itself and needs no endpoint.
 */

/** The public API, which refuses browsers on the batch endpoints. */
const PUBLIC_API = 'https://api.anthropic.com';
const PUBLIC_HOST = 'api.anthropic.com';

/** Where to read how to run the proxy (in semsql's repository). */
export const BATCH_PROXY_DOC = 'docs/batch-proxy.md';

export type BatchEndpoint =
  /** The mock model: nothing leaves the browser. */
  | { kind: 'mock' }
  /** `anthropic.batchBaseURL`: a batch proxy (or any endpoint the user set for batches). */
  | { kind: 'batch-endpoint'; url: string }
  /** No batch endpoint set: the model's own custom endpoint. */
  | { kind: 'model-endpoint'; url: string }
  /** Nowhere a browser can send batches: why, and what to do. */
  | { kind: 'none'; message: string };

/**
 * Where batches go under `settings`. `appOrigin` (the page's origin, when known) goes into the
 * command the refusal suggests.
 */
export function batchEndpoint(settings: Pick<EngineSettings, 'provider' | 'anthropic'>, appOrigin = pageOrigin()): BatchEndpoint {
  if (settings.provider === 'mock') return { kind: 'mock' };
  const batch = trimmed(settings.anthropic.batchBaseURL);
  const model = trimmed(settings.anthropic.baseURL);
  if (batch !== '' && !isPublicApi(batch)) return { kind: 'batch-endpoint', url: batch };
  if (batch === '' && model !== '' && !isPublicApi(model)) return { kind: 'model-endpoint', url: model };
  return { kind: 'none', message: noEndpointMessage(appOrigin) };
}

/** The refusal of a batch query with nowhere to go, thrown before anything is sent; nothing otherwise. */
export function requireBatchEndpoint(settings: Pick<EngineSettings, 'provider' | 'anthropic'>, appOrigin = pageOrigin()): void {
  const endpoint = batchEndpoint(settings, appOrigin);
  if (endpoint.kind === 'none') throw new Error(`${endpoint.message} Nothing was sent.`);
}

/** One line for EXPLAIN: where this query's batches would go. */
export function describeBatchEndpoint(endpoint: BatchEndpoint): string {
  switch (endpoint.kind) {
    case 'mock':
      return 'the mock model (nothing leaves this browser)';
    case 'batch-endpoint':
      return `${endpoint.url} (the Message Batches endpoint in Settings)`;
    case 'model-endpoint':
      return `${endpoint.url} (the model's endpoint; no Message Batches endpoint is set)`;
    case 'none':
      return `none: ${endpoint.message}`;
  }
}

function noEndpointMessage(appOrigin: string | undefined): string {
  const origin = appOrigin && /^https?:\/\//.test(appOrigin) ? appOrigin : 'https://your.app.origin';
  return (
    `Message Batches (-- @ mode: batch) need a batch endpoint: ${PUBLIC_API} refuses batch requests from a browser (its /v1/messages/batches answers no CORS preflight). ` +
    `Run the batch proxy (npm run batch-proxy -- --port 8787 --origin ${origin}) and set Settings → Message Batches endpoint to its URL (http://127.0.0.1:8787); see ${BATCH_PROXY_DOC}.`
  );
}

function isPublicApi(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === PUBLIC_HOST;
  } catch {
    return false;
  }
}

const trimmed = (url: string) => url.trim().replace(/\/+$/, '');

/** The origin of the page or worker running this, when there is one. */
function pageOrigin(): string | undefined {
  return (globalThis as { location?: { origin?: string } }).location?.origin;
}
