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
