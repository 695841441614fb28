import { savedTablesFor } from '../../storage/saved-tables';
import { records } from './json-values';
import type { StageRun } from './stage-run';

/**
 * `INTO name`: the table, now in DuckDB, is also kept as a saved table (src/storage/saved-tables.ts)
 * so the app lists it and reads it back after a reload, like a loaded file. It is stored as NDJSON,
 * which the loader reads without any DuckDB extension (src/db/load-data.ts). A browser that refuses
 * the bytes (quota, no IndexedDB) keeps the table for the session, with a warning.
 */
export async function keepSavedTable(run: StageRun, table: string, at: { start: number; end: number }): Promise<void> {
  const { columns, rows } = await run.read(`SELECT * FROM ${table}`, at);
  const lines = records(columns, rows).map((record) => JSON.stringify(record));
  const file = new File([lines.join('\n')], `${table}.ndjson`, { type: 'application/x-ndjson' });
  try {
    await savedTablesFor(run.deps.scope).save({
      table: table.replace(/"/g, ''),
      source: { kind: 'file', file },
      format: 'ndjson',
      rows: rows.length,
      columns,
      savedAt: Date.now(),
    });
  } catch (error) {
    run.deps.warn(`INTO ${table}: the table is here for this session, but the browser would not store it for the next visit (${(error as Error).message}).`);
  }
}
