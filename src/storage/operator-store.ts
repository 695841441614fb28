import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { UserOperatorDef } from '../sql';

/** User-defined operators (CREATE SEMANTIC FUNCTION), kept in IndexedDB so they survive reloads. */
export interface OperatorStore {
  list(): Promise<UserOperatorDef[]>;
  save(def: UserOperatorDef): Promise<void>;
  remove(name: string): Promise<void>;
}

export function indexedDbOperatorStore(store: UseStore = createStore('semsql-operators', 'operators')): OperatorStore {
  return {
    list: async () => (await entries<string, UserOperatorDef>(store)).map(([, def]) => def),
    save: (def) => set(def.name, def, store),
    remove: (name) => del(name, store),
  };
}

/** For when IndexedDB is not available: definitions last for the session. */
export function memoryOperatorStore(): OperatorStore {
  const defs = new Map<string, UserOperatorDef>();
  return {
    list: async () => [...defs.values()],
    save: async (def) => void defs.set(def.name, def),
    remove: async (name) => void defs.delete(name),
  };
}
