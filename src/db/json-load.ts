import type { LoadProgress } from '../protocol/data-source';
import { recordBatch } from './arrow-columns';
import { createTableWriter } from './arrow-insert';
import type { ByteSource } from './byte-source';
import { uniqueNames } from './column-names';
import type { DuckDbInstance } from './duckdb-instance';
import { JsonRecordSplitter, type RecordText } from './json-records';
import { JsonReal, merge, Misfit, planFor, sqlTypeOf, typeOf, type JsonType } from './json-types';

type Progress = (p: Omit<LoadProgress, 'table'>) => void;
type Row = Record<string, unknown>;

/** Records whose keys and values decide the columns' types: DuckDB's read_json samples as many. */
const SAMPLE_RECORDS = 20_480;
/** Rows per Arrow batch: a batch's parsed records are what a load holds in JavaScript at once. */
const BATCH_ROWS = 16_384;

/**
 * Loads JSON of any common shape (src/db/json-records.ts) into a table typed as DuckDB's read_json
 * would type it (src/db/json-types.ts). The types come from the first records, as DuckDB's do; a
 * later record that does not fit them (a new key, a string where numbers were) makes the load start
 * again with types read from every record, where DuckDB would fail, so nothing is dropped.
 */
export async function loadJson(db: DuckDbInstance, source: ByteSource, table: string, onProgress?: Progress): Promise<'json' | 'ndjson'> {
  try {
    return await loadRows(db, source, table, null, onProgress);
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
  }
  let type: JsonType = { kind: 'null' };
  for await (const batch of rowBatches(source, Infinity)) for (const row of batch.rows) type = merge(type, typeOf(row));
  return loadRows(db, source, table, type, onProgress);
}

async function loadRows(db: DuckDbInstance, source: ByteSource, table: string, known: JsonType | null, onProgress?: Progress): Promise<'json' | 'ndjson'> {
  let writer: ReturnType<typeof createTableWriter> | null = null;
  let columns: { key: string; convert: (v: unknown) => unknown }[] = [];
  let index = new Map<string, number>();
  let carriers: ReturnType<typeof planFor>['carrier'][] = [];
  let names: string[] = [];
  let rows = 0;
  let shape: 'json' | 'ndjson' = 'json';
  try {
    for await (const batch of rowBatches(source, known === null ? SAMPLE_RECORDS : 0)) {
      shape = batch.shape;
      if (!writer) {
        let type = known;
        if (!type) for (const row of batch.rows) type = merge(type ?? { kind: 'null' }, typeOf(row));
        if (type?.kind !== 'struct' || type.fields.size === 0) throw new Error(`${source.name}: no columns found (the records have no keys)`);
        const plans = [...type.fields].map(([key, t]) => ({ key, sqlType: sqlTypeOf(t), plan: planFor(t) }));
        names = uniqueNames(plans.map((p) => p.key));
        columns = plans.map((p) => ({ key: p.key, convert: p.plan.convert }));
        carriers = plans.map((p) => p.plan.carrier);
        index = new Map(plans.map((p, i) => [p.key, i]));
        writer = createTableWriter(db, table, plans.map((p, i) => ({ name: names[i] as string, sqlType: p.sqlType })));
      }
      const values = columnsOf(batch.rows, columns, index);
      const batchTable = recordBatch(values.map((v, i) => ({ name: names[i] as string, carrier: carriers[i] as ReturnType<typeof planFor>['carrier'], values: v })));
      try {
        writer.append(batchTable);
      } catch (error) {
        // A string shaped like a date that is none (2023-02-30): DuckDB's cast refuses it, and the column is read again as text.
        if (/Conversion Error|Could not convert|out of range/i.test((error as Error).message)) throw new Misfit();
        throw error;
      }
      rows += batch.rows.length;
      onProgress?.({ bytesRead: batch.bytesRead, bytesTotal: source.size, rows, rowsTotal: null });
    }
    if (!writer) throw new Error(`${source.name}: no records found`);
    writer.commit();
    return shape;
  } catch (error) {
    writer?.abort();
    throw error;
  }
}

/** The rows as columns of carrier values; a value that does not fit throws Misfit. */
function columnsOf(rows: Row[], columns: { key: string; convert: (v: unknown) => unknown }[], index: Map<string, number>): unknown[][] {
  const out = columns.map(() => new Array<unknown>(rows.length).fill(null));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    for (const key in row) {
      const c = index.get(key);
      if (c === undefined) throw new Misfit();
      const v = row[key];
      if (v !== null && v !== undefined) (out[c] as unknown[])[r] = (columns[c] as { convert: (v: unknown) => unknown }).convert(v);
    }
  }
  return out;
}

interface RowBatch {
  rows: Row[];
  shape: 'json' | 'ndjson';
  bytesRead: number;
}

/**
 * The source's records as rows, in batches: the first batch is the sample that types the columns.
 * In the first `exactRecords`, numbers written as reals are kept as such (JsonReal) for typing;
 * integers beyond 2^53 are always read exactly.
 */
async function* rowBatches(source: ByteSource, exactRecords: number): AsyncIterable<RowBatch> {
  const splitter = new JsonRecordSplitter(source.name);
  const decoder = new TextDecoder();
  let held: RecordText | null = null;
  let seen = 0;
  let rows: Row[] = [];
  let bytesRead = 0;
  let single = false;
  const shape = (): 'json' | 'ndjson' => (splitter.shape === 'lines' && !single ? 'ndjson' : 'json');
  const take = (texts: RecordText[]): void => {
    for (const text of texts) {
      // A lone leading object may be a wrapper: it is held until a second record shows it is not.
      if (seen === 0 && splitter.shape === 'lines' && held === null) {
        held = text;
        continue;
      }
      if (held) {
        rows.push(asRow(parse(held, source.name, exactRecords > 0), held, source.name));
        held = null;
        seen++;
      }
      rows.push(asRow(parse(text, source.name, seen < exactRecords), text, source.name));
      seen++;
    }
  };
  for await (const chunk of source.chunks()) {
    bytesRead += chunk.byteLength;
    take(splitter.push(decoder.decode(chunk, { stream: true })));
    const size = seen <= SAMPLE_RECORDS ? SAMPLE_RECORDS : BATCH_ROWS;
    if (rows.length >= size) {
      yield { rows, shape: shape(), bytesRead };
      rows = [];
    }
  }
  take(splitter.push(decoder.decode()));
  take(splitter.end());
  if (held) {
    single = true;
    rows.push(...unwrap(parse(held, source.name, exactRecords > 0), held, source.name));
  }
  if (rows.length > 0) yield { rows, shape: shape(), bytesRead };
}

/** A single top-level object: its one array of records, or itself as one row. */
function unwrap(value: unknown, text: RecordText, name: string): Row[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const arrays = Object.entries(value as Row).filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x === null || (typeof x === 'object' && !Array.isArray(x))));
    if (arrays.length > 1) throw new Error(`${name}: the object holds more than one array of records (${arrays.map(([k]) => `"${k}"`).join(', ')}); load a file with one`);
    if (arrays.length === 1) return ((arrays[0] as [string, unknown[]])[1]).filter((x) => x !== null) as Row[];
  }
  return [asRow(value, text, name)];
}

function asRow(value: unknown, text: RecordText, name: string): Row {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonReal)) return value as Row;
  if (Array.isArray(value)) throw new Error(`${name}: line ${text.position.line} is an array; expected an object per record`);
  return { value };
}

function parse(text: RecordText, name: string, exact: boolean): unknown {
  try {
    return text.longNumber || (exact && text.realNumber) ? exactParse(text.text) : JSON.parse(text.text);
  } catch (error) {
    throw new Error(`${name}: line ${text.position.line} is not valid JSON (${(error as Error).message})`);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * JSON.parse with each number's source text (Chromium 114+): integers past 2^53 as exact bigints
 * (DuckDB's BIGINT), and whole numbers written as reals (`2.0`) marked, since DuckDB types them DOUBLE.
 */
function exactParse(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    const source = context?.source;
    if (typeof value !== 'number' || source === undefined) return value;
    if (/[.eE]/.test(source)) return Number.isInteger(value) ? new JsonReal(value) : value;
    if (Number.isSafeInteger(value)) return value;
    const exact = BigInt(source);
    return exact >= INT64_MIN && exact <= INT64_MAX ? exact : value;
  });
}
