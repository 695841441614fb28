import type { ProviderErrorInfo } from './model';

/**
 * The on-device embeddings worker (docs/embeddings.md): one per generation of workers, started by
 * the page with the model workers. The page reaches it over the worker's own port (status and load
 * progress); each model worker reaches it over a MessagePort of its own (texts in, vectors out).
 */

/** The on-device model as it enters cache keys and the call log. */
export const ON_DEVICE_EMBEDDINGS_MODEL = 'use-lite-en-0.2.0';

/** Where the model's files are served from, relative to the app's pages (vite.config.ts copies them there). */
export const ON_DEVICE_MODEL_PATH = `models/${ON_DEVICE_EMBEDDINGS_MODEL}/`;

export interface EmbedderStatus {
  /** idle: nothing asked yet; loading: files arriving; ready; failed: it cannot load in this browser or offline. */
  state: 'idle' | 'loading' | 'ready' | 'failed';
  model: string;
  /** Bytes of the model's files received so far, and in all (0 until the first file's size is known). */
  loadedBytes: number;
  totalBytes: number;
  /** Time the last load took, once ready. */
  loadMs: number | null;
  /** Why it failed. */
  error: string | null;
  /** Most memory the model has used so far (its WASM heap and the worker's JS heap), for the bench. */
  peakMemoryBytes: number;
}

/** Unit-length vectors, `dimensions` numbers per text, flat and in the order of the texts. */
export type EmbedReply = { ok: true; vectors: Float32Array; dimensions: number; tokens: number } | { ok: false; error: ProviderErrorInfo };

export interface EmbedderWorkerApi {
  /** Where the model's files are (the app's own origin); the worker loads them on the first embed. */
  init(modelUrl: string): Promise<void>;
  embed(texts: string[]): Promise<EmbedReply>;
  /** The model's token ids for a text (the tokenizer alone, for diagnostics and tests). */
  tokenize(text: string): Promise<number[]>;
  status(): Promise<EmbedderStatus>;
  /** Calls `listener` with each change of status (load progress included), until the worker ends. */
  watch(listener: (status: EmbedderStatus) => void): Promise<void>;
}

/** The message a model worker gets beside its `LlmWorkerConnect`: its port to the embeddings worker. */
export interface EmbedderConnect {
  embedder: MessagePort;
}
