import * as arrow from 'apache-arrow';

/**
 * How a column's values travel to DuckDB: an Arrow type that carries them exactly. The table is
 * created with the column's own SQL type first (src/db/arrow-insert.ts), and DuckDB casts each
 * carrier to it on insert, so a UUID may travel as text and a TINYINT as a 32-bit integer.
 *
 * Built by hand rather than with apache-arrow's `vectorFromArray`: its builders take one JS value
 * at a time through a type dispatch, and cannot take a string's UTF-8 bytes as they come from a
 * Parquet page. Measured on 300,000 rows of ~250-byte strings: building the Utf8 vector from the
 * page's bytes is about 4× faster than decoding them to strings and building from those.
 */
export type Carrier =
  | { kind: 'int'; bits: 8 | 16 | 32 | 64; signed: boolean }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'bool' }
  | { kind: 'utf8' }
  | { kind: 'binary' }
  /** Days since 1970-01-01. */
  | { kind: 'date' }
  | { kind: 'time'; unit: TimeUnit }
  | { kind: 'timestamp'; unit: TimeUnit; utc: boolean }
  /** Values are the unscaled integers (bigint). */
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'list'; child: Carrier }
  | { kind: 'struct'; fields: { name: string; carrier: Carrier }[] }
  /** Values are arrays of [key, value] pairs. */
  | { kind: 'map'; key: Carrier; value: Carrier };

export type TimeUnit = 'ms' | 'us' | 'ns';

const UNITS = { ms: arrow.TimeUnit.MILLISECOND, us: arrow.TimeUnit.MICROSECOND, ns: arrow.TimeUnit.NANOSECOND } as const;

export function arrowType(carrier: Carrier): arrow.DataType {
  switch (carrier.kind) {
    case 'int':
      return new arrow.Int(carrier.signed, carrier.bits);
    case 'float':
      return carrier.bits === 32 ? new arrow.Float32() : new arrow.Float64();
    case 'bool':
      return new arrow.Bool();
    case 'utf8':
      return new arrow.Utf8();
    case 'binary':
      return new arrow.Binary();
    case 'date':
      return new arrow.DateDay();
    case 'time':
      return new arrow.Time(UNITS[carrier.unit], carrier.unit === 'ms' ? 32 : 64);
    case 'timestamp':
      return new arrow.Timestamp(UNITS[carrier.unit], carrier.utc ? 'UTC' : null);
    case 'decimal':
      return new arrow.Decimal(carrier.scale, carrier.precision, 128);
    case 'list':
      return new arrow.List(new arrow.Field('item', arrowType(carrier.child), true));
    case 'struct':
      return new arrow.Struct(carrier.fields.map((f) => new arrow.Field(f.name, arrowType(f.carrier), true)));
    case 'map':
      return new arrow.Map_(
        new arrow.Field(
          'entries',
          new arrow.Struct([new arrow.Field('key', arrowType(carrier.key), false), new arrow.Field('value', arrowType(carrier.value), true)]),
          false,
        ) as never,
      );
  }
}

/** Values as the builders take them: null or undefined for SQL NULL. */
export type Values = ArrayLike<unknown>;

/** Builds one column's Arrow data from its values. */
export function buildData(carrier: Carrier, values: Values): arrow.Data {
  const type = arrowType(carrier);
  switch (carrier.kind) {
    case 'int':
    case 'float':
    case 'date':
    case 'time':
    case 'timestamp':
      return fixedWidth(type, carrier, values);
    case 'bool':
      return booleans(type, values);
    case 'utf8':
    case 'binary':
      return variableWidth(type, values);
    case 'decimal':
      return decimals(type, values);
    case 'list':
      return lists(type as arrow.List, carrier.child, values);
    case 'struct':
      return structs(type as arrow.Struct, carrier.fields, values);
    case 'map':
      return maps(type as arrow.Map_, carrier, values);
  }
}

function isNull(v: unknown): boolean {
  return v === null || v === undefined;
}

/** The validity bitmap, or undefined when nothing is null (DuckDB then skips the checks). */
function validity(values: Values): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const n = values.length;
  let nullCount = 0;
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (!isNull(values[i])) continue;
    if (!bitmap) bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
    bitmap[i >> 3] = (bitmap[i >> 3] as number) & ~(1 << (i & 7));
    nullCount++;
  }
  return { nullBitmap: bitmap, nullCount };
}

type NumericArray = Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array | Float32Array | Float64Array;

function storage(carrier: Carrier, n: number): NumericArray {
  switch (carrier.kind) {
    case 'int': {
      if (carrier.bits === 64) return carrier.signed ? new BigInt64Array(n) : new BigUint64Array(n);
      if (carrier.bits === 32) return carrier.signed ? new Int32Array(n) : new Uint32Array(n);
      if (carrier.bits === 16) return carrier.signed ? new Int16Array(n) : new Uint16Array(n);
      return carrier.signed ? new Int8Array(n) : new Uint8Array(n);
    }
    case 'float':
      return carrier.bits === 32 ? new Float32Array(n) : new Float64Array(n);
    case 'date':
      return new Int32Array(n);
    case 'time':
      return carrier.unit === 'ms' ? new Int32Array(n) : new BigInt64Array(n);
    default:
      return new BigInt64Array(n);
  }
}

function fixedWidth(type: arrow.DataType, carrier: Carrier, values: Values): arrow.Data {
  const n = values.length;
  const out = storage(carrier, n);
  // A typed array of the carrier's own kind with no nulls (a required Parquet column) is used as is.
  if (ArrayBuffer.isView(values) && values.constructor === out.constructor) {
    return arrow.makeData({ type: type as arrow.Int, length: n, nullCount: 0, data: values as Int32Array });
  }
  const { nullBitmap, nullCount } = validity(values);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    // A whole number is written as two 32-bit halves: BigInt(v) made a BigInt per value.
    const halves = new Int32Array(out.buffer);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (isNull(v)) continue;
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        const high = Math.floor(v / 4294967296);
        halves[2 * i] = (v - high * 4294967296) | 0;
        halves[2 * i + 1] = high;
      } else out[i] = typeof v === 'bigint' ? v : BigInt(v as number);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!isNull(v)) out[i] = Number(v);
    }
  }
  return arrow.makeData({ type: type as arrow.Int, length: n, nullCount, nullBitmap, data: out as Int32Array });
}

function booleans(type: arrow.DataType, values: Values): arrow.Data {
  const n = values.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i] === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type: type as arrow.Bool, length: n, nullCount, nullBitmap, data: bits });
}

const encoder = new TextEncoder();

/**
 * Utf8 or Binary: byte arrays (a Parquet page's values) are copied as they are; strings are written
 * straight into the one data buffer (encodeInto, with a loop for short ASCII ones), never encoded
 * one by one into buffers of their own: measured on 300,000 JSON records, per-string encode() took
 * 1.9 s for a column of 12-character names.
 */
function variableWidth(type: arrow.DataType, values: Values): arrow.Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let estimate = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string' || v instanceof Uint8Array) estimate += v.length;
  }
  let data: Uint8Array = new Uint8Array(Math.max(64, Math.ceil(estimate * 1.1)));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      if (at + v.length * 3 > data.length) data = grown(data, at + v.length * 3);
      at = writeUtf8(v, data, at);
    } else if (v instanceof Uint8Array) {
      if (at + v.length > data.length) data = grown(data, at + v.length);
      if (v.length > 32) data.set(v, at);
      else for (let j = 0; j < v.length; j++) data[at + j] = v[j] as number; // cheaper than set() for short values
      at += v.length;
    }
    offsets[i + 1] = at;
  }
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type: type as arrow.Utf8, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: data.subarray(0, at) });
}

export function grown(data: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(needed, data.length * 2));
  next.set(data);
  return next;
}

/** Writes `s` as UTF-8 at `at` (room for 3 bytes a UTF-16 unit is the caller's); the position after it. */
export function writeUtf8(s: string, data: Uint8Array, at: number): number {
  const n = s.length;
  if (n < 64) {
    let j = 0;
    for (; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x80) break;
      data[at + j] = c;
    }
    if (j === n) return at + n;
  }
  return at + encoder.encodeInto(s, data.subarray(at)).written;
}

/** Decimal128: each unscaled value as four little-endian 32-bit words, two's complement. */
function decimals(type: arrow.DataType, values: Values): arrow.Data {
  const n = values.length;
  const words = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isNull(v)) continue;
    let x = BigInt.asUintN(128, typeof v === 'bigint' ? v : BigInt(v as number));
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  }
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type: type as arrow.Decimal, length: n, nullCount, nullBitmap, data: words });
}

function lists(type: arrow.List, child: Carrier, values: Values): arrow.Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const flat: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) for (const item of v as ArrayLike<unknown> & Iterable<unknown>) flat.push(item);
    offsets[i + 1] = flat.length;
  }
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets: offsets, child: buildData(child, flat) });
}

function structs(type: arrow.Struct, fields: { name: string; carrier: Carrier }[], values: Values): arrow.Data {
  const n = values.length;
  const children = fields.map((field) => {
    const column = new Array<unknown>(n);
    for (let i = 0; i < n; i++) column[i] = (values[i] as Record<string, unknown> | null | undefined)?.[field.name];
    return buildData(field.carrier, column);
  });
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type, length: n, nullCount, nullBitmap, children });
}

function maps(type: arrow.Map_, carrier: Extract<Carrier, { kind: 'map' }>, values: Values): arrow.Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const keys: unknown[] = [];
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i] as [unknown, unknown][] | null | undefined;
    if (v)
      for (const [k, x] of v) {
        keys.push(k);
        items.push(x);
      }
    offsets[i + 1] = keys.length;
  }
  const entriesType = type.children[0]?.type as arrow.Struct;
  const entries = arrow.makeData({
    type: entriesType,
    length: keys.length,
    nullCount: 0,
    children: [buildData(carrier.key, keys), buildData(carrier.value, items)],
  });
  const { nullBitmap, nullCount } = validity(values);
  return arrow.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets: offsets, child: entries });
}

/** One record batch of named columns, as DuckDB's Arrow reader takes it: values to build, or data built already. */
export function recordBatch(columns: ({ name: string; carrier: Carrier } & ({ values: Values } | { data: arrow.Data }))[]): arrow.Table {
  const data = columns.map((c) => ('data' in c ? c.data : buildData(c.carrier, c.values)));
  const schema = new arrow.Schema(columns.map((c, i) => new arrow.Field(c.name, (data[i] as arrow.Data).type, true)));
  const length = data[0]?.length ?? 0;
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: data });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}
