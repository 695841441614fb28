import { clear, createStore, getMany, promisifyRequest, setMany, type UseStore } from 'idb-keyval';

/** A cached answer as stored: the value plus what it cost, for the call log and stats. */
export interface CachedAnswer {
  value: boolean | number | string | null;
  inputTokens: number;
  outputTokens: number;
}

/** The slow tier under the memory map. Batch operations only: one transaction per batch. */
export interface PersistentTier {
  getMany(keys: string[]): Promise<(CachedAnswer | undefined)[]>;
  /** Every entry whose key starts with `prefix`: two requests, however many entries. */
  getPrefix(prefix: string): Promise<[string, CachedAnswer][]>;
  setMany(entries: [string, CachedAnswer][]): Promise<void>;
  clear(): Promise<void>;
  count(): Promise<number>;
}

/** IndexedDB through idb-keyval. The store is a parameter so tests can pass their own. */
export function indexedDbTier(store: UseStore = createStore('semsql-cache', 'answers')): PersistentTier {
  return {
    getMany: (keys) => getMany<CachedAnswer>(keys, store),
    getPrefix: (prefix) =>
      store('readonly', async (s) => {
        // Keys sort as strings, so one operator's answers (same prefix) are one contiguous range.
        const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
        const [keys, values] = await Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))]);
        return keys.map((k, i): [string, CachedAnswer] => [String(k), values[i] as CachedAnswer]);
      }),
    setMany: (entries) => setMany(entries, store),
    clear: () => clear(store),
    count: () => store('readonly', (s) => promisifyRequest(s.count())),
  };
}

/**
 * A scope's own tier over a read-only base (the app's answers, for an embedding host the user
 * allowed): reads fall through to the base, writes and clears touch only the own tier.
 */
export function layeredTier(own: PersistentTier, base: PersistentTier): PersistentTier {
  return {
    async getMany(keys) {
      const mine = await own.getMany(keys);
      const missing = keys.filter((_, i) => mine[i] === undefined);
      if (missing.length === 0) return mine;
      const theirs = await base.getMany(missing);
      let k = 0;
      return mine.map((answer) => answer ?? theirs[k++]);
    },
    async getPrefix(prefix) {
      const [mine, theirs] = await Promise.all([own.getPrefix(prefix), base.getPrefix(prefix)]);
      const merged = new Map(theirs);
      for (const [key, answer] of mine) merged.set(key, answer);
      return [...merged];
    },
    setMany: (entries) => own.setMany(entries),
    clear: () => own.clear(),
    count: () => own.count(),
  };
}
