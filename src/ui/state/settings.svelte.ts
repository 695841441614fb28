import type { CacheStats, EngineSettings, SemSQL, SettingsPatch } from '../../client';
import { apiKeyStore, type ApiKeyStore } from '../lib/key-store-adapter';

/** The settings form's state: engine settings (persisted by the client), the API key, the cache. */
export class SettingsState {
  values = $state.raw<EngineSettings | null>(null);
  apiKey = $state('');
  cache = $state.raw<CacheStats | null>(null);
  saving = $state(false);
  error = $state<string | null>(null);
  #db: SemSQL | null = null;
  readonly #keys: ApiKeyStore;

  constructor(keys: ApiKeyStore = apiKeyStore()) {
    this.#keys = keys;
  }

  async attach(db: SemSQL): Promise<void> {
    this.#db = db;
    this.values = await db.settings.get();
    this.apiKey = await this.#keys.get().catch(() => '');
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
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.saving = false;
    }
  }

  async saveKey(key: string): Promise<void> {
    this.apiKey = key.trim();
    await this.#keys.set(this.apiKey);
  }

  async clearCache(): Promise<void> {
    if (!this.#db) return;
    await this.#db.cache.clear();
    await this.refreshCache();
  }
}
