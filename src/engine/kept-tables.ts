import type { DataSource, LoadedTable, LoadOptions, LoadProgress } from '../protocol/data-source';
import type { DuckDbWorkerApi, StorageScope, TableInfo } from '../protocol/duckdb-worker-api';
import { tablesDroppedIn, tablesNamedIn } from '../sql';
import type { SavedTable, SavedTableStore } from '../storage/saved-tables';

/**
 * One list of loaded tables for every entry point (issue 26). Wraps the DuckDB worker's API, below
 * the app, the widget and `SemSQL` alike: a table loaded through any of them is kept in the scope's
 * saved-tables store (unless the load says `keep: false`), and a kept table the engine does not
 * have is read back the first time a query or an EXPLAIN names it, in this tab or another (the
 * store's names are read before each statement: about a millisecond). `DROP TABLE` of a kept table
 * forgets it, so it does not come back after a reload.
 */
export function keepingTables(inner: DuckDbWorkerApi, storeFor: (scope: StorageScope) => SavedTableStore): DuckDbWorkerApi {
  const kept = new KeptTables(inner);
  return {
    ...inner,
    async open(settings, scope) {
      try {
        kept.store = storeFor(scope);
      } catch {
        kept.store = null; // no IndexedDB: loads last for the session
      }
      return inner.open(settings, scope);
    },
    async load(source: DataSource, options: LoadOptions, onProgress?: (p: LoadProgress) => void) {
      const loaded = await inner.load(source, options, onProgress);
      return options.keep === false ? loaded : kept.keep(source, loaded);
    },
    async query(queryId, sql, onProgress) {
      const dropped = tablesDroppedIn(sql);
      await kept.restoreFor(sql, dropped);
      const response = await inner.query(queryId, sql, onProgress);
      await kept.forget(dropped);
      return response;
    },
    async explain(sql) {
      await kept.restoreFor(sql);
      return inner.explain(sql);
    },
    tables: () => kept.tables(),
  };
}

/** The scope's kept tables, and which of them the engine has now. */
class KeptTables {
  store: SavedTableStore | null = null;
  /** Kept tables the engine has now, lower-cased (loaded or restored in this worker). */
  readonly #inEngine = new Set<string>();
  readonly #restoring = new Map<string, Promise<void>>();
  readonly #inner: DuckDbWorkerApi;

  constructor(inner: DuckDbWorkerApi) {
    this.#inner = inner;
  }

  /** Restores the kept tables `sql` names that the engine does not have (not those it only drops). */
  async restoreFor(sql: string, dropped: readonly string[] = []): Promise<void> {
    if (!this.store) return;
    const kept = await this.store.names().catch(() => [] as string[]);
    const named = tablesNamedIn(sql, kept).filter((t) => !this.#inEngine.has(t.toLowerCase()) && !dropped.includes(t.toLowerCase()));
    if (named.length === 0) return;
    const present = new Set((await this.#inner.tables()).map((t) => t.name.toLowerCase()));
    for (const table of named) {
      if (present.has(table.toLowerCase())) continue; // made in SQL this session: the engine's wins
      const saved = await this.store.get(table);
      if (saved) await this.#restore(saved);
    }
  }

  /** Reads a kept table back, once however many statements wait for it. */
  #restore(saved: SavedTable): Promise<void> {
    const key = saved.table.toLowerCase();
    let running = this.#restoring.get(key);
    if (!running) {
      running = (async () => {
        const source: DataSource = saved.source.kind === 'file' ? { kind: 'file', file: saved.source.file } : { kind: 'url', url: saved.source.url };
        try {
          await this.#inner.load(source, { table: saved.table, format: saved.format, keep: false });
          this.#inEngine.add(key);
        } catch (error) {
          throw new Error(
            `${saved.table} is a kept table, and it could not be read back from ${originOf(saved)}: ${(error as Error).message}. Load the file again, or drop the table to forget it.`,
          );
        } finally {
          this.#restoring.delete(key);
        }
      })();
      this.#restoring.set(key, running);
    }
    return running;
  }

  async keep(source: DataSource, loaded: LoadedTable): Promise<LoadedTable> {
    this.#inEngine.add(loaded.table.toLowerCase());
    if (!this.store) return { ...loaded, kept: false, keptError: 'no storage in this browser' };
    const saved: SavedTable = {
      table: loaded.table,
      source: savedSource(source, loaded),
      format: loaded.format,
      rows: loaded.rows,
      columns: loaded.columns,
      savedAt: Date.now(),
    };
    try {
      await this.store.save(saved);
      return { ...loaded, kept: true };
    } catch (error) {
      return { ...loaded, kept: false, keptError: (error as Error).message || String(error) };
    }
  }

  /** Forgets the kept tables a statement dropped. */
  async forget(dropped: readonly string[]): Promise<void> {
    if (dropped.length === 0 || !this.store) return;
    const kept = new Map((await this.store.names().catch(() => [] as string[])).map((n) => [n.toLowerCase(), n]));
    for (const table of dropped) {
      const name = kept.get(table);
      if (name !== undefined) await this.store.remove(name).catch(() => {});
      this.#inEngine.delete(table);
    }
  }

  /** The engine's tables, with the kept ones marked, and the kept ones it has not read back yet. */
  async tables(): Promise<TableInfo[]> {
    const tables = await this.#inner.tables();
    if (!this.store) return tables;
    const have = new Set(tables.map((t) => t.name.toLowerCase()));
    const saved = await this.store.list().catch(() => [] as SavedTable[]);
    const byName = new Map(saved.map((s) => [s.table.toLowerCase(), s]));
    return [
      ...tables.map((t) => {
        const s = byName.get(t.name.toLowerCase());
        return s ? { ...t, kept: { origin: originOf(s), restored: true } } : t;
      }),
      ...saved
        .filter((s) => !have.has(s.table.toLowerCase()))
        .map((s) => ({ name: s.table, columns: s.columns, kept: { origin: originOf(s), restored: false } })),
    ];
  }
}

/** What is stored to read a source again: a file's bytes or a URL's address; text and bytes become a file. */
function savedSource(source: DataSource, loaded: LoadedTable): SavedTable['source'] {
  switch (source.kind) {
    case 'file':
      return { kind: 'file', file: source.file };
    case 'url':
      return { kind: 'url', url: source.url };
    case 'text':
      return { kind: 'file', file: new File([source.text], source.name ?? `${loaded.table}.${loaded.format}`) };
    case 'bytes':
      return { kind: 'file', file: new File([source.bytes as Uint8Array<ArrayBuffer>], source.name) };
  }
}

function originOf(saved: SavedTable): string {
  return saved.source.kind === 'file' ? saved.source.file.name : saved.source.url;
}
