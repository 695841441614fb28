import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { parquetColumns } from '../../../src/db/parquet-columns';
import { decodeFlatChunk, isFlatFast } from '../../../src/db/parquet-flat';

const dir = mkdtempSync(join(tmpdir(), 'semsql-flat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every flat column of every row group through the fast path, as values, beside hyparquet's reading of the same file. */
function fastAndReference(bytes: Uint8Array) {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const columns = parquetColumns(parquetSchema(metadata));
  const fast: Record<string, unknown[]> = {};
  for (const group of metadata.row_groups) {
    columns.forEach((column) => {
      const meta = group.columns.find((c) => c.meta_data?.path_in_schema.join('.') === column.name)?.meta_data;
      if (!meta || !column.flat || !isFlatFast(column.flat, 1, column.carrier, false)) return;
      const start = Math.min(meta.dictionary_page_offset ? Number(meta.dictionary_page_offset) : Infinity, Number(meta.data_page_offset));
      const data = decodeFlatChunk(
        bytes.subarray(start, start + Number(meta.total_compressed_size)),
        meta,
        column.flat,
        Number(group.num_rows),
        column.carrier,
      );
      const values = [...arrow.makeVector(data)].map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
      (fast[column.name] ??= []).push(...values);
    });
  }
  return { fast, buffer };
}

describe('decodeFlatChunk', () => {
  it("reads DuckDB's pages (v1, plain and dictionary, optional and required, several row groups) as hyparquet does", async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const path = join(dir, 'duck.parquet');
    await conn.run(`COPY (SELECT i::INTEGER AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 3 END AS big, i / 7 AS d, (i / 3)::FLOAT AS f,
      CASE WHEN i % 4 = 0 THEN NULL ELSE 'naïve ' || (i % 13) END AS dict_text, 'row ' || i || repeat('x', i % 50) AS plain_text,
      DATE '2020-01-01' + i::INTEGER AS day, {'a': i, 'b': [i]} AS nested, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS at, i / 2 AS never_null
      FROM range(5000) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const { fast, buffer } = fastAndReference(new Uint8Array(readFileSync(path)));
    const rows = await parquetReadObjects({ file: buffer, utf8: true });
    expect(Object.keys(fast)).toEqual(['id', 'big', 'd', 'f', 'dict_text', 'plain_text', 'day', 'at', 'never_null']);
    // A column with no null: DuckDB writes its definition levels as an empty block.
    expect(fast.never_null).toEqual(rows.map((r) => r.never_null));
    expect(fast.id).toEqual(rows.map((r) => r.id));
    expect(fast.big).toEqual(rows.map((r) => (r.big === null || r.big === undefined ? null : r.big)));
    expect(fast.d).toEqual(rows.map((r) => r.d));
    expect(fast.f).toEqual(rows.map((r) => r.f));
    expect(fast.dict_text).toEqual(rows.map((r) => r.dict_text ?? null));
    expect(fast.plain_text).toEqual(rows.map((r) => r.plain_text));
    // Arrow gives dates as epoch milliseconds, timestamps (µs here) as epoch milliseconds too.
    expect(fast.day).toEqual(rows.map((r) => (r.day as Date).getTime()));
    expect(fast.at).toEqual(rows.map((r) => (r.at as Date).getTime()));
  });

  it("reads another writer's pages (hyparquet-writer: its own page layout and encodings)", () => {
    const n = 3000;
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'n', data: Int32Array.from({ length: n }, (_, i) => i - 1500), type: 'INT32', nullable: false },
          { name: 'maybe', data: Array.from({ length: n }, (_, i) => (i % 3 ? BigInt(i) * 1_000_000_007n : null)), type: 'INT64' },
          { name: 's', data: Array.from({ length: n }, (_, i) => (i % 7 ? `é${i % 40}` : null)), type: 'STRING' },
        ],
        rowGroupSize: 1000,
      }),
    );
    const { fast } = fastAndReference(bytes);
    expect(fast.n).toEqual(Array.from({ length: n }, (_, i) => i - 1500));
    expect(fast.maybe).toEqual(Array.from({ length: n }, (_, i) => (i % 3 ? BigInt(i) * 1_000_000_007n : null)));
    expect(fast.s).toEqual(Array.from({ length: n }, (_, i) => (i % 7 ? `é${i % 40}` : null)));
  });
});
