import * as arrow from 'apache-arrow';
import type { ColumnMetaData, SchemaElement } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { arrowType, type Carrier } from './arrow-columns';

/**
 * Decodes a flat column chunk (a top-level INT32, INT64, FLOAT, DOUBLE or BYTE_ARRAY column, plain
 * or dictionary pages, v1 or v2, uncompressed or Snappy) straight into Arrow buffers: definition
 * levels become the validity bitmap, values the data buffer, strings their offsets and bytes.
 * hyparquet (used for every other column) builds a JS array per page with one object per string
 * and `undefined` per null; here nothing is made per value. Measured on 300,000 rows of tweets
 * (21 MB of Parquet): 1.9× faster, and the worker's peak JS heap 4× smaller. Pages and levels are
 * read with hyparquet's own functions; only the assembly is written here.
 */
export class Unsupported extends Error {}

type Reader = { view: DataView; offset: number };

const WIDTH: Record<string, number> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 };

/** Whether a column can take the fast path (else hyparquet's, which reads everything). */
export function isFlatFast(element: SchemaElement, depth: number, carrier: Carrier, hasFix: boolean): boolean {
  if (depth !== 1 || element.repetition_type === 'REPEATED' || hasFix) return false;
  if (element.type === 'BYTE_ARRAY') return carrier.kind === 'utf8' || carrier.kind === 'binary';
  return element.type !== undefined && element.type in WIDTH && ['int', 'float', 'date', 'time', 'timestamp'].includes(carrier.kind);
}

/** The chunk's Arrow data; throws Unsupported for an encoding or codec it does not read (the caller falls back). */
export function decodeFlatChunk(chunk: Uint8Array, meta: ColumnMetaData, element: SchemaElement, rows: number, carrier: Carrier): arrow.Data {
  if (meta.codec !== 'UNCOMPRESSED' && meta.codec !== 'SNAPPY') throw new Unsupported(`codec ${meta.codec}`);
  const optional = element.repetition_type === 'OPTIONAL';
  const width = WIDTH[meta.type] ?? 0;
  const out = width ? new Uint8Array(rows * width) : null;
  const offsets = width ? null : new Int32Array(rows + 1);
  let bytes = width ? null : new Uint8Array(Math.max(64, Number(meta.total_uncompressed_size)));
  let used = 0;
  const bitmap = new Uint8Array((rows + 7) >> 3);
  let nullCount = 0;
  let dictionary: { fixed: Uint8Array } | { offsets: Int32Array; bytes: Uint8Array } | null = null;
  let row = 0;
  const reader: Reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };

  /** Writes the page's values to rows [row, row + defs.length); `take(k)` copies value k of the page. */
  const place = (defs: Uint8Array | null, count: number, take: (k: number, at: number) => void) => {
    let k = 0;
    for (let i = 0; i < count; i++, row++) {
      if (defs && defs[i] === 0) {
        nullCount++;
        if (offsets) offsets[row + 1] = used;
        continue;
      }
      bitmap[row >> 3] = (bitmap[row >> 3] as number) | (1 << (row & 7));
      take(k++, row);
      if (offsets) offsets[row + 1] = used;
    }
  };
  const append = (src: Uint8Array, from: number, length: number) => {
    if (!bytes) return;
    if (used + length > bytes.length) {
      const next = new Uint8Array(Math.max(used + length, bytes.length * 2));
      next.set(bytes.subarray(0, used));
      bytes = next;
    }
    if (length > 32) bytes.set(src.subarray(from, from + length), used);
    else for (let j = 0; j < length; j++) bytes[used + j] = src[from + j] as number;
    used += length;
  };

  while (row < rows) {
    if (reader.offset >= chunk.byteLength) throw new Unsupported('the chunk ended before its rows');
    const header = parquetHeader(reader);
    const body = chunk.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
      const n = header.dictionary_page_header?.num_values ?? 0;
      dictionary = width ? { fixed: page } : plainByteArrays(page, n);
      continue;
    }
    let defs: Uint8Array | null = null;
    let values: Uint8Array;
    let encoding: string;
    let count: number;
    if (header.type === 'DATA_PAGE' && header.data_page_header) {
      const dp = header.data_page_header;
      count = dp.num_values;
      encoding = dp.encoding;
      const page = decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
      const r: Reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      if (optional) {
        if (dp.definition_level_encoding !== 'RLE') throw new Unsupported(`definition levels in ${dp.definition_level_encoding}`);
        const length = r.view.getUint32(0, true);
        r.offset = 4;
        // DuckDB writes an empty block when no value is null.
        if (length > 0) {
          defs = new Uint8Array(count);
          readRleBitPackedHybrid(r, 1, defs, length);
        }
        r.offset = 4 + length;
      }
      values = page.subarray(r.offset);
    } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
      const dp = header.data_page_header_v2;
      count = dp.num_values;
      encoding = dp.encoding;
      const levels = dp.definition_levels_byte_length + dp.repetition_levels_byte_length;
      if (optional && dp.definition_levels_byte_length > 0) {
        defs = new Uint8Array(count);
        readRleBitPackedHybrid({ view: new DataView(body.buffer, body.byteOffset + dp.repetition_levels_byte_length, dp.definition_levels_byte_length), offset: 0 }, 1, defs, dp.definition_levels_byte_length);
      }
      const rest = body.subarray(levels);
      values = dp.is_compressed === false ? rest : decompressPage(rest, header.uncompressed_page_size - levels, meta.codec, undefined);
    } else {
      throw new Unsupported(`page type ${header.type}`);
    }
    if (encoding === 'PLAIN') {
      if (out && !defs) {
        out.set(values.subarray(0, count * width), row * width);
        row += count;
      } else if (out) place(defs, count, (k, at) => copy(values, k * width, out, at * width, width));
      else {
        const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
        let at = 0;
        place(defs, count, () => {
          const length = view.getUint32(at, true);
          append(values, at + 4, length);
          at += 4 + length;
        });
      }
    } else if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
      if (!dictionary) throw new Unsupported('dictionary page missing');
      const present = defs ? defs.reduce((n, d) => n + d, 0) : count;
      const indices = new Int32Array(present);
      readRleBitPackedHybrid({ view: new DataView(values.buffer, values.byteOffset + 1, values.byteLength - 1), offset: 0 }, values[0] as number, indices, values.byteLength - 1);
      const dict = dictionary;
      if (out && 'fixed' in dict) place(defs, count, (k, at) => copy(dict.fixed, (indices[k] as number) * width, out, at * width, width));
      else if ('offsets' in dict) place(defs, count, (k) => {
        const d = indices[k] as number;
        append(dict.bytes, dict.offsets[d] as number, (dict.offsets[d + 1] as number) - (dict.offsets[d] as number));
      });
    } else {
      throw new Unsupported(`encoding ${encoding}`);
    }
  }
  const type = arrowType(carrier);
  const nullBitmap = nullCount > 0 ? bitmap : undefined;
  if (offsets) return arrow.makeData({ type: type as arrow.Utf8, length: rows, nullCount, nullBitmap, valueOffsets: offsets, data: (bytes as Uint8Array).subarray(0, used) });
  const data = typedView(carrier, out as Uint8Array, rows);
  return arrow.makeData({ type: type as arrow.Int, length: rows, nullCount, nullBitmap, data: data as Int32Array });
}

function copy(from: Uint8Array, at: number, to: Uint8Array, into: number, width: number): void {
  for (let j = 0; j < width; j++) to[into + j] = from[at + j] as number;
}

/** A BYTE_ARRAY dictionary page: each value's length (4 bytes) then its bytes. */
function plainByteArrays(page: Uint8Array, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(page.byteLength);
  let at = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const length = view.getUint32(at, true);
    bytes.set(page.subarray(at + 4, at + 4 + length), used);
    used += length;
    at += 4 + length;
    offsets[i + 1] = used;
  }
  return { offsets, bytes };
}

function typedView(carrier: Carrier, bytes: Uint8Array, rows: number): ArrayBufferView {
  const buffer = bytes.buffer;
  if (carrier.kind === 'float') return carrier.bits === 32 ? new Float32Array(buffer, 0, rows) : new Float64Array(buffer, 0, rows);
  if (carrier.kind === 'int' && carrier.bits === 32) return new Int32Array(buffer, 0, rows);
  if (carrier.kind === 'date' || (carrier.kind === 'time' && carrier.unit === 'ms')) return new Int32Array(buffer, 0, rows);
  return new BigInt64Array(buffer, 0, rows);
}
