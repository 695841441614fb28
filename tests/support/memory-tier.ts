import type { CachedAnswer, PersistentTier } from '../../src/cache/persistent-tier';

/** An in-memory PersistentTier that counts its requests, and can be told to fail like a full disk. */
export function memoryTier(fail: { get?: Error; set?: Error } = {}) {
  const data = new Map<string, CachedAnswer>();
  const requests = { get: 0, prefix: 0, writes: [] as number[] };
  const tier: PersistentTier = {
    getMany: async (keys) => {
      if (fail.get) throw fail.get;
      requests.get += keys.length;
      return keys.map((k) => data.get(k));
    },
    getPrefix: async (prefix) => {
      if (fail.get) throw fail.get;
      requests.prefix++;
      return [...data].filter(([k]) => k.startsWith(prefix));
    },
    setMany: async (entries) => {
      if (fail.set) throw fail.set;
      requests.writes.push(entries.length);
      for (const [k, v] of entries) data.set(k, v);
    },
    clear: async () => data.clear(),
    count: async () => data.size,
  };
  return { tier, data, requests };
}
