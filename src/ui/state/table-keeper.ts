import type { LoadedTable, SavedTable, SavedTableStore, SemSQL } from '../../client';
import { tablesNamedIn } from '../../sql';
import { errorText } from '../lib/error-text';
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
 * The workbench's view of the kept tables (issue 18: loaded data used to vanish on reload). The
 * engine keeps and restores them for every entry point (src/engine/kept-tables.ts); this lists them
 * at start, before the engine is up, so completion and the schema browser know them at once, and
 * has the engine read one back when the user opens it or a query names it, so the catalog shows it.
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

  /** A table loaded this session: the engine kept it (or says why it could not). */
  async kept(loaded: LoadedTable): Promise<void> {
    this.#inEngine.add(loaded.table);
    if (loaded.kept === false)
      this.#toasts.show(`${loaded.table} is loaded for this session only: the browser would not store it (${loaded.keptError ?? 'no storage'}).`, 'info', 8000);
    await this.list();
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

  /** Has the engine read one saved table back (once, however many ask). */
  restore(table: string): Promise<void> {
    const saved = this.#saved.get(table);
    if (!saved || this.#inEngine.has(table)) return Promise.resolve();
    let running = this.#restoring.get(table);
    if (!running) {
      running = (async () => {
        try {
          const db = await this.#whenOpen();
          // Naming the table is what restores it, whoever runs the query.
          await db.query(`SELECT * FROM ${quoted(table)} LIMIT 0`);
          this.#inEngine.add(table);
          this.#catalog.loaded({ table, rows: saved.rows });
          await this.#catalog.refresh();
        } catch (e) {
          this.#toasts.show(`Could not restore ${table}: ${errorText(e)}`, 'error', 10_000);
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

  /** Drops a table; the engine forgets a kept one, so it does not come back after a reload. */
  async remove(table: string): Promise<void> {
    await this.#listed;
    const db = await this.#whenOpen();
    await db.query(`DROP TABLE IF EXISTS ${quoted(table)}`);
    this.#saved.delete(table);
    this.#inEngine.delete(table);
    this.#publish();
    await this.#catalog.refresh();
  }

  #publish(): void {
    this.#catalog.setSaved([...this.#saved.values()].map((s) => ({ name: s.table, columns: s.columns, rows: s.rows, origin: originOf(s) })));
  }
}

function quoted(table: string): string {
  return `"${table.replace(/"/g, '""')}"`;
}

function originOf(saved: SavedTable): string {
  return saved.source.kind === 'file' ? saved.source.file.name : saved.source.url;
}
