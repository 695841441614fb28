import * as duckdb from 'duckdb-wasm-blocking';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { DataFormat, DataSource, LoadedTable, LoadOptions } from '../protocol/data-source';
import { arrowToColumnar } from './arrow-result';
import { buildArrowTable, type ColumnInput } from './arrow-table';
import type { ColumnHint } from './column-inference';
import { rowsToColumns } from './column-inference';
import type { DuckDbInstance } from './duckdb-instance';
import { checkFetched, detectFormat, githubRawUrl, parseJsonRows } from './format-detect';
import { quoteIdent, quoteString } from './sql-quote';

/**
 * Loads a data source into a DuckDB table. CSV goes through DuckDB's own reader (built in);
 * Parquet and JSON go through JS readers into Arrow, because DuckDB-WASM's parquet and json
 * extensions are fetched from the network and are missing offline (docs/design.md, "Extensions").
 */
export async function loadData(db: DuckDbInstance, source: DataSource, options: LoadOptions): Promise<LoadedTable> {
  const name = sourceName(source);
  const bytes = source.kind === 'file' || source.kind === 'text' ? null : await sourceBytes(source);
  const head = source.kind === 'file' ? new Uint8Array(await source.file.slice(0, 256).arrayBuffer())
    : source.kind === 'text' ? new TextEncoder().encode(source.text.slice(0, 256))
    : (bytes as Uint8Array).subarray(0, 256);
  const format = options.format ?? detectFormat(name, head);
  const table = quoteIdent(options.table);

  if (format === 'csv') {
    const fileName = `semsql_${Date.now().toString(36)}_${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    if (source.kind === 'file') {
      // Registered, not copied: DuckDB reads the File through FileReaderSync as it scans.
      db.bindings.registerFileHandle(fileName, source.file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    } else if (source.kind === 'text') {
      db.bindings.registerFileText(fileName, source.text);
    } else {
      db.bindings.registerFileBuffer(fileName, bytes as Uint8Array);
    }
    try {
      db.conn.query(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv_auto(${quoteString(fileName)})`);
    } finally {
      db.bindings.dropFile(fileName);
    }
  } else {
    const data = bytes ?? (source.kind === 'file' ? new Uint8Array(await source.file.arrayBuffer()) : new TextEncoder().encode((source as { text: string }).text));
    const columns = format === 'parquet' ? await parquetColumns(data, name) : jsonColumns(data, format, name);
    if (columns.length === 0) throw new Error(`${name}: no columns found`);
    db.conn.query(`DROP TABLE IF EXISTS ${table}`);
    db.conn.insertArrowTable(buildArrowTable(columns), { name: options.table, create: true });
  }
  return describeTable(db, options.table, format);
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

function sourceName(source: DataSource): string {
  switch (source.kind) {
    case 'file':
      return source.file.name;
    case 'url':
      return source.url;
    case 'text':
      return source.name ?? 'text';
    case 'bytes':
      return source.name;
  }
}

async function sourceBytes(source: Extract<DataSource, { kind: 'url' | 'bytes' }>): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes;
  let response: Response;
  try {
    response = await fetch(source.url);
  } catch (error) {
    // GitHub's page links do not allow cross-origin reads either: say where the file itself is.
    const raw = githubRawUrl(source.url);
    if (raw) throw new Error(`${source.url} is GitHub's web page about the file, not the file. Use the raw file link instead: ${raw}`);
    throw new Error(`could not fetch ${source.url}: ${(error as Error).message} (offline, or the server does not allow cross-origin reads)`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkFetched({ url: source.url, status: response.status, statusText: response.statusText, contentType: response.headers.get('content-type'), head: bytes.subarray(0, 512) });
  return bytes;
}

function jsonColumns(data: Uint8Array, format: 'json' | 'ndjson', name: string): ColumnInput[] {
  const rows = parseJsonRows(new TextDecoder().decode(data), format, name);
  return rowsToColumns(rows);
}

async function parquetColumns(data: Uint8Array, name: string): Promise<ColumnInput[]> {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new Error(`${name}: not a readable Parquet file (${(error as Error).message})`);
  }
  const fields = parquetSchema(metadata).children;
  const rows = (await parquetReadObjects({ file: buffer, metadata })) as Record<string, unknown>[];
  return fields.map((field) => ({
    name: field.element.name,
    values: rows.map((row) => row[field.element.name]),
    hint: field.children.length > 0 ? 'varchar' : parquetHint(field.element),
  }));
}

function parquetHint(element: { type?: string; converted_type?: string; logical_type?: { type: string } }): ColumnHint {
  const logical = element.logical_type?.type ?? element.converted_type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || logical === 'TIMESTAMP_MILLIS' || logical === 'TIMESTAMP_MICROS') return 'timestamp';
  if (logical === 'STRING' || logical === 'UTF8' || logical === 'JSON' || logical === 'ENUM') return 'varchar';
  if (logical === 'DECIMAL') return 'double';
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
      return 'integer';
    case 'INT64':
      return 'bigint';
    case 'FLOAT':
    case 'DOUBLE':
      return 'double';
    default:
      return undefined;
  }
}
