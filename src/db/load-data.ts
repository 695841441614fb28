import * as duckdb from 'duckdb-wasm-blocking';
import type { DataFormat, DataSource, LoadedTable, LoadOptions, LoadProgress } from '../protocol/data-source';
import { arrowToColumnar } from './arrow-result';
import { openSource, type ByteSource } from './byte-source';
import type { DuckDbInstance } from './duckdb-instance';
import { detectFormat } from './format-detect';
import { loadJson } from './json-load';
import { loadParquet } from './parquet-load';
import { quoteIdent, quoteString } from './sql-quote';

/**
 * Loads a data source into a DuckDB table. CSV goes through DuckDB's own reader (built in);
 * Parquet and JSON are read in JavaScript and handed over as Arrow batches, because DuckDB-WASM's
 * parquet and json extensions are fetched from the network and are missing offline
 * (docs/design.md, "Extensions"). The format is told from the content (src/db/format-detect.ts).
 */
export async function loadData(db: DuckDbInstance, source: DataSource, options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<LoadedTable> {
  const bytes = await openSource(source);
  const format = options.format ?? detectFormat(bytes.name, bytes.head);
  const progress = onProgress && ((p: Omit<LoadProgress, 'table'>) => onProgress({ table: options.table, ...p }));
  let loaded: DataFormat = format;
  if (format === 'csv') await loadCsv(db, source, bytes, options.table);
  else if (format === 'parquet') await loadParquet(db, bytes, options.table, progress);
  else loaded = await loadJson(db, bytes, options.table, progress);
  return describeTable(db, options.table, loaded);
}

async function loadCsv(db: DuckDbInstance, source: DataSource, bytes: ByteSource, table: string): Promise<void> {
  const fileName = `semsql_${Date.now().toString(36)}_${bytes.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(-80)}`;
  if (source.kind === 'file') {
    // Registered, not copied: DuckDB reads the File through FileReaderSync as it scans.
    db.bindings.registerFileHandle(fileName, source.file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  } else if (source.kind === 'text') {
    db.bindings.registerFileText(fileName, source.text);
  } else {
    db.bindings.registerFileBuffer(fileName, await bytes.slice(0, bytes.size));
  }
  try {
    db.conn.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv_auto(${quoteString(fileName)})`);
  } finally {
    db.bindings.dropFile(fileName);
  }
}

export function describeTable(db: DuckDbInstance, table: string, format: DataFormat): LoadedTable {
  const count = arrowToColumnar(db.conn.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`));
  const schema = arrowToColumnar(db.conn.query(`DESCRIBE ${quoteIdent(table)}`));
  const names = schema.values[0] ?? [];
  const types = schema.values[1] ?? [];
  return {
    table,
    format,
    rows: Number(count.values[0]?.[0] ?? 0),
    columns: names.map((n, i) => ({ name: String(n), type: String(types[i]) })),
  };
}
