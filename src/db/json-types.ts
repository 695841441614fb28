import type { Carrier } from './arrow-columns';
import { quoteIdent } from './sql-quote';

/**
 * The SQL type of JSON values as DuckDB's read_json gives them (measured against DuckDB 1.4.3):
 * whole numbers BIGINT, any fraction or exponent DOUBLE, objects STRUCT, arrays LIST of their
 * items' type, strings that all read as one date, timestamp, time or UUID format that type, and
 * anything mixed JSON, which DuckDB-WASM without its json extension holds as VARCHAR of JSON text.
 * Pure, unit-tested in Node.
 */
export type JsonType =
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'bigint' }
  | { kind: 'double' }
  /** `formats`: the temporal and UUID formats every string so far matches. */
  | { kind: 'string'; formats: number }
  | { kind: 'list'; item: JsonType }
  | { kind: 'struct'; fields: Map<string, JsonType> }
  | { kind: 'json' };

/** A number written with a fraction or exponent whose value is whole (`2.0`): a DOUBLE to DuckDB. */
export class JsonReal {
  constructor(readonly value: number) {}
}

/** DuckDB's candidate formats for strings, as bits of `formats`, in the order it prefers them. */
const FORMATS: { bit: number; sql: string; shape: RegExp; dated?: boolean }[] = [
  { bit: 1, sql: 'DATE', shape: /^(\d{4})-(\d{2})-(\d{2})$/, dated: true },
  { bit: 2, sql: 'TIMESTAMP', shape: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/, dated: true },
  { bit: 4, sql: 'TIMESTAMP', shape: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})$/, dated: true },
  { bit: 8, sql: 'TIMESTAMP', shape: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/, dated: true },
  { bit: 16, sql: 'TIME', shape: /^\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?$/ },
  { bit: 32, sql: 'UUID', shape: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i },
];

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const NULL: JsonType = { kind: 'null' };
const JSON_TYPE: JsonType = { kind: 'json' };

/** The type of one value. */
export function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return NULL;
  if (value instanceof JsonReal) return { kind: 'double' };
  switch (typeof value) {
    case 'boolean':
      return { kind: 'boolean' };
    case 'bigint':
      return { kind: 'bigint' };
    case 'number':
      return Number.isSafeInteger(value) || (Number.isInteger(value) && Math.abs(value) < 2 ** 63) ? { kind: 'bigint' } : { kind: 'double' };
    case 'string': {
      let formats = 0;
      for (const f of FORMATS) if (f.shape.test(value) && (!f.dated || validDate(value.slice(0, 10)))) formats |= f.bit;
      return { kind: 'string', formats };
    }
  }
  if (Array.isArray(value)) {
    let item: JsonType = NULL;
    for (const v of value) item = merge(item, typeOf(v));
    return { kind: 'list', item };
  }
  const fields = new Map<string, JsonType>();
  for (const key in value as Record<string, unknown>) fields.set(key, typeOf((value as Record<string, unknown>)[key]));
  return { kind: 'struct', fields };
}

/** The type that holds values of both. */
export function merge(a: JsonType, b: JsonType): JsonType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'json' || b.kind === 'json') return JSON_TYPE;
  if (a.kind !== b.kind) {
    const numeric = (t: JsonType) => t.kind === 'bigint' || t.kind === 'double';
    return numeric(a) && numeric(b) ? { kind: 'double' } : JSON_TYPE;
  }
  if (a.kind === 'string' && b.kind === 'string') return a.formats === (a.formats & b.formats) ? a : { kind: 'string', formats: a.formats & b.formats };
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', item: merge(a.item, b.item) };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, t] of b.fields) fields.set(k, merge(fields.get(k) ?? NULL, t));
    return { kind: 'struct', fields };
  }
  return a;
}

/** A column's SQL type. */
export function sqlTypeOf(t: JsonType): string {
  switch (t.kind) {
    case 'boolean':
      return 'BOOLEAN';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'string':
      return FORMATS.find((f) => t.formats & f.bit)?.sql ?? 'VARCHAR';
    case 'list':
      return `${sqlTypeOf(t.item)}[]`;
    case 'struct':
      // DuckDB makes an object with no keys a MAP(VARCHAR, JSON); here it is JSON text.
      if (t.fields.size === 0) return 'VARCHAR';
      return `STRUCT(${[...t.fields].map(([k, f]) => `${quoteIdent(k)} ${sqlTypeOf(f)}`).join(', ')})`;
    case 'null':
    case 'json':
      return 'VARCHAR';
  }
}

/** A value that does not fit the type a column was given: the load is read again with wider types. */
export class Misfit extends Error {}

/** How a column's values travel, and the check-and-convert of one value into it. */
export interface JsonColumnPlan {
  carrier: Carrier;
  /** Throws Misfit when `value` does not fit. */
  convert(value: unknown): unknown;
  /** A VARCHAR of strings as they are: a string's UTF-8 bytes may be copied without a check. */
  verbatim?: true;
}

export function planFor(t: JsonType): JsonColumnPlan {
  switch (t.kind) {
    case 'boolean':
      return { carrier: { kind: 'bool' }, convert: (v) => (typeof v === 'boolean' ? v : misfit()) };
    case 'bigint':
      return { carrier: { kind: 'int', bits: 64, signed: true }, convert: wholeNumber };
    case 'double':
      return { carrier: { kind: 'float', bits: 64 }, convert: toDouble };
    case 'string': {
      const format = FORMATS.find((f) => t.formats & f.bit);
      // Dates and timestamps travel as numbers, read here (DuckDB's cast of the same text on insert
      // measured 4× the insert of the numbers); a date that does not exist is a misfit.
      if (format?.sql === 'DATE') return { carrier: { kind: 'date' }, convert: (v) => civil(v, format.shape, false) };
      if (format?.sql === 'TIMESTAMP') return { carrier: { kind: 'timestamp', unit: 'us', utc: false }, convert: (v) => civil(v, format.shape, true) };
      const shape = format?.shape;
      return {
        carrier: { kind: 'utf8' },
        convert: (v) => (typeof v === 'string' && (!shape || shape.test(v)) ? v : misfit()),
        ...(shape ? {} : { verbatim: true as const }),
      };
    }
    case 'list': {
      const item = planFor(t.item);
      return {
        carrier: { kind: 'list', child: item.carrier },
        convert: (v) => (Array.isArray(v) ? v.map((x) => (x === null ? null : item.convert(x))) : misfit()),
      };
    }
    case 'struct': {
      if (t.fields.size === 0) return jsonText();
      const fields = new Map([...t.fields].map(([k, f]) => [k, planFor(f)]));
      return {
        carrier: { kind: 'struct', fields: [...fields].map(([name, p]) => ({ name, carrier: p.carrier })) },
        convert: (v) => {
          if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonReal) return misfit();
          const out: Record<string, unknown> = {};
          for (const key in v as Record<string, unknown>) {
            const plan = fields.get(key);
            if (!plan) return misfit();
            const x = (v as Record<string, unknown>)[key];
            out[key] = x === null ? null : plan.convert(x);
          }
          return out;
        },
      };
    }
    case 'null':
    case 'json':
      return jsonText();
  }
}

function jsonText(): JsonColumnPlan {
  return { carrier: { kind: 'utf8' }, convert: (v) => jsonStringify(v) };
}

/** JSON.rawJSON (Chromium 114+): a bigint written back as the digits it was read from. */
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/** JSON text of a parsed value, with exact integers as they were written. */
export function jsonStringify(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? (rawJson ? rawJson(x.toString()) : Number(x)) : x instanceof JsonReal ? x.value : x,
  ) as string;
}

/**
 * Days (DATE) or microseconds (TIMESTAMP) since 1970 of a string `shape` matches: year, month, day,
 * then hour, minute, second and fraction. Days from the civil date by H. Hinnant's algorithm.
 */
function civil(v: unknown, shape: RegExp, timestamp: boolean): number | bigint {
  const m = typeof v === 'string' ? shape.exec(v) : null;
  if (!m) return misfit();
  const y = Number(m[1]);
  const month = Number(m[2]);
  const d = Number(m[3]);
  if (month < 1 || month > 12 || d < 1 || d > daysInMonth(y, month)) return misfit();
  const yy = month <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  if (!timestamp) return days;
  const seconds = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  const micros = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  // A number while it is exact (within 285 years of 1970): a BigInt per value cost more than the parse.
  const exact = seconds * 1_000_000 + micros;
  return Number.isSafeInteger(exact) ? exact : BigInt(seconds) * 1_000_000n + BigInt(micros);
}

function daysInMonth(y: number, month: number): number {
  if (month === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function misfit(): never {
  throw new Misfit();
}

/** A BIGINT value as it came (a number or an exact bigint): the Arrow builder makes it 64-bit. */
function wholeNumber(v: unknown): unknown {
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63)) return v;
  return misfit();
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof JsonReal) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return misfit();
}
