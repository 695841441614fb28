import type { EngineSettings, SemSQL, SettingsPatch } from '../../client';
import type { CacheStats } from '../../protocol/duckdb-worker-api';
import { errorText } from '../lib/error-text';

/**
 * The settings form's state: engine settings (persisted by the client), the API key, the cache.
 * Of the key only its last four characters are held here: the client stores it, the page never
 * needs it whole after it is typed.
 */
export class SettingsState {
  values = $state.raw<EngineSettings | null>(null);
  /** Last four characters of the stored key, or '' when none is set. */
  keyHint = $state('');
  /** The same for the embeddings endpoint's key. */
  embeddingsKeyHint = $state('');
  cache = $state.raw<CacheStats | null>(null);
  saving = $state(false);
  error = $state<string | null>(null);
  #db: SemSQL | null = null;

  async attach(db: SemSQL): Promise<void> {
    this.#db = db;
    this.values = await db.settings.get();
    this.keyHint = (await db.apiKey.hint().catch(() => null)) ?? '';
    this.embeddingsKeyHint = (await db.embeddingsKey.hint().catch(() => null)) ?? '';
  }

  async refreshCache(): Promise<void> {
    if (this.#db) this.cache = await this.#db.cache.stats().catch(() => null);
  }

  async update(patch: SettingsPatch): Promise<void> {
    if (!this.#db) return;
    this.saving = true;
    this.error = null;
    try {
      this.values = await this.#db.settings.update(patch);
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.saving = false;
    }
  }

  /** An empty key forgets the stored one. */
  async saveKey(key: string): Promise<void> {
    if (!this.#db) return;
    await this.#db.apiKey.set(key);
    this.keyHint = (await this.#db.apiKey.hint()) ?? '';
  }

  /** An empty key forgets the stored one. */
  async saveEmbeddingsKey(key: string): Promise<void> {
    if (!this.#db) return;
    await this.#db.embeddingsKey.set(key);
    this.embeddingsKeyHint = (await this.#db.embeddingsKey.hint()) ?? '';
  }

  async clearCache(): Promise<void> {
    if (!this.#db) return;
    await this.#db.cache.clear();
    await this.refreshCache();
  }
}
