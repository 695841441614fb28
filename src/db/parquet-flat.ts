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
  const sink = new FlatSink(rows, width, Number(meta.total_uncompressed_size));
  let dictionary: Dictionary | null = null;
  const reader: Reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  while (sink.row < rows) {
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
    const page = dataPage(header, body, meta, optional);
    if (page.encoding === 'PLAIN') sink.plain(page);
    else if (page.encoding === 'PLAIN_DICTIONARY' || page.encoding === 'RLE_DICTIONARY') {
      if (!dictionary) throw new Unsupported('dictionary page missing');
      sink.dictionary(page, dictionary);
    } else {
      throw new Unsupported(`encoding ${page.encoding}`);
    }
  }
  return sink.data(carrier);
}

type Dictionary = { fixed: Uint8Array } | { offsets: Int32Array; bytes: Uint8Array };

/** A data page's definition levels (null when every value is present), values, encoding and count. */
interface DataPage {
  defs: Uint8Array | null;
  values: Uint8Array;
  encoding: string;
  count: number;
}

function dataPage(header: ReturnType<typeof parquetHeader>, body: Uint8Array, meta: ColumnMetaData, optional: boolean): DataPage {
  if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const dp = header.data_page_header;
    const page = decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
    const r: Reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    let defs: Uint8Array | null = null;
    if (optional) {
      if (dp.definition_level_encoding !== 'RLE') throw new Unsupported(`definition levels in ${dp.definition_level_encoding}`);
      const length = r.view.getUint32(0, true);
      r.offset = 4;
      // DuckDB writes an empty block when no value is null.
      if (length > 0) {
        defs = new Uint8Array(dp.num_values);
        readRleBitPackedHybrid(r, 1, defs, length);
      }
      r.offset = 4 + length;
    }
    return { defs, values: page.subarray(r.offset), encoding: dp.encoding, count: dp.num_values };
  }
  if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
    const dp = header.data_page_header_v2;
    const levels = dp.definition_levels_byte_length + dp.repetition_levels_byte_length;
    let defs: Uint8Array | null = null;
    if (optional && dp.definition_levels_byte_length > 0) {
      defs = new Uint8Array(dp.num_values);
      readRleBitPackedHybrid(
        { view: new DataView(body.buffer, body.byteOffset + dp.repetition_levels_byte_length, dp.definition_levels_byte_length), offset: 0 },
        1,
        defs,
        dp.definition_levels_byte_length,
      );
    }
    const rest = body.subarray(levels);
    const values = dp.is_compressed === false ? rest : decompressPage(rest, header.uncompressed_page_size - levels, meta.codec, undefined);
    return { defs, values, encoding: dp.encoding, count: dp.num_values };
  }
  throw new Unsupported(`page type ${header.type}`);
}

/** The column's Arrow buffers as pages are written into them: fixed-width values, or offsets and bytes. */
class FlatSink {
  row = 0;
  readonly #rows: number;
  readonly #width: number;
  readonly #out: Uint8Array | null;
  readonly #offsets: Int32Array | null;
  #bytes: Uint8Array | null;
  #used = 0;
  readonly #bitmap: Uint8Array;
  #nullCount = 0;

  constructor(rows: number, width: number, byteEstimate: number) {
    this.#rows = rows;
    this.#width = width;
    this.#out = width ? new Uint8Array(rows * width) : null;
    this.#offsets = width ? null : new Int32Array(rows + 1);
    this.#bytes = width ? null : new Uint8Array(Math.max(64, byteEstimate));
    this.#bitmap = new Uint8Array((rows + 7) >> 3);
  }

  plain({ defs, values, count }: DataPage): void {
    const out = this.#out;
    const width = this.#width;
    if (out && !defs) {
      out.set(values.subarray(0, count * width), this.row * width);
      this.row += count;
    } else if (out) this.#place(defs, count, (k, at) => copy(values, k * width, out, at * width, width));
    else {
      const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
      let at = 0;
      this.#place(defs, count, () => {
        const length = view.getUint32(at, true);
        this.#append(values, at + 4, length);
        at += 4 + length;
      });
    }
  }

  dictionary({ defs, values, count }: DataPage, dict: Dictionary): void {
    const present = defs ? defs.reduce((n, d) => n + d, 0) : count;
    const indices = new Int32Array(present);
    readRleBitPackedHybrid(
      { view: new DataView(values.buffer, values.byteOffset + 1, values.byteLength - 1), offset: 0 },
      values[0] as number,
      indices,
      values.byteLength - 1,
    );
    const out = this.#out;
    const width = this.#width;
    if (out && 'fixed' in dict) this.#place(defs, count, (k, at) => copy(dict.fixed, (indices[k] as number) * width, out, at * width, width));
    else if ('offsets' in dict)
      this.#place(defs, count, (k) => {
        const d = indices[k] as number;
        this.#append(dict.bytes, dict.offsets[d] as number, (dict.offsets[d + 1] as number) - (dict.offsets[d] as number));
      });
  }

  /** Writes the page's values to rows [row, row + count); `take(k, at)` copies value k of the page to row `at`. */
  #place(defs: Uint8Array | null, count: number, take: (k: number, at: number) => void): void {
    const offsets = this.#offsets;
    let k = 0;
    for (let i = 0; i < count; i++, this.row++) {
      const row = this.row;
      if (defs && defs[i] === 0) {
        this.#nullCount++;
        if (offsets) offsets[row + 1] = this.#used;
        continue;
      }
      this.#bitmap[row >> 3] = (this.#bitmap[row >> 3] as number) | (1 << (row & 7));
      take(k++, row);
      if (offsets) offsets[row + 1] = this.#used;
    }
  }

  #append(src: Uint8Array, from: number, length: number): void {
    let bytes = this.#bytes;
    if (!bytes) return;
    const used = this.#used;
    if (used + length > bytes.length) {
      const next = new Uint8Array(Math.max(used + length, bytes.length * 2));
      next.set(bytes.subarray(0, used));
      bytes = this.#bytes = next;
    }
    if (length > 32) bytes.set(src.subarray(from, from + length), used);
    else for (let j = 0; j < length; j++) bytes[used + j] = src[from + j] as number;
    this.#used = used + length;
  }

  data(carrier: Carrier): arrow.Data {
    const rows = this.#rows;
    const type = arrowType(carrier);
    const nullCount = this.#nullCount;
    const nullBitmap = nullCount > 0 ? this.#bitmap : undefined;
    if (this.#offsets)
      return arrow.makeData({
        type: type as arrow.Utf8,
        length: rows,
        nullCount,
        nullBitmap,
        valueOffsets: this.#offsets,
        data: (this.#bytes as Uint8Array).subarray(0, this.#used),
      });
    const data = typedView(carrier, this.#out as Uint8Array, rows);
    return arrow.makeData({ type: type as arrow.Int, length: rows, nullCount, nullBitmap, data: data as Int32Array });
  }
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
