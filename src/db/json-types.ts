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
const FORMATS: { bit: number; sql: string; test: (s: string) => boolean }[] = [
  { bit: 1, sql: 'DATE', test: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s) },
  { bit: 2, sql: 'TIMESTAMP', test: (s) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) && validDate(s.slice(0, 10)) },
  { bit: 4, sql: 'TIMESTAMP', test: (s) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{1,6}$/.test(s) && validDate(s.slice(0, 10)) },
  { bit: 8, sql: 'TIMESTAMP', test: (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s) && validDate(s.slice(0, 10)) },
  { bit: 16, sql: 'TIME', test: (s) => /^\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?$/.test(s) },
  { bit: 32, sql: 'UUID', test: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) },
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
      for (const f of FORMATS) if (f.test(value)) formats |= f.bit;
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
}

export function planFor(t: JsonType): JsonColumnPlan {
  switch (t.kind) {
    case 'boolean':
      return { carrier: { kind: 'bool' }, convert: (v) => (typeof v === 'boolean' ? v : misfit()) };
    case 'bigint':
      return { carrier: { kind: 'int', bits: 64, signed: true }, convert: toBigInt };
    case 'double':
      return { carrier: { kind: 'float', bits: 64 }, convert: toDouble };
    case 'string': {
      const format = FORMATS.find((f) => t.formats & f.bit);
      // Temporal strings travel as text and DuckDB casts them on insert.
      return { carrier: { kind: 'utf8' }, convert: (v) => (typeof v === 'string' && (!format || format.test(v)) ? v : misfit()) };
    }
    case 'list': {
      const item = planFor(t.item);
      return { carrier: { kind: 'list', child: item.carrier }, convert: (v) => (Array.isArray(v) ? v.map((x) => (x === null ? null : item.convert(x))) : misfit()) };
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
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? (rawJson ? rawJson(x.toString()) : Number(x)) : x instanceof JsonReal ? x.value : x)) as string;
}

function misfit(): never {
  throw new Misfit();
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v);
  return misfit();
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof JsonReal) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return misfit();
}

