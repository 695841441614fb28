import * as Comlink from 'comlink';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { createEmbedderService } from '../src/llm/embeddings/embedder-service';
import type { EmbedderConnect } from '../src/protocol/embedder';

/**
 * The embeddings worker's composition root (docs/embeddings.md): the on-device model, loaded on the
 * first text from the app's own origin. TensorFlow.js is imported then too, so a page that never
 * embeds never parses it. The page talks to the service on this worker's own port (status and
 * progress); each model worker on a port of its own.
 */
const service = createEmbedderService(async (url, onProgress) => {
  const [{ startWasmBackend, fetchUseLiteFiles }, { useLite }] = await Promise.all([
    import('../src/llm/embeddings/use-lite-load'),
    import('../src/llm/embeddings/use-lite'),
  ]);
  const [files] = await Promise.all([fetchUseLiteFiles(url, onProgress), startWasmBackend({ plain: plainWasm, simd: simdWasm })]);
  return useLite(files);
});

Comlink.expose(service);
self.addEventListener('message', (event: MessageEvent<EmbedderConnect>) => {
  if (event.data?.embedder instanceof MessagePort) Comlink.expose(service, event.data.embedder);
});
