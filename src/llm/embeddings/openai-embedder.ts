import type { ProviderErrorKind } from '../../protocol/model';
import type { EmbeddingsSettings } from '../../protocol/settings';
import { parseRetryAfterMs } from '../anthropic/rate-limit-headers';
import { ProviderError } from '../provider';
import { normalize, type Embedder, type Embedding } from './embedder';

/**
 * Any OpenAI-compatible `POST /v1/embeddings` endpoint (OpenAI, Voyage, Ollama, LM Studio):
 * `{model, input: [...]}` in, `{data: [{index, embedding}], usage}` out. The key, when the endpoint
 * needs one, is the user's own, read in the model worker and sent only to the endpoint they chose.
 * Plain fetch: the request is one JSON POST, and no SDK covers all of these servers.
 */
export function openAiEmbedder(
  settings: EmbeddingsSettings,
  apiKey: () => Promise<string | undefined>,
  fetchFn: typeof fetch = (i, init) => fetch(i, init),
): Embedder {
  const base = settings.baseURL.trim().replace(/\/+$/, '');
  const url = /\/v1$/.test(base) ? `${base}/embeddings` : `${base}/v1/embeddings`;
  return {
    identity: `openai:${base}|${settings.model}`,
    async embed(texts: readonly string[], signal: AbortSignal): Promise<Embedding> {
      const key = (await apiKey())?.trim();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers['authorization'] = `Bearer ${key}`;
      let response: Response;
      try {
        response = await fetchFn(url, { method: 'POST', headers, body: JSON.stringify({ model: settings.model, input: texts }), signal });
      } catch (error) {
        if (signal.aborted) throw new ProviderError({ kind: 'cancelled', message: 'the call was cancelled' });
        throw new ProviderError({ kind: 'network', message: `could not reach the embeddings endpoint ${url} (${(error as Error).message})` });
      }
      const text = await response.text();
      if (!response.ok) {
        const kind = kindOf(response.status);
        const detail = redact(text.slice(0, 300), key);
        const retryAfterMs = parseRetryAfterMs(response.headers);
        const message =
          kind === 'auth'
            ? `the embeddings endpoint rejected the key (${response.status}: ${detail}). Check the embeddings key in Settings.`
            : `embeddings endpoint error ${response.status}: ${detail}`;
        throw new ProviderError({ kind, status: response.status, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      }
      return read(text, texts.length);
    },
  };
}

function read(text: string, count: number): Embedding {
  const malformed = (why: string) => new ProviderError({ kind: 'malformed', message: `the embeddings endpoint's reply ${why}` });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformed('is not JSON');
  }
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length !== count) throw malformed(`has ${Array.isArray(data) ? data.length : 'no'} embeddings for ${count} texts`);
  const vectors = new Array<number[]>(count);
  data.forEach((entry: unknown, i) => {
    const { index, embedding } = (entry ?? {}) as { index?: unknown; embedding?: unknown };
    const at = typeof index === 'number' ? index : i;
    if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw malformed('holds an embedding that is not a list of numbers');
    vectors[at] = normalize(embedding as number[]);
  });
  if (vectors.some((v) => v === undefined)) throw malformed('leaves a text without an embedding');
  const usage = (body as { usage?: { prompt_tokens?: unknown; total_tokens?: unknown } }).usage;
  const tokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : typeof usage?.total_tokens === 'number' ? usage.total_tokens : 0;
  return { vectors, inputTokens: tokens };
}

function kindOf(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 413) return 'too_large';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad_request';
}

function redact(text: string, key: string | undefined): string {
  return key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
}
