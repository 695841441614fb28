/**
 * Decides a SQL column kind from decoded JS values (JSON rows, Parquet rows). Pure, so it is
 * unit-tested in Node; src/db/arrow-table.ts turns the decision into Arrow vectors.
 */
export type ColumnKind = 'boolean' | 'integer' | 'bigint' | 'double' | 'timestamp' | 'varchar' | 'blob';

/** What the file's own schema says, when it says anything (Parquet does; JSON does not). */
export type ColumnHint = ColumnKind | undefined;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function inferColumnKind(values: readonly unknown[], hint?: ColumnHint): ColumnKind {
  if (hint) return hint;
  let kind: ColumnKind | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k = kindOf(v);
    kind = kind === null ? k : widen(kind, k);
    if (kind === 'varchar') break;
  }
  return kind ?? 'varchar';
}

function kindOf(v: unknown): ColumnKind {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'double';
    if (v >= INT32_MIN && v <= INT32_MAX) return 'integer';
    return Number.isSafeInteger(v) ? 'bigint' : 'double';
  }
  if (v instanceof Date) return 'timestamp';
  if (v instanceof Uint8Array) return 'blob';
  return 'varchar';
}

const NUMERIC_ORDER: ColumnKind[] = ['integer', 'bigint', 'double'];

function widen(a: ColumnKind, b: ColumnKind): ColumnKind {
  if (a === b) return a;
  const ia = NUMERIC_ORDER.indexOf(a);
  const ib = NUMERIC_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return NUMERIC_ORDER[Math.max(ia, ib)] as ColumnKind;
  return 'varchar';
}

/** Converts one value to what the column kind stores; nested and mixed values become JSON text. */
export function coerceValue(v: unknown, kind: ColumnKind): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'boolean':
      return Boolean(v);
    case 'integer':
    case 'double':
      return typeof v === 'bigint' ? Number(v) : Number(v);
    case 'bigint':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'timestamp':
      return v instanceof Date ? v : new Date(String(v));
    case 'blob':
      return v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
    case 'varchar':
      return typeof v === 'string' ? v : stringify(v);
  }
}

function stringify(v: unknown): string {
  if (typeof v === 'object') {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
  return String(v);
}

/** Rows of objects → named columns in first-seen key order. */
export function rowsToColumns(rows: readonly Record<string, unknown>[]): { name: string; values: unknown[] }[] {
  const index = new Map<string, unknown[]>();
  rows.forEach((row, r) => {
    for (const key of Object.keys(row)) {
      let col = index.get(key);
      if (!col) {
        col = new Array(rows.length).fill(null);
        index.set(key, col);
      }
      col[r] = row[key];
    }
  });
  return [...index].map(([name, values]) => ({ name, values }));
}
