import { readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';

/**
 * DuckDB itself (the native build of the same version as the app's DuckDB-WASM, 1.4.3), for what
 * the browser tests compare with: DuckDB-WASM has no parquet or json extension offline, so "what
 * DuckDB's own reader gives" is read here, from the same file, by the real readers.
 */
export interface NativeDuckDb {
  run(sql: string): Promise<void>;
  /** Column names and SQL types, as DESCRIBE gives them. */
  describe(from: string): Promise<[string, string][]>;
  /** Every value as DuckDB's own text (`::VARCHAR`), SQL NULL as null, in `orderBy` order. */
  text(from: string, orderBy: string): Promise<(string | null)[][]>;
  close(): void;
}

export async function nativeDuckDb(): Promise<NativeDuckDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRows();
  return {
    run: async (sql) => void (await conn.run(sql)),
    describe: async (from) => (await rows(`DESCRIBE SELECT * FROM ${from}`)).map((r) => [String(r[0]), String(r[1])]),
    text: async (from, orderBy) =>
      (await rows(`SELECT COLUMNS(*)::VARCHAR FROM ${from} ORDER BY ${orderBy}`)).map((r) => r.map((v) => (v === null ? null : String(v)))),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Rewrites the footer of a Parquet file so that a FIXED_LEN_BYTE_ARRAY(12) column (DuckDB writes
 * INTERVAL so) becomes INT96, the deprecated timestamp type DuckDB no longer writes: the pages stay
 * as they are (twelve plain bytes per value either way), only the column's declared type changes.
 */
export function retypeAsInt96(path: string, column: string): void {
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(buffer);
  for (const element of metadata.schema) {
    if (element.name !== column) continue;
    element.type = 'INT96';
    delete element.type_length;
    delete element.converted_type;
    delete element.logical_type;
  }
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      if (chunk.meta_data?.path_in_schema[0] !== column) continue;
      chunk.meta_data.type = 'INT96';
      delete chunk.meta_data.statistics;
    }
  }
  const footerLength = bytes.readUInt32LE(bytes.byteLength - 8);
  const body = bytes.subarray(0, bytes.byteLength - 8 - footerLength);
  const writer = new ByteWriter();
  writeMetadata(writer, metadata);
  const footer = new Uint8Array(writer.getBuffer());
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(footer.byteLength, 0);
  tail.write('PAR1', 4, 'latin1');
  writeFileSync(path, Buffer.concat([body, footer, tail]));
}
