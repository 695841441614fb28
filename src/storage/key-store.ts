import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/**
 * The Anthropic API key, in IndexedDB only, in a database of its own so that clearing the cache or
 * exporting settings never touches it. The model workers read it themselves (same origin, same
 * database), so the key never crosses a postMessage (docs/design.md, "Model calls").
 */
export interface KeyStore {
  get(): Promise<string | undefined>;
  /** An empty or blank key forgets the stored one. */
  set(key: string): Promise<void>;
  forget(): Promise<void>;
}

// Opened on first use, not at import: importing this module must work where IndexedDB does not
// exist (Node unit tests, the mock-only path).
let secrets: UseStore | undefined;
const defaultStore: UseStore = (mode, callback) => (secrets ??= createStore('semsql-secrets', 'keys'))(mode, callback);

/** Which key: the Anthropic API key, or the embeddings endpoint's. */
export type KeyName = 'anthropic' | 'embeddings';

export function keyStore(store: UseStore = defaultStore, name: KeyName = 'anthropic'): KeyStore {
  return {
    get: async () => {
      const value = await get<unknown>(name, store);
      return typeof value === 'string' && value.trim() !== '' ? value : undefined;
    },
    set: async (key) => {
      const trimmed = key.trim();
      if (trimmed === '') await del(name, store);
      else await set(name, trimmed, store);
    },
    forget: () => del(name, store),
  };
}

/** For tests: the same contract, held in memory. */
export function memoryKeyStore(initial?: string): KeyStore {
  let current = initial?.trim() || undefined;
  return {
    get: async () => current,
    set: async (key) => {
      current = key.trim() || undefined;
    },
    forget: async () => {
      current = undefined;
    },
  };
}
