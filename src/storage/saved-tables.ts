import { createStore, del, entries, get, keys, set, type UseStore } from 'idb-keyval';
import type { DataFormat } from '../protocol/data-source';
import type { StorageScope } from '../protocol/duckdb-worker-api';
import { scopedDatabase } from './scope';

/**
 * A table loaded from a file, a URL or data, kept so it comes back after a reload, whichever entry
 * point loaded it (the workbench, the widget, `SemSQL.load`): the file itself (IndexedDB stores a
 * File as a blob on disk and hands back a handle, so listing the saved tables reads no file
 * contents; text and bytes are kept as a File too), or the URL to fetch again, and what the table
 * looked like.
 */
export interface SavedTable {
  table: string;
  source: { kind: 'file'; file: File } | { kind: 'url'; url: string };
  format: DataFormat;
  rows: number;
  columns: { name: string; type: string }[];
  savedAt: number;
}

export interface SavedTableStore {
  list(): Promise<SavedTable[]>;
  /** The saved tables' names only: cheap enough to read before every query. */
  names(): Promise<string[]>;
  get(table: string): Promise<SavedTable | undefined>;
  /** Rejects when the browser refuses the bytes (quota): the table then lasts for the session. */
  save(saved: SavedTable): Promise<void>;
  remove(table: string): Promise<void>;
}

export function indexedDbSavedTables(store: UseStore): SavedTableStore {
  return {
    list: async () => (await entries<string, SavedTable>(store)).map(([, saved]) => saved).sort((a, b) => a.savedAt - b.savedAt),
    names: () => keys<string>(store),
    get: (table) => get<SavedTable>(table, store),
    save: (saved) => set(saved.table, saved, store),
    remove: (table) => del(table, store),
  };
}

/** The saved tables of a scope (per origin; an embedding host's apart from the app's). */
export function savedTablesFor(scope: StorageScope): SavedTableStore {
  return indexedDbSavedTables(createStore(scopedDatabase('semsql-saved-tables', scope), 'tables'));
}

/** A session-only stand-in where IndexedDB is missing (Node, some private modes). */
export function memorySavedTables(): SavedTableStore {
  const map = new Map<string, SavedTable>();
  return {
    list: async () => [...map.values()].sort((a, b) => a.savedAt - b.savedAt),
    names: async () => [...map.keys()],
    get: async (table) => map.get(table),
    save: async (saved) => void map.set(saved.table, saved),
    remove: async (table) => void map.delete(table),
  };
}
