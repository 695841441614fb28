import type { LoadProgress } from '../protocol/data-source';
import { recordBatch } from './arrow-columns';
import { createTableWriter } from './arrow-insert';
import type { ByteSource } from './byte-source';
import { uniqueNames } from './column-names';
import type { DuckDbInstance } from './duckdb-instance';
import { JsonRecordSplitter, LONG_NUMBER, lineRecord, type RecordText } from './json-records';
import { NdjsonLineReader, type BatchColumn, type LineColumn } from './ndjson-lines';
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
  const lines = isNdjson(source.head);
  const load = (known: JsonType | null) => (lines ? loadLines(db, source, table, known, onProgress) : loadRows(db, source, table, known, onProgress));
  try {
    return await load(null);
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
  }
  let type: JsonType = { kind: 'null' };
  for await (const batch of rowBatches(source, Infinity)) for (const row of batch.rows) type = merge(type, typeOf(row));
  return load(type);
}

/** The table being loaded: its writer, and its columns with the check-and-convert of their values. */
interface LoadTable {
  writer: ReturnType<typeof createTableWriter>;
  columns: (LineColumn & { name: string })[];
  index: Map<string, number>;
}

/** Creates the table for records of `known` type, or of the sample's. */
function openTable(db: DuckDbInstance, source: ByteSource, table: string, known: JsonType | null, sample: Row[]): LoadTable {
  let type = known;
  if (!type) for (const row of sample) type = merge(type ?? { kind: 'null' }, typeOf(row));
  if (type?.kind !== 'struct' || type.fields.size === 0) throw new Error(`${source.name}: no columns found (the records have no keys)`);
  const plans = [...type.fields].map(([key, t]) => ({ key, sqlType: sqlTypeOf(t), plan: planFor(t) }));
  const names = uniqueNames(plans.map((p) => p.key));
  const writer = createTableWriter(
    db,
    table,
    plans.map((p, i) => ({ name: names[i] as string, sqlType: p.sqlType })),
  );
  return {
    writer,
    columns: plans.map((p, i) => ({ key: p.key, name: names[i] as string, ...p.plan })),
    index: new Map(plans.map((p, i) => [p.key, i])),
  };
}

function appendRows(target: LoadTable, rows: Row[]): void {
  appendColumns(
    target,
    columnsOf(rows, target.columns, target.index).map((values) => ({ values })),
  );
}

function appendColumns(target: LoadTable, columns: BatchColumn[]): void {
  try {
    target.writer.append(
      recordBatch(columns.map((c, i) => ({ name: (target.columns[i] as { name: string }).name, carrier: (target.columns[i] as LineColumn).carrier, ...c }))),
    );
  } catch (error) {
    // A string shaped like a date that is none (2023-02-30): DuckDB's cast refuses it, and the column is read again as text.
    if (/Conversion Error|Could not convert|out of range/i.test((error as Error).message)) throw new Misfit();
    throw error;
  }
}

async function loadRows(db: DuckDbInstance, source: ByteSource, table: string, known: JsonType | null, onProgress?: Progress): Promise<'json' | 'ndjson'> {
  let target: LoadTable | null = null;
  let rows = 0;
  let shape: 'json' | 'ndjson' = 'json';
  try {
    for await (const batch of rowBatches(source, known === null ? SAMPLE_RECORDS : 0)) {
      shape = batch.shape;
      target ??= openTable(db, source, table, known, batch.rows);
      appendRows(target, batch.rows);
      rows += batch.rows.length;
      onProgress?.({ bytesRead: batch.bytesRead, bytesTotal: source.size, rows, rowsTotal: null });
    }
    if (!target) throw new Error(`${source.name}: no records found`);
    target.writer.commit();
    return shape;
  } catch (error) {
    target?.writer.abort();
    throw error;
  }
}

/** Rows per batch on the byte path: DuckDB's row group size, its fastest insert (src/db/arrow-insert.ts); a batch holds bytes, not objects. */
const LINE_BATCH_ROWS = 122_880;

/**
 * NDJSON proper, read as bytes line by line (src/db/ndjson-lines.ts): the first records are parsed
 * to type the columns, as on the general path, and the rest are read straight into Arrow columns.
 * Profiled in the worker on the load bench's 300,000 rows (93 MB, load average near 20): reading
 * the lines took 3.9 s of CPU, DuckDB's insert 2.8 s, Arrow IPC 1.8 s, the garbage collector 2.4 s.
 */
async function loadLines(db: DuckDbInstance, source: ByteSource, table: string, known: JsonType | null, onProgress?: Progress): Promise<'ndjson'> {
  const sample: Row[] = [];
  let target: LoadTable | null = null;
  let reader: NdjsonLineReader | null = null;
  let rows = 0;
  let line = 0;
  let bytesRead = 0;
  const rowOf = (text: string, at: number, exact: boolean): Row => {
    const record = lineRecord(text, at, at - 1);
    return asRow(parse(record, source.name, exact), record, source.name);
  };
  const start = (): NdjsonLineReader => {
    target = openTable(db, source, table, known, sample);
    appendRows(target, sample);
    rows = sample.length;
    const made = new NdjsonLineReader(target.columns, (text, at) => rowOf(text, at, false), plainParse);
    made.begin(LINE_BATCH_ROWS);
    return made;
  };
  const flush = (into: NdjsonLineReader) => {
    appendColumns(target as LoadTable, into.finish());
    rows += into.rows;
    onProgress?.({ bytesRead, bytesTotal: source.size, rows, rowsTotal: null });
    into.begin(LINE_BATCH_ROWS);
  };
  const take = (bytes: Uint8Array, from: number, to: number) => {
    line++;
    if (reader) {
      reader.line(bytes, from, to, line);
      if (reader.rows >= LINE_BATCH_ROWS) flush(reader);
      return;
    }
    const text = decoder.decode(bytes.subarray(from, to));
    if (text.trim() === '') return;
    sample.push(rowOf(text, line, known === null));
    if (sample.length >= SAMPLE_RECORDS) reader = start();
  };
  try {
    for await (const chunk of byteLines(source, take)) bytesRead += chunk;
    reader ??= start();
    flush(reader);
    (target as LoadTable | null)?.writer.commit();
    return 'ndjson';
  } catch (error) {
    (target as LoadTable | null)?.writer.abort();
    throw error;
  }
}

/** Hands each line of the source to `take` as bytes; yields each chunk's size as it is done. */
async function* byteLines(source: ByteSource, take: (bytes: Uint8Array, from: number, to: number) => void): AsyncIterable<number> {
  let tail: Uint8Array | null = null;
  for await (const chunk of source.chunks()) {
    let from = 0;
    let nl = chunk.indexOf(0x0a);
    if (tail && nl >= 0) {
      const joined = concat(tail, chunk.subarray(0, nl));
      take(joined, 0, joined.length);
      tail = null;
      from = nl + 1;
      nl = chunk.indexOf(0x0a, from);
    }
    for (; nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      take(chunk, from, nl);
      from = nl + 1;
    }
    // The unfinished last line is copied: holding a view would keep the whole chunk.
    if (from < chunk.byteLength) tail = tail ? concat(tail, chunk) : chunk.slice(from);
    yield chunk.byteLength;
  }
  if (tail) take(tail, 0, tail.byteLength);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

const decoder = new TextDecoder();

/** JSON.parse, with integers past 2^53 read exactly when there may be some. */
function plainParse(text: string): unknown {
  return LONG_NUMBER.test(text) ? exactParse(text) : JSON.parse(text);
}

/**
 * NDJSON proper, told from the first bytes: the first line is one object, and the next line that
 * is not blank starts another. Anything else (an array, a wrapper, records over several lines, a
 * first line longer than the head) takes the general path.
 */
function isNdjson(head: Uint8Array): boolean {
  const lines = decoder.decode(head).split('\n');
  if (lines.length < 2) return false;
  try {
    const first = JSON.parse(lines[0] as string) as unknown;
    if (first === null || typeof first !== 'object' || Array.isArray(first)) return false;
  } catch {
    return false;
  }
  const next = lines.slice(1).find((l) => l.trim() !== '');
  return next !== undefined && next.trimStart().startsWith('{');
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
    const arrays = Object.entries(value as Row).filter(
      ([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x === null || (typeof x === 'object' && !Array.isArray(x))),
    );
    if (arrays.length > 1)
      throw new Error(`${name}: the object holds more than one array of records (${arrays.map(([k]) => `"${k}"`).join(', ')}); load a file with one`);
    if (arrays.length === 1) return (arrays[0] as [string, unknown[]])[1].filter((x) => x !== null) as Row[];
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
