import { env, ready, setBackend } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ModelManifest, UseLiteFiles, Vocabulary } from './use-lite';

/**
 * Getting the on-device model running: TensorFlow.js's WASM backend from the app's own files, and
 * the model's files fetched from the app's own origin with their progress counted in bytes.
 */

/** The backend's two binaries, as the build names them. */
export interface WasmBinaries {
  plain: string;
  simd: string;
}

/**
 * Starts the WASM backend. Its multithreaded build is turned off: it needs a cross-origin
 * isolated page and starts helper workers from blob URLs, which the app's CSP (worker-src 'self')
 * refuses; the single-threaded SIMD build leaves the other core to DuckDB.
 */
export async function startWasmBackend(binaries?: WasmBinaries): Promise<void> {
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // Without binaries (Node: benches and tests), the backend reads its own from the package.
  if (binaries) {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': binaries.plain,
      'tfjs-backend-wasm-simd.wasm': binaries.simd,
      'tfjs-backend-wasm-threaded-simd.wasm': binaries.simd,
    });
  }
  if (!(await setBackend('wasm'))) throw new Error('the WebAssembly backend of TensorFlow.js did not start');
  await ready();
}

/** Bytes of the weights a manifest names (each entry float32 or int32: 4 bytes a number). */
export function weightBytes(manifest: ModelManifest): number {
  return manifest.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
}

export type Progress = (loadedBytes: number, totalBytes: number) => void;

/**
 * Fetches model.json, its weight shards and the vocabulary from `base` (a URL ending in "/"),
 * reporting bytes as they arrive. The total is the weights' size, known from model.json before any
 * shard, plus the vocabulary's once its length is known.
 */
export async function fetchUseLiteFiles(base: string, onProgress: Progress, fetchFn: typeof fetch = (i, init) => fetch(i, init)): Promise<UseLiteFiles> {
  const manifest = (await (await get(fetchFn, new URL('model.json', base).href)).json()) as ModelManifest;
  let total = weightBytes(manifest);
  let loaded = 0;
  const count = (bytes: number) => {
    loaded += bytes;
    onProgress(loaded, Math.max(total, loaded));
  };
  onProgress(0, total);
  const vocabulary = (async () => {
    const response = await get(fetchFn, new URL('vocab.json', base).href);
    total += Number(response.headers.get('content-length') ?? 0);
    return JSON.parse(new TextDecoder('utf-8').decode(await read(response, count))) as Vocabulary;
  })();
  const paths = manifest.weightsManifest.flatMap((g) => g.paths);
  const shards = await Promise.all(paths.map(async (path) => read(await get(fetchFn, new URL(path, base).href), count)));
  return { manifest, shards, vocabulary: await vocabulary };
}

async function get(fetchFn: typeof fetch, url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    throw new Error(`could not fetch ${url} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url} (HTTP ${response.status})`);
  return response;
}

/** The body's bytes, counted as they arrive. */
async function read(response: Response, count: (bytes: number) => void): Promise<ArrayBuffer> {
  if (!response.body) {
    const buffer = await response.arrayBuffer();
    count(buffer.byteLength);
    return buffer;
  }
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    count(value.byteLength);
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all.buffer;
}
