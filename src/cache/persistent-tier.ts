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
  setMany(entries: [string, CachedAnswer][]): Promise<void>;
  clear(): Promise<void>;
  count(): Promise<number>;
}

/** IndexedDB through idb-keyval. The store is a parameter so tests can pass their own. */
export function indexedDbTier(store: UseStore = createStore('semsql-cache', 'answers')): PersistentTier {
  return {
    getMany: (keys) => getMany<CachedAnswer>(keys, store),
    setMany: (entries) => setMany(entries, store),
    clear: () => clear(store),
    count: () => store('readonly', (s) => promisifyRequest(s.count())),
  };
}
