import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { StorageScope } from '../protocol/duckdb-worker-api';
import type { UserOperatorDef } from '../sql';
import { scopedDatabase } from './scope';

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

/**
 * The operators of a scope: its own namespace, which it writes, over the app's own, which a host the
 * user allowed may read but never change (a definition of the same name in the namespace wins).
 */
export function operatorStoreFor(scope: StorageScope): OperatorStore {
  const own = indexedDbOperatorStore(createStore(scopedDatabase('semsql-operators', scope), 'operators'));
  if (scope.namespace === null || !scope.readsAppState) return own;
  const app = indexedDbOperatorStore();
  return {
    list: async () => {
      const mine = await own.list();
      const names = new Set(mine.map((d) => d.name));
      return [...(await app.list()).filter((d) => !names.has(d.name)), ...mine];
    },
    save: (def) => own.save(def),
    remove: (name) => own.remove(name),
  };
}
