import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/**
 * The Anthropic API key, in IndexedDB only, in a database of its own so that clearing the cache or
 * exporting settings never touches it. The model workers read it themselves (same origin, same
 * database), so the key never crosses a postMessage (DESIGN.md, "Model calls").
 */
export interface KeyStore {
  get(): Promise<string | undefined>;
  /** An empty or blank key forgets the stored one. */
  set(key: string): Promise<void>;
  forget(): Promise<void>;
}

const KEY = 'anthropic';

// Opened on first use, not at import: importing this module must work where IndexedDB does not
// exist (Node unit tests, the mock-only path).
let secrets: UseStore | undefined;
const defaultStore: UseStore = (mode, callback) => (secrets ??= createStore('semsql-secrets', 'keys'))(mode, callback);

export function keyStore(store: UseStore = defaultStore): KeyStore {
  return {
    get: async () => {
      const value = await get<unknown>(KEY, store);
      return typeof value === 'string' && value.trim() !== '' ? value : undefined;
    },
    set: async (key) => {
      const trimmed = key.trim();
      if (trimmed === '') await del(KEY, store);
      else await set(KEY, trimmed, store);
    },
    forget: () => del(KEY, store),
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
