/** A DuckDB value as JSON can hold it: BigInt as a number (text past 2^53), dates as ISO text, blobs as byte arrays. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  return value;
}

/** Rows as objects keyed by column name, every value JSON-safe. */
export function records(columns: readonly { name: string }[], rows: readonly unknown[][]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i])])));
}
