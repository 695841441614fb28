import type * as arrow from 'apache-arrow';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type ColumnMetaData, type FileMetaData } from 'hyparquet';
import type { LoadProgress } from '../protocol/data-source';
import { recordBatch, type Values } from './arrow-columns';
import { createTableWriter } from './arrow-insert';
import type { ByteSource } from './byte-source';
import type { DuckDbInstance } from './duckdb-instance';
import { parquetColumns, rawSchema, type ParquetColumn } from './parquet-columns';
import { decodeFlatChunk, isFlatFast, Unsupported } from './parquet-flat';
import { uniqueNames } from './column-names';

/**
 * Loads a Parquet file row group by row group: each group's column chunks are read as byte ranges
 * of the source (a File's slices, a URL's range requests), decoded by hyparquet, built into Arrow
 * vectors (src/db/arrow-columns.ts) and appended to the table before the next group is read, so a
 * load holds about one row group in JavaScript beside the table DuckDB builds. Not less: DuckDB
 * writes one page per column chunk, and a page is decoded whole (measured: decoding a 122,880-row
 * group in four slices of rows decoded each page four times and saved no memory).
 */
export async function loadParquet(db: DuckDbInstance, source: ByteSource, table: string, onProgress?: (p: Omit<LoadProgress, 'table'>) => void): Promise<void> {
  // A column chunk's bytes are read once per group, however hyparquet asks for them.
  let held = new Map<string, Promise<ArrayBuffer>>();
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: (start, end = source.size) => {
      const key = `${start}:${end}`;
      let bytes = held.get(key);
      if (!bytes) {
        bytes = source
          .slice(start, end)
          .then((b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : (b.slice().buffer as ArrayBuffer)));
        held.set(key, bytes);
      }
      return bytes;
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
  const writer = createTableWriter(
    db,
    table,
    columns.map((c, i) => ({ name: names[i] as string, sqlType: c.sqlType })),
  );
  const raw = rawSchema(metadata);
  const totalRows = Number(metadata.num_rows);
  let groupStart = 0;
  let bytesRead = 0;
  try {
    for (const group of metadata.row_groups) {
      const rows = Number(group.num_rows);
      held = new Map();
      // Flat columns are decoded straight into Arrow (src/db/parquet-flat.ts); the rest by hyparquet.
      // A group lists leaf chunks (a nested column has several): a flat column's is the one at its own path.
      const fast = await Promise.all(
        columns.map((c) =>
          fastColumn(
            file,
            c,
            group.columns.find((chunk) => chunk.meta_data?.path_in_schema.length === 1 && chunk.meta_data.path_in_schema[0] === c.name)?.meta_data,
            rows,
          ),
        ),
      );
      const values = await readRows(
        file,
        { raw, decoded: metadata },
        columns.filter((_, i) => !fast[i]),
        groupStart,
        groupStart + rows,
      );
      let slow = 0;
      writer.append(
        recordBatch(
          columns.map((c, i) => ({ name: names[i] as string, carrier: c.carrier, ...(fast[i] ? { data: fast[i] } : { values: values[slow++] as Values }) })),
        ),
      );
      groupStart += rows;
      bytesRead += Number(group.total_compressed_size ?? group.total_byte_size);
      onProgress?.({ bytesRead: Math.min(source.size, bytesRead), bytesTotal: source.size, rows: groupStart, rowsTotal: totalRows });
    }
    held = new Map();
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** A flat column's chunk decoded into Arrow, or null when it takes hyparquet's path. */
async function fastColumn(file: AsyncBuffer, column: ParquetColumn, meta: ColumnMetaData | undefined, rows: number): Promise<arrow.Data | null> {
  if (!meta || !column.flat || !isFlatFast(column.flat, 1, column.carrier, false)) return null;
  const dictionary = meta.dictionary_page_offset !== undefined && meta.dictionary_page_offset > 0n ? Number(meta.dictionary_page_offset) : Infinity;
  const start = Math.min(dictionary, Number(meta.data_page_offset));
  try {
    const chunk = new Uint8Array(await file.slice(start, start + Number(meta.total_compressed_size)));
    return decodeFlatChunk(chunk, meta, column.flat, rows, column.carrier);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/** Rows [rowStart, rowEnd) of one row group, each column as the carrier's values. */
async function readRows(
  file: AsyncBuffer,
  metadata: { raw: FileMetaData; decoded: FileMetaData },
  columns: ParquetColumn[],
  rowStart: number,
  rowEnd: number,
): Promise<Values[]> {
  const chunks = new Map<string, { data: Values; rowStart: number }[]>();
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
      onChunk: ({ columnName, columnData, rowStart: at }) => {
        const list = chunks.get(columnName) ?? [];
        list.push({ data: columnData as Values, rowStart: at });
        chunks.set(columnName, list);
      },
    });
  };
  await read(
    columns.filter((c) => !c.decoded),
    false,
  );
  await read(
    columns.filter((c) => c.decoded),
    true,
  );
  return columns.map((c) => c.convert(rowsOf(chunks.get(c.name) ?? [], rowStart, rowEnd)));
}

type Sliceable = Values & { subarray?(start: number, end: number): Values; slice(start: number, end: number): Values };

/**
 * Rows [from, to) of a column from its chunks (hyparquet's pages, which may start before `from` and
 * end after `to`). A single chunk is cut without copying typed arrays (a required numeric column).
 */
function rowsOf(chunks: { data: Values; rowStart: number }[], from: number, to: number): Values {
  const cut = (c: { data: Values; rowStart: number }, a: number, b: number) => {
    const data = c.data as Sliceable;
    return data.subarray ? data.subarray(a - c.rowStart, b - c.rowStart) : data.slice(a - c.rowStart, b - c.rowStart);
  };
  const inside = chunks.filter((c) => c.rowStart < to && c.rowStart + c.data.length > from);
  if (inside.length === 1) {
    const only = inside[0] as { data: Values; rowStart: number };
    if (only.rowStart <= from && only.rowStart + only.data.length >= to) return cut(only, from, to);
  }
  const out = new Array<unknown>(to - from).fill(null);
  for (const c of inside) {
    const a = Math.max(from, c.rowStart);
    const b = Math.min(to, c.rowStart + c.data.length);
    for (let r = a; r < b; r++) out[r - from] = c.data[r - c.rowStart];
  }
  return out;
}
