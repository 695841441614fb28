import type { OperatorInfo, SemSQL, TableInfo } from '../../client';
import type { EditorSchema } from '../editor/sql-extensions';

export interface CatalogOptions {
  /** The open client, or null before it opens. */
  client: () => SemSQL | null;
  /** Where each fresh schema goes: the open editors, for highlighting and completion. */
  onSchema: (schema: EditorSchema) => void;
}

/** A table kept across reloads (a loaded file or URL), as the catalog knows it before and after it is restored. */
export interface SavedTableInfo {
  name: string;
  columns: { name: string; type: string }[];
  rows: number;
  /** Where it came from, in words: the file name or the URL. */
  origin: string;
}

/**
 * What the database holds (tables, semantic operators, row counts of what was loaded), read from the
 * client, and the saved tables that come back after a reload (known before the engine has them).
 */
export class Catalog {
  tables = $state.raw<TableInfo[]>([]);
  /** Tables kept across reloads; those the engine does not have yet are restored when first used. */
  saved = $state.raw<SavedTableInfo[]>([]);
  operators = $state.raw<OperatorInfo[]>([]);
  /** Rows of each table loaded this session: the engine's table list does not count them. */
  tableRows = $state.raw<Record<string, number>>({});
  /** How often the user wrote each word in past queries: completion ranks keywords by it. */
  uses = $state.raw<ReadonlyMap<string, number>>(new Map());

  readonly #client: () => SemSQL | null;
  readonly #onSchema: (schema: EditorSchema) => void;

  constructor(options: CatalogOptions) {
    this.#client = options.client;
    this.#onSchema = options.onSchema;
  }

  /** The engine's tables and the saved ones not restored yet: what completion and the schema browser list. */
  get allTables(): TableInfo[] {
    const have = new Set(this.tables.map((t) => t.name));
    return [...this.tables, ...this.saved.filter((s) => !have.has(s.name)).map((s) => ({ name: s.name, columns: s.columns }))];
  }

  /** Whether `name` is saved and not in the engine yet (restored when a query uses it). */
  isPending(name: string): boolean {
    return this.saved.some((s) => s.name === name) && !this.tables.some((t) => t.name === name);
  }

  /** What an editor opening now completes from. */
  get schema(): EditorSchema {
    return { tables: this.allTables, operators: this.operators, uses: this.uses };
  }

  /** The saved tables changed (read at start, a file saved or removed). */
  setSaved(saved: SavedTableInfo[]): void {
    this.saved = saved;
    this.tableRows = { ...Object.fromEntries(saved.map((s) => [s.name, s.rows])), ...this.tableRows };
    this.#onSchema(this.schema);
  }

  /** Re-reads tables and operators (after a load, DDL, CREATE SEMANTIC FUNCTION or an engine restart). */
  async refresh(): Promise<void> {
    const client = this.#client();
    if (!client) return;
    const [tables, operators] = await Promise.all([client.tables(), client.operators()]);
    this.tables = tables;
    this.operators = operators;
    this.#onSchema(this.schema);
  }

  /** New word counts (the history changed): the editors rank completions by them. */
  setUses(uses: ReadonlyMap<string, number>): void {
    this.uses = uses;
    this.#onSchema(this.schema);
  }

  /** A table was loaded: keeps its row count (the table itself shows up at the next refresh). */
  loaded(loaded: { table: string; rows: number }): void {
    this.tableRows = { ...this.tableRows, [loaded.table]: loaded.rows };
  }
}
