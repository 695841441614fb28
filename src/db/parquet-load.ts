import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { LoadProgress } from '../protocol/data-source';
import { recordBatch, type Values } from './arrow-columns';
import { createTableWriter } from './arrow-insert';
import type { ByteSource } from './byte-source';
import type { DuckDbInstance } from './duckdb-instance';
import { parquetColumns, rawSchema, type ParquetColumn } from './parquet-columns';
import { uniqueNames } from './column-names';

/**
 * Loads a Parquet file row group by row group: each group's column chunks are read as byte ranges
 * of the source (a File's slices, a URL's range requests), decoded by hyparquet, built into Arrow
 * vectors (src/db/arrow-columns.ts) and appended to the table before the next group is read, so a
 * load holds about one row group in JavaScript beside the table DuckDB builds.
 */
export async function loadParquet(db: DuckDbInstance, source: ByteSource, table: string, onProgress?: (p: Omit<LoadProgress, 'table'>) => void): Promise<void> {
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: async (start, end) => {
      const bytes = await source.slice(start, end ?? source.size);
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
    },
  };
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { geoparquet: false });
  } catch (error) {
    throw new Error(`${source.name}: not a readable Parquet file (${(error as Error).message})`);
  }
  const columns = parquetColumns(parquetSchema(metadata));
  if (columns.length === 0) throw new Error(`${source.name}: no columns found`);
  const names = uniqueNames(columns.map((c) => c.name));
  const writer = createTableWriter(db, table, columns.map((c, i) => ({ name: names[i] as string, sqlType: c.sqlType })));
  const raw = rawSchema(metadata);
  const totalRows = Number(metadata.num_rows);
  let rowStart = 0;
  let bytesRead = 0;
  try {
    for (const group of metadata.row_groups) {
      const rows = Number(group.num_rows);
      const values = await readRowGroup(file, { raw, decoded: metadata }, columns, rowStart, rowStart + rows);
      writer.append(recordBatch(columns.map((c, i) => ({ name: names[i] as string, carrier: c.carrier, values: values[i] as Values }))));
      rowStart += rows;
      bytesRead += Number(group.total_compressed_size ?? group.total_byte_size);
      onProgress?.({ bytesRead: Math.min(bytesRead, source.size), bytesTotal: source.size, rows: rowStart, rowsTotal: totalRows });
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** One row group's columns, each as the carrier's values. */
async function readRowGroup(file: AsyncBuffer, metadata: { raw: FileMetaData; decoded: FileMetaData }, columns: ParquetColumn[], rowStart: number, rowEnd: number): Promise<Values[]> {
  const chunks = new Map<string, Values[]>();
  const read = async (wanted: ParquetColumn[], decoded: boolean) => {
    if (wanted.length === 0) return;
    await parquetRead({
      file,
      metadata: decoded ? metadata.decoded : metadata.raw,
      columns: wanted.map((c) => c.name),
      rowStart,
      rowEnd,
      geoparquet: false,
      // Raw reads: bytes stay bytes (strings are copied into Arrow as UTF-8), INT96 stays nanoseconds.
      ...(decoded ? {} : { utf8: false, parsers: { timestampFromNanoseconds: (nanos: bigint) => nanos } as never }),
      onChunk: ({ columnName, columnData }) => {
        const list = chunks.get(columnName) ?? [];
        list.push(columnData as Values);
        chunks.set(columnName, list);
      },
    });
  };
  await read(columns.filter((c) => !c.decoded), false);
  await read(columns.filter((c) => c.decoded), true);
  return columns.map((c) => c.convert(concatChunks(chunks.get(c.name) ?? [], rowEnd - rowStart)));
}

/** A column's pages as one array: typed arrays stay typed (a required numeric column is copied once). */
function concatChunks(chunks: Values[], rows: number): Values {
  if (chunks.length === 1) return chunks[0] as Values;
  if (chunks.length === 0) return new Array(rows).fill(null);
  const first = chunks[0] as Values;
  if (ArrayBuffer.isView(first) && chunks.every((c) => c.constructor === first.constructor)) {
    const Typed = first.constructor as new (n: number) => { set(a: ArrayLike<unknown>, at: number): void } & Values;
    const out = new Typed(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  const out: unknown[] = [];
  for (const c of chunks) for (let i = 0; i < c.length; i++) out.push(c[i]);
  return out;
}
