import * as Comlink from 'comlink';
import type { EmbedderStatus } from '../protocol/embedder';
import type { EngineSettings } from '../protocol/settings';
import { embedderOf, type Workers } from './worker-generation';

/**
 * The on-device embedding model as the client sees it (docs/embeddings.md): its status and load
 * progress for the page, and the fallback. When the model cannot load (no WebAssembly, or offline
 * before its first download), the engine is told to embed with the word-hashing mock for the rest
 * of the session, under the mock's own cache keys, and the user is told once; `load()` tries again.
 */
export class EmbeddingModel {
  readonly #listeners = new Set<(status: EmbedderStatus) => void>();
  readonly #watched = new WeakSet<object>();
  #status: EmbedderStatus | null = null;
  #failed: string | null = null;

  constructor(
    private readonly workers: () => Workers,
    /** Applies the settings the engine should now run with (after a fallback, or its end). */
    private readonly reconfigure: () => Promise<void>,
    private readonly warn: (message: string) => void,
  ) {}

  /** Starts following a generation's embeddings worker (once per generation). */
  follow(workers: Workers): void {
    if (!workers.embedder || this.#watched.has(workers.embedder)) return;
    this.#watched.add(workers.embedder);
    void workers.embedder.api.watch(Comlink.proxy((status: EmbedderStatus) => this.#update(status))).catch(() => {});
  }

  /** `settings` as the engine should run them: the mock embedder while the on-device model cannot load. */
  effective(settings: EngineSettings): EngineSettings {
    if (this.#failed === null || settings.embeddings.provider !== 'on-device') return settings;
    return { ...settings, embeddings: { provider: 'mock', baseURL: '', model: 'mock-embed-256' } };
  }

  /** The latest status (idle until something is embedded). */
  async status(): Promise<EmbedderStatus> {
    return this.#status ?? this.#embedder().api.status();
  }

  /** Told of every change of status: load progress, ready, failed. */
  onStatus(listener: (status: EmbedderStatus) => void): () => void {
    this.#listeners.add(listener);
    if (this.#status) listener(this.#status);
    return () => this.#listeners.delete(listener);
  }

  /** Loads the model now (or tries again after a failure); resolves with its status. */
  async load(): Promise<EmbedderStatus> {
    const embedder = this.#embedder();
    await embedder.api.tokenize('').catch(() => {});
    const status = await embedder.api.status();
    if (status.state === 'ready' && this.#failed !== null) {
      this.#failed = null;
      await this.reconfigure();
    }
    return status;
  }

  /** The model's token ids for `text` (loads the model). */
  tokenize(text: string): Promise<number[]> {
    return this.#embedder().api.tokenize(text);
  }

  #embedder() {
    const workers = this.workers();
    const embedder = embedderOf(workers);
    this.follow(workers);
    return embedder;
  }

  #update(status: EmbedderStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
    if (status.state === 'failed' && this.#failed === null) {
      this.#failed = status.error ?? 'unknown error';
      this.warn(
        `The on-device embedding model could not load (${this.#failed}); embeddings use the word-hashing mock for this session. Rows that asked for vectors while it failed hold errors: run the query again.`,
      );
      void this.reconfigure();
    }
  }
}
