import * as Comlink from 'comlink';
import { createLlmService } from '../src/llm/llm-service';
import { providerFactory } from '../src/llm/provider-factory';
import type { EmbedderWorkerApi } from '../src/protocol/embedder';
import type { LlmWorkerConnect } from '../src/protocol/llm-worker-api';
import { keyStore } from '../src/storage/key-store';

/**
 * A model worker's composition root: the providers, reading the user's key from IndexedDB (same
 * origin as the page), behind the service the DuckDB worker reaches over its MessagePort; the
 * on-device embedding model is reached over a port of its own to the embeddings worker.
 */
const keys = keyStore();
const embeddingsKeys = keyStore(undefined, 'embeddings');
let embedder: Comlink.Remote<EmbedderWorkerApi> | null = null;
const service = createLlmService(
  providerFactory(
    () => keys.get(),
    () => embeddingsKeys.get(),
    () => embedder,
  ),
);
self.addEventListener('message', (event: MessageEvent<LlmWorkerConnect>) => {
  if (event.data?.embedder instanceof MessagePort) embedder = Comlink.wrap<EmbedderWorkerApi>(event.data.embedder);
  if (event.data?.connect instanceof MessagePort) Comlink.expose(service, event.data.connect);
});
