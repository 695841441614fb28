import type { LoadedTable, SavedTable, SavedTableStore, SemSQL } from '../../client';
import { errorText } from '../lib/error-text';
import { tablesNamedIn } from '../lib/sql-names';
import type { Catalog } from './catalog.svelte';
import type { Toasts } from './toasts.svelte';

export interface TableKeeperOptions {
  store: SavedTableStore;
  catalog: Catalog;
  toasts: Toasts;
  /** The client once it is open (restores wait for it). */
  whenOpen: () => Promise<SemSQL>;
}

/**
 * Keeps the tables the user loads from files and URLs across reloads (issue 18: loaded data used to
 * vanish on reload). Saved tables are listed at start, before the engine is up, so completion and
 * the schema browser know them at once; each is read back into DuckDB lazily, the first time a
 * query names it or the user opens it, so a start never pays for data nobody uses.
 */
export class TableKeeper {
  readonly #store: SavedTableStore;
  readonly #catalog: Catalog;
  readonly #toasts: Toasts;
  readonly #whenOpen: () => Promise<SemSQL>;
  #saved = new Map<string, SavedTable>();
  /** Tables the engine has (restored, or loaded this session). */
  readonly #inEngine = new Set<string>();
  readonly #restoring = new Map<string, Promise<void>>();
  #listed: Promise<void> = Promise.resolve();

  constructor(options: TableKeeperOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#toasts = options.toasts;
    this.#whenOpen = options.whenOpen;
  }

  /** Reads the saved tables' descriptions (not their data). */
  list(): Promise<void> {
    this.#listed = this.#store
      .list()
      .then((saved) => {
        this.#saved = new Map(saved.map((s) => [s.table, s]));
        this.#publish();
      })
      .catch(() => {
        // Without IndexedDB nothing was saved; loads still work for the session.
      });
    return this.#listed;
  }

  /** A table loaded from a file or URL this session: kept for the next visit. */
  async keep(source: SavedTable['source'], loaded: LoadedTable): Promise<void> {
    this.#inEngine.add(loaded.table);
    const saved: SavedTable = { table: loaded.table, source, format: loaded.format, rows: loaded.rows, columns: loaded.columns, savedAt: Date.now() };
    try {
      await this.#store.save(saved);
      this.#saved.set(saved.table, saved);
      this.#publish();
    } catch (e) {
      this.#toasts.show(`${loaded.table} is loaded for this session only: the browser would not store it (${errorText(e)}).`, 'info', 8000);
    }
  }

  /** Saved tables a query kept (`INTO name`): already in the engine, listed again from the store. */
  adopt(tables: readonly string[]): Promise<void> {
    for (const table of tables) this.#inEngine.add(table);
    return this.list();
  }

  /**
   * Restores the saved tables `sql` names that the engine does not have yet; null when there are
   * none (the query runner's prepare hook).
   */
  restoreFor(sql: string): Promise<void> | null {
    const wanted = tablesNamedIn(sql, [...this.#saved.keys()]).filter((t) => !this.#inEngine.has(t));
    return wanted.length === 0 ? null : Promise.all(wanted.map((t) => this.restore(t))).then(() => {});
  }

  /** Reads one saved table back into DuckDB (once, however many ask). */
  restore(table: string): Promise<void> {
    const saved = this.#saved.get(table);
    if (!saved || this.#inEngine.has(table)) return Promise.resolve();
    let running = this.#restoring.get(table);
    if (!running) {
      running = (async () => {
        try {
          const db = await this.#whenOpen();
          const input = saved.source.kind === 'file' ? saved.source.file : new URL(saved.source.url);
          const loaded = await db.load(input, { table, format: saved.format });
          this.#inEngine.add(table);
          this.#catalog.loaded(loaded);
          await this.#catalog.refresh();
        } catch (e) {
          this.#toasts.show(`Could not restore ${table} from ${originOf(saved)}: ${errorText(e)}. Remove it from the data panel, or load the file again.`, 'error', 10_000);
        } finally {
          this.#restoring.delete(table);
        }
      })();
      this.#restoring.set(table, running);
    }
    return running;
  }

  isSaved(table: string): boolean {
    return this.#saved.has(table);
  }

  /** Forgets a saved table and drops it from the engine. */
  async remove(table: string): Promise<void> {
    await this.#listed;
    await this.#store.remove(table).catch(() => {});
    this.#saved.delete(table);
    this.#inEngine.delete(table);
    this.#publish();
    const db = await this.#whenOpen();
    await db.query(`DROP TABLE IF EXISTS "${table.replace(/"/g, '""')}"`);
    await this.#catalog.refresh();
  }

  #publish(): void {
    this.#catalog.setSaved([...this.#saved.values()].map((s) => ({ name: s.table, columns: s.columns, rows: s.rows, origin: originOf(s) })));
  }
}

function originOf(saved: SavedTable): string {
  return saved.source.kind === 'file' ? saved.source.file.name : saved.source.url;
}
