import { keyStore, type KeyStore } from '../../storage/key-store';

/**
 * The settings form's view of the Anthropic API key. The key lives in the engine's key store
 * (src/storage/key-store.ts: IndexedDB on this machine, read there by the model workers) and never
 * in a URL, a share link, an export or the engine settings that cross postMessage.
 */
export interface ApiKeyStore {
  get(): Promise<string>;
  /** An empty key forgets the stored one. */
  set(key: string): Promise<void>;
}

export function apiKeyStore(store: KeyStore = keyStore()): ApiKeyStore {
  return {
    get: async () => (await store.get()) ?? '',
    set: (key) => store.set(key),
  };
}

/** Shows the end of a key so the user can tell which one is saved, and nothing more. */
export function maskKey(key: string): string {
  if (key === '') return '';
  return `${'•'.repeat(8)}${key.slice(-4)}`;
}
