import type { OperatorInfo, SemSQL, TableInfo } from '../../client';
import type { EditorSchema } from '../editor/sql-extensions';

export interface CatalogOptions {
  /** The open client, or null before it opens. */
  client: () => SemSQL | null;
  /** Where each fresh schema goes: the open editors, for highlighting and completion. */
  onSchema: (schema: EditorSchema) => void;
}

/** What the database holds (tables, semantic operators, row counts of what was loaded), read from the client. */
export class Catalog {
  tables = $state.raw<TableInfo[]>([]);
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

  /** What an editor opening now completes from. */
  get schema(): EditorSchema {
    return { tables: this.tables, operators: this.operators, uses: this.uses };
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
