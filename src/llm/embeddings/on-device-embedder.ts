import { ON_DEVICE_EMBEDDINGS_MODEL, type EmbedderWorkerApi } from '../../protocol/embedder';
import { ProviderError } from '../provider';
import type { Embedder, Embedding } from './embedder';

/**
 * The on-device model as a model worker sees it: texts go to the embeddings worker (one per
 * generation, shared by every model worker, so the model is loaded once), vectors come back. The
 * vectors are rounded to 6 decimals: they travel to DuckDB as JSON text, and cosines keep 5 digits.
 */
export function onDeviceEmbedder(worker: Pick<EmbedderWorkerApi, 'embed'> | null): Embedder {
  return {
    identity: `on-device:${ON_DEVICE_EMBEDDINGS_MODEL}`,
    async embed(texts: readonly string[], signal: AbortSignal): Promise<Embedding> {
      if (!worker)
        throw new ProviderError({
          kind: 'bad_request',
          message: 'the on-device embedding model is not available in this model worker (no embeddings worker was connected)',
        });
      const reply = await worker.embed([...texts]);
      if (signal.aborted) throw new ProviderError({ kind: 'cancelled', message: 'the call was cancelled' });
      if (!reply.ok) throw new ProviderError(reply.error);
      const { vectors, dimensions } = reply;
      const out = texts.map((_, i) => Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions), (x) => Math.round(x * 1e6) / 1e6));
      return { vectors: out, inputTokens: reply.tokens };
    },
  };
}
