import type * as arrow from 'apache-arrow';
import type { DuckDbInstance } from './duckdb-instance';
import { extensionNeededBy, missingExtensionMessage } from './engine-errors';
import { quoteString } from './sql-quote';

const PROBE_TIMEOUT_MS = 4_000;

/**
 * DuckDB-WASM autoloads the json and parquet extensions by synchronous XHR the first time a query
 * needs them. Offline that fails inside the wasm, and in this build it can take the worker down
 * (measured: read_parquet offline ends in "table index is out of bounds", then the worker dies).
 * So before such a statement runs, the extension file is probed with a HEAD request; if it cannot be
 * reached the statement is refused with a message that says why, and DuckDB is never asked.
 */
export async function ensureExtensionReachable(db: DuckDbInstance, sql: string, query: (sql: string) => arrow.Table = (q) => db.conn.query(q)): Promise<void> {
  const needed = extensionNeededBy(sql);
  if (!needed) return;
  const loaded = query(`SELECT count(*) AS n FROM duckdb_extensions() WHERE extension_name = ${quoteString(needed)} AND loaded`);
  if (Number(loaded.getChildAt(0)?.get(0) ?? 0) > 0) return;
  const url = extensionUrl(db, needed, query);
  if (globalThis.navigator?.onLine === false) throw new Error(missingExtensionMessage(needed, 'the browser is offline', sql));
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new Error(missingExtensionMessage(needed, `${url} could not be reached: ${(error as Error).message}`, sql));
  }
}

function extensionUrl(db: DuckDbInstance, name: string, query: (sql: string) => arrow.Table): string {
  const setting = query("SELECT current_setting('custom_extension_repository') AS repo");
  const custom = String(setting.getChildAt(0)?.get(0) ?? '').replace(/\/+$/, '');
  const repository = custom || 'https://extensions.duckdb.org';
  return `${repository}/${db.version}/wasm_${db.bundle}/${name}.duckdb_extension.wasm`;
}
