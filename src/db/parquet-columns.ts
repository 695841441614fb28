import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import type { Carrier, Values } from './arrow-columns';
import { quoteIdent } from './sql-quote';

/**
 * A top-level Parquet column as DuckDB's own Parquet reader types it, and how its values travel
 * (src/db/arrow-columns.ts). Values are read with the file's annotations stripped (`rawSchema`), so
 * hyparquet hands over physical values: INT64 as bigint, strings as their UTF-8 bytes, decimals as
 * unscaled integers. hyparquet's own conversions would turn decimals into floats and timestamps
 * into millisecond Dates, losing what DuckDB keeps.
 */
export interface ParquetColumn {
  name: string;
  sqlType: string;
  carrier: Carrier;
  /** Turns one chunk of the column's raw values into the carrier's values. */
  convert(raw: Values): Values;
  /**
   * Maps are read apart, with hyparquet's own conversions: it assembles a map into an object keyed
   * by the key's decoded text, which raw bytes would not give. Keys and values then travel as text.
   */
  decoded: boolean;
  /** A top-level leaf whose raw values need no conversion: src/db/parquet-flat.ts may decode it. */
  flat: SchemaElement | null;
}

interface Leaf {
  sqlType: string;
  carrier: Carrier;
  /** Per-value conversion, or null when the raw value is what the carrier takes. */
  fix: ((v: unknown) => unknown) | null;
}

const UTF8: Carrier = { kind: 'utf8' };

/** The columns of a file, in order. */
export function parquetColumns(schema: SchemaTree): ParquetColumn[] {
  return schema.children.map((child) => {
    if (isMap(child)) {
      const [key, value] = mapParts(child);
      return {
        name: child.element.name,
        sqlType: `MAP(${describe(key).sqlType}, ${describe(value).sqlType})`,
        carrier: { kind: 'map', key: UTF8, value: UTF8 },
        convert: mapEntries,
        decoded: true,
        flat: null,
      };
    }
    const node = describe(child);
    const fix = node.fix;
    return {
      name: child.element.name,
      sqlType: node.sqlType,
      carrier: node.carrier,
      convert: fix ? (raw: Values) => Array.from(raw as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : fix(v))) : (raw: Values) => raw,
      decoded: false,
      flat: child.children.length === 0 && !fix ? child.element : null,
    };
  });
}

/** The file's metadata with every leaf's annotations removed (LIST and MAP groups keep theirs). */
export function rawSchema(metadata: FileMetaData): FileMetaData {
  const schema = metadata.schema.map((element): SchemaElement => {
    if (element.type === undefined) return element; // a group
    const { converted_type: _c, logical_type: _l, ...physical } = element;
    return physical;
  });
  return { ...metadata, schema };
}

function isMap(node: SchemaTree): boolean {
  const annotated = node.element.converted_type === 'MAP' || node.element.converted_type === 'MAP_KEY_VALUE' || node.element.logical_type?.type === 'MAP';
  return annotated && node.children.length === 1 && node.children[0]?.children.length === 2;
}

function mapParts(node: SchemaTree): [SchemaTree, SchemaTree] {
  const entries = node.children[0] as SchemaTree;
  return [entries.children[0] as SchemaTree, entries.children[1] as SchemaTree];
}

/** A decoded map ({ key: value }, keys as text) as [key, value] pairs of text for the carrier. */
function mapEntries(raw: Values): Values {
  return Array.from(raw as ArrayLike<unknown>, (m) => {
    if (m === null || m === undefined) return null;
    return Object.entries(m as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? null : valueText(v)]);
  });
}

function valueText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

function isList(node: SchemaTree): boolean {
  const annotated = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST';
  return annotated && node.children.length === 1;
}

/** The SQL type and carrier of any node, nested or not. */
function describe(node: SchemaTree): Leaf {
  const repeated = node.element.repetition_type === 'REPEATED';
  const inner = describeOne(node);
  // A repeated field outside a LIST annotation is a list of itself (the older two-level form).
  return repeated ? listOf(inner) : inner;
}

function describeOne(node: SchemaTree): Leaf {
  if (isMap(node)) {
    const [key, value] = mapParts(node);
    return { sqlType: `MAP(${describe(key).sqlType}, ${describe(value).sqlType})`, carrier: { kind: 'map', key: UTF8, value: UTF8 }, fix: null };
  }
  if (isList(node)) {
    const repeated = node.children[0] as SchemaTree;
    // Three-level lists (list → element) and two-level ones (a repeated group or primitive).
    const element =
      repeated.children.length === 1 && repeated.element.type === undefined
        ? (repeated.children[0] as SchemaTree)
        : { ...repeated, element: { ...repeated.element, repetition_type: 'OPTIONAL' as const } };
    return listOf(describe(element));
  }
  if (node.children.length > 0) {
    const fields = node.children.map((c) => ({ name: c.element.name, leaf: describe(c) }));
    const fixes = fields.filter((f) => f.leaf.fix);
    return {
      sqlType: `STRUCT(${fields.map((f) => `${quoteIdent(f.name)} ${f.leaf.sqlType}`).join(', ')})`,
      carrier: { kind: 'struct', fields: fields.map((f) => ({ name: f.name, carrier: f.leaf.carrier })) },
      fix:
        fixes.length === 0
          ? null
          : (v) => {
              const out = { ...(v as Record<string, unknown>) };
              for (const f of fixes) {
                const x = out[f.name];
                if (x !== null && x !== undefined) out[f.name] = (f.leaf.fix as (v: unknown) => unknown)(x);
              }
              return out;
            },
    };
  }
  return leaf(node.element);
}

function listOf(child: Leaf): Leaf {
  const fix = child.fix;
  return {
    sqlType: `${child.sqlType}[]`,
    carrier: { kind: 'list', child: child.carrier },
    fix: fix ? (v) => Array.from(v as ArrayLike<unknown>, (x) => (x === null || x === undefined ? null : fix(x))) : null,
  };
}

function leaf(element: SchemaElement): Leaf {
  const logical = element.logical_type;
  const converted = element.converted_type;
  const decimal = logical?.type === 'DECIMAL' ? logical : converted === 'DECIMAL' ? { precision: element.precision ?? 38, scale: element.scale ?? 0 } : null;
  if (decimal) return decimalLeaf(decimal.precision, decimal.scale, element.type);
  switch (element.type) {
    case 'BOOLEAN':
      return { sqlType: 'BOOLEAN', carrier: { kind: 'bool' }, fix: null };
    case 'INT32':
      return int32Leaf(element);
    case 'INT64':
      return int64Leaf(element);
    case 'INT96':
      return { sqlType: 'TIMESTAMP', carrier: { kind: 'timestamp', unit: 'us', utc: false }, fix: int96Micros };
    case 'FLOAT':
      return { sqlType: 'FLOAT', carrier: { kind: 'float', bits: 32 }, fix: null };
    case 'DOUBLE':
      return { sqlType: 'DOUBLE', carrier: { kind: 'float', bits: 64 }, fix: null };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return bytesLeaf(element);
    default:
      return { sqlType: 'VARCHAR', carrier: UTF8, fix: (v) => valueText(v) };
  }
}

function int32Leaf(element: SchemaElement): Leaf {
  const logical = element.logical_type;
  const c = element.converted_type;
  if (c === 'DATE' || logical?.type === 'DATE') return { sqlType: 'DATE', carrier: { kind: 'date' }, fix: null };
  if (c === 'TIME_MILLIS' || logical?.type === 'TIME') return { sqlType: 'TIME', carrier: { kind: 'time', unit: 'ms' }, fix: null };
  const width = logical?.type === 'INTEGER' ? { bits: logical.bitWidth, signed: logical.isSigned } : INT_CONVERTED[c ?? ''];
  if (width && !width.signed && width.bits === 32)
    return { sqlType: 'UINTEGER', carrier: { kind: 'int', bits: 32, signed: false }, fix: (v) => (v as number) >>> 0 };
  const name = width ? INT_NAMES[`${width.signed ? 'i' : 'u'}${width.bits}`] : undefined;
  return { sqlType: name ?? 'INTEGER', carrier: { kind: 'int', bits: 32, signed: true }, fix: null };
}

function int64Leaf(element: SchemaElement): Leaf {
  const logical = element.logical_type;
  const c = element.converted_type;
  if (logical?.type === 'TIMESTAMP' || c === 'TIMESTAMP_MILLIS' || c === 'TIMESTAMP_MICROS') {
    const unit = logical?.type === 'TIMESTAMP' ? UNIT[logical.unit] : c === 'TIMESTAMP_MILLIS' ? 'ms' : 'us';
    const utc = logical?.type === 'TIMESTAMP' && logical.isAdjustedToUTC;
    return { sqlType: utc ? 'TIMESTAMP WITH TIME ZONE' : unit === 'ns' ? 'TIMESTAMP_NS' : 'TIMESTAMP', carrier: { kind: 'timestamp', unit, utc }, fix: null };
  }
  if (logical?.type === 'TIME' || c === 'TIME_MICROS') {
    const unit = logical?.type === 'TIME' ? UNIT[logical.unit] : 'us';
    return { sqlType: 'TIME', carrier: { kind: 'time', unit }, fix: null };
  }
  const unsigned = c === 'UINT_64' || (logical?.type === 'INTEGER' && !logical.isSigned);
  if (unsigned) return { sqlType: 'UBIGINT', carrier: { kind: 'int', bits: 64, signed: false }, fix: (v) => BigInt.asUintN(64, v as bigint) };
  return { sqlType: 'BIGINT', carrier: { kind: 'int', bits: 64, signed: true }, fix: null };
}

function bytesLeaf(element: SchemaElement): Leaf {
  const logical = element.logical_type?.type;
  const c = element.converted_type;
  if (c === 'UTF8' || c === 'ENUM' || logical === 'STRING' || logical === 'ENUM') return { sqlType: 'VARCHAR', carrier: UTF8, fix: null };
  // DuckDB's type is JSON, from its json extension, which is not built into DuckDB-WASM: VARCHAR here.
  if (c === 'JSON' || logical === 'JSON') return { sqlType: 'VARCHAR', carrier: UTF8, fix: null };
  if (logical === 'UUID') return { sqlType: 'UUID', carrier: UTF8, fix: (v) => uuidText(v as Uint8Array) };
  if (c === 'INTERVAL' || logical === 'INTERVAL') return { sqlType: 'INTERVAL', carrier: UTF8, fix: (v) => intervalText(v as Uint8Array) };
  if (logical === 'FLOAT16') return { sqlType: 'FLOAT', carrier: { kind: 'float', bits: 32 }, fix: (v) => float16(v as Uint8Array) };
  return { sqlType: 'BLOB', carrier: { kind: 'binary' }, fix: null };
}

function decimalLeaf(precision: number, scale: number, physical: SchemaElement['type']): Leaf {
  const unscaled = physical === 'INT32' || physical === 'INT64' ? (v: unknown) => BigInt(v as number | bigint) : (v: unknown) => signedBigInt(v as Uint8Array);
  // DuckDB's DECIMAL holds up to 38 digits; wider decimals are read as DOUBLE, as DuckDB does.
  if (precision > 38) return { sqlType: 'DOUBLE', carrier: { kind: 'float', bits: 64 }, fix: (v) => Number(unscaled(v)) / 10 ** scale };
  return { sqlType: `DECIMAL(${precision},${scale})`, carrier: { kind: 'decimal', precision, scale }, fix: unscaled };
}

const UNIT = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' } as const;
const INT_CONVERTED: Record<string, { bits: number; signed: boolean }> = {
  INT_8: { bits: 8, signed: true },
  INT_16: { bits: 16, signed: true },
  INT_32: { bits: 32, signed: true },
  UINT_8: { bits: 8, signed: false },
  UINT_16: { bits: 16, signed: false },
  UINT_32: { bits: 32, signed: false },
};
const INT_NAMES: Record<string, string> = { i8: 'TINYINT', i16: 'SMALLINT', i32: 'INTEGER', u8: 'UTINYINT', u16: 'USMALLINT' };

/** INT96, which hyparquet hands over as nanoseconds since 1970 (parquet-load.ts), in microseconds, rounded down as DuckDB does. */
function int96Micros(v: unknown): bigint {
  const nanos = v as bigint;
  const micros = nanos / 1000n;
  return nanos < 0n && micros * 1000n !== nanos ? micros - 1n : micros;
}

/** A big-endian two's complement integer of any width. */
export function signedBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  return bytes.length > 0 && (bytes[0] as number) & 0x80 ? value - (1n << bits) : value;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function uuidText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[bytes[i] as number];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

/** Parquet's INTERVAL: months, days and milliseconds, little-endian unsigned 32-bit each. */
function intervalText(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return `${view.getUint32(0, true)} months ${view.getUint32(4, true)} days ${view.getUint32(8, true)} milliseconds`;
}

function float16(bytes: Uint8Array): number {
  const half = ((bytes[1] as number) << 8) | (bytes[0] as number);
  const sign = half >> 15 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
