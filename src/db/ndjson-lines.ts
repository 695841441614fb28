import * as arrow from 'apache-arrow';
import { grown, writeUtf8, type Carrier } from './arrow-columns';
import { Misfit } from './json-types';

/** A column of the records being read: its key, its carrier, and the check-and-convert of one value. */
export interface LineColumn {
  key: string;
  carrier: Carrier;
  /** Throws (Misfit) when a value does not fit the column's type. */
  convert(value: unknown): unknown;
  /** Strings are the column's values as they are (not JSON text, not a UUID to check): copied as bytes. */
  verbatim?: true;
}

/** A batch's columns, as src/db/arrow-columns.ts's recordBatch takes them. */
export type BatchColumn = { values: unknown[] } | { data: arrow.Data };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder();
const REAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Reads lines of NDJSON, as bytes, straight into a batch's columns. A record's keys are matched
 * byte for byte against the columns' keys, a string bound for a VARCHAR column is copied as its
 * UTF-8 bytes into the Arrow buffer, and a number is read from its digits: no text is decoded, and
 * no object is made per record. A line this does not read plainly (an escaped key, a repeated key,
 * not an object, a syntax error) is handed to `slowRow`, JSON.parse's reading of it, so errors
 * and every odd case are the general path's. Measured in Node on the load bench's 300,000 rows (93
 * MB), load average near 20: decoding, splitting, JSON.parse and conversion took 12.3 s, this 4.7 s.
 *
 * Written by hand: a JSON library parses into objects, which is the cost this avoids.
 */
export class NdjsonLineReader {
  rows = 0;
  readonly #columns: LineColumn[];
  readonly #keys: Uint8Array[];
  readonly #slowRow: (text: string, line: number) => Record<string, unknown>;
  readonly #parse: (text: string) => unknown;
  readonly #index: Map<string, number>;
  #sinks: (TextSink | ValueSink)[] = [];
  /** The row stamp (row + 1) that last set each column: a repeated key takes the slow path. */
  #seen: Int32Array;

  /**
   * `slowRow` reads a whole line as the general path does (its errors name the line); `parse` reads
   * a nested value's text, integers past 2^53 exactly.
   */
  constructor(columns: LineColumn[], slowRow: (text: string, line: number) => Record<string, unknown>, parse: (text: string) => unknown) {
    this.#parse = parse;
    this.#columns = columns;
    this.#keys = columns.map((c) => new TextEncoder().encode(c.key));
    this.#index = new Map(columns.map((c, i) => [c.key, i]));
    this.#slowRow = slowRow;
    this.#seen = new Int32Array(columns.length);
  }

  /** Starts a batch of at most `capacity` rows. */
  begin(capacity: number): void {
    this.rows = 0;
    this.#seen.fill(0);
    const last = this.#sinks;
    this.#sinks = this.#columns.map((c, i) => {
      if (!c.verbatim) return new ValueSink(capacity, c.convert);
      const before = last[i];
      return new TextSink(capacity, c.convert, before instanceof TextSink ? Math.ceil(before.size * 1.1) : 0);
    });
  }

  /** Reads the line `bytes[start, end)` (line number `line`, for errors) as the next row; a blank line adds none. */
  line(bytes: Uint8Array, start: number, end: number, line: number): void {
    const p = skipSpace(bytes, start, end);
    if (p === end) return;
    const row = this.rows;
    if (!this.#record(bytes, p, end, row)) {
      for (const sink of this.#sinks) sink.clear(row);
      const record = this.#slowRow(decoder.decode(bytes.subarray(start, end)), line);
      for (const key in record) {
        const c = this.#index.get(key);
        const value = record[key];
        if (c === undefined) throw new Misfit(); // a key the columns do not have
        if (value !== null && value !== undefined) (this.#sinks[c] as TextSink | ValueSink).value(row, value);
      }
    }
    this.rows++;
  }

  /** The batch's columns. */
  finish(): BatchColumn[] {
    return this.#sinks.map((sink) => sink.finish(this.rows));
  }

  /** Reads one record plainly; false when the line needs the general path. */
  #record(b: Uint8Array, p: number, end: number, row: number): boolean {
    if (b[p] !== 0x7b) return false;
    p = skipSpace(b, p + 1, end);
    if (b[p] === 0x7d) return skipSpace(b, p + 1, end) === end;
    let expected = 0;
    for (;;) {
      if (b[p] !== QUOTE) return false;
      let q = p + 1;
      while (q < end && b[q] !== QUOTE && b[q] !== BACKSLASH) q++;
      if (q >= end || b[q] === BACKSLASH) return false;
      const c = this.#column(b, p + 1, q, expected);
      if (c < 0 || this.#seen[c] === row + 1) return false;
      this.#seen[c] = row + 1;
      p = skipSpace(b, q + 1, end);
      if (b[p] !== 0x3a) return false;
      p = this.#value(b, skipSpace(b, p + 1, end), end, this.#sinks[c] as TextSink | ValueSink, row);
      if (p < 0) return false;
      p = skipSpace(b, p, end);
      if (b[p] === 0x7d) return skipSpace(b, p + 1, end) === end;
      if (b[p] !== 0x2c) return false;
      p = skipSpace(b, p + 1, end);
      expected = c + 1;
    }
  }

  /** The column whose key is `b[from, to)`, tried first where the last record had it; -1 for none. */
  #column(b: Uint8Array, from: number, to: number, expected: number): number {
    if (expected < this.#keys.length && sameBytes(this.#keys[expected] as Uint8Array, b, from, to)) return expected;
    for (let c = 0; c < this.#keys.length; c++) if (sameBytes(this.#keys[c] as Uint8Array, b, from, to)) return c;
    return -1;
  }

  /** Reads the value at `p` into `sink`; the position after it, or -1 when the general path must read the line. */
  #value(b: Uint8Array, p: number, end: number, sink: TextSink | ValueSink, row: number): number {
    const ch = b[p] as number;
    if (ch === QUOTE) return stringValue(b, p, end, sink, row);
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return numberValue(b, p, end, sink, row);
    if (ch === 0x7b || ch === 0x5b) {
      const q = containerEnd(b, p, end);
      if (q < 0) return -1;
      const text = decoder.decode(b.subarray(p, q));
      let value: unknown;
      try {
        value = this.#parse(text);
      } catch {
        return -1;
      }
      sink.value(row, value);
      return q;
    }
    if (literal(b, p, end, 'null')) return p + 4;
    if (literal(b, p, end, 'true')) {
      sink.value(row, true);
      return p + 4;
    }
    if (literal(b, p, end, 'false')) {
      sink.value(row, false);
      return p + 5;
    }
    return -1;
  }
}

function stringValue(b: Uint8Array, p: number, end: number, sink: TextSink | ValueSink, row: number): number {
  let q = p + 1;
  let escaped = false;
  let high = false;
  let valid = true;
  for (; q < end; q++) {
    const x = b[q] as number;
    if (x === QUOTE) break;
    if (x === BACKSLASH) {
      escaped = true;
      q++;
    } else if (x >= 0x80) {
      high = true;
      const n = utf8Continuations(b, q, end);
      if (n < 0) valid = false;
      else q += n;
    } else if (x < 0x20) return -1; // a raw control character: not JSON
  }
  if (q >= end) return -1;
  if (sink instanceof TextSink && !escaped && valid) {
    sink.bytes(row, b, p + 1, q);
    return q + 1;
  }
  let text: string;
  try {
    text = escaped || high ? (JSON.parse(decoder.decode(b.subarray(p, q + 1))) as string) : latin1(b, p + 1, q);
  } catch {
    return -1;
  }
  sink.value(row, text);
  return q + 1;
}

function numberValue(b: Uint8Array, p: number, end: number, sink: TextSink | ValueSink, row: number): number {
  // A plain integer of up to 15 digits is read from its digits; anything else from its text.
  const negative = b[p] === 0x2d;
  let q = negative ? p + 1 : p;
  let n = 0;
  for (; q < end && q - p < 16; q++) {
    const x = (b[q] as number) - 0x30;
    if (x < 0 || x > 9) break;
    n = n * 10 + x;
  }
  const digits = q - p - (negative ? 1 : 0);
  const next = q < end ? (b[q] as number) : 0;
  if (
    digits > 0 &&
    (digits === 1 || b[negative ? p + 1 : p] !== 0x30) &&
    q - p < 16 &&
    !(next >= 0x30 && next <= 0x39) &&
    next !== 0x2e &&
    next !== 0x65 &&
    next !== 0x45
  ) {
    sink.value(row, negative ? -n : n);
    return q;
  }
  let real = false;
  for (q = p; q < end; q++) {
    const x = b[q] as number;
    if (x >= 0x30 && x <= 0x39) continue;
    if (x === 0x2e || x === 0x65 || x === 0x45 || x === 0x2b) real = true;
    else if (x !== 0x2d) break;
  }
  const text = latin1(b, p, q);
  if (!REAL.test(text)) return -1;
  const value = Number(text);
  // As JSON.parse with each number's source (src/db/json-load.ts): an integer past 2^53 exactly, within BIGINT.
  if (!real && !Number.isSafeInteger(value)) {
    const exact = BigInt(text);
    sink.value(row, exact >= -(2n ** 63n) && exact < 2n ** 63n ? exact : value);
  } else sink.value(row, value);
  return q;
}

/** One column of a batch built as Arrow Utf8 as it is read: bytes copied, strings written in. */
class TextSink {
  readonly #offsets: Int32Array;
  readonly #valid: Uint8Array;
  readonly #convert: (value: unknown) => unknown;
  #data: Uint8Array;
  #used = 0;
  /** Rows whose offsets are written. */
  #filled = 0;
  #validCount = 0;

  /** `bytes`: room to start with (the last batch's size, so a batch is seldom copied to grow). */
  constructor(capacity: number, convert: (value: unknown) => unknown, bytes: number) {
    this.#data = new Uint8Array(Math.max(1 << 16, bytes));
    this.#offsets = new Int32Array(capacity + 1);
    this.#valid = new Uint8Array((capacity + 7) >> 3);
    this.#convert = convert;
  }

  bytes(row: number, src: Uint8Array, from: number, to: number): void {
    this.#reach(row);
    const length = to - from;
    if (this.#used + length > this.#data.length) this.#data = grown(this.#data, this.#used + length);
    if (length > 32) this.#data.set(src.subarray(from, to), this.#used);
    else for (let j = 0; j < length; j++) this.#data[this.#used + j] = src[from + j] as number;
    this.#used += length;
    this.#set(row);
  }

  value(row: number, value: unknown): void {
    const text = this.#convert(value) as string;
    this.#reach(row);
    if (this.#used + text.length * 3 > this.#data.length) this.#data = grown(this.#data, this.#used + text.length * 3);
    this.#used = writeUtf8(text, this.#data, this.#used);
    this.#set(row);
  }

  clear(row: number): void {
    if (this.#filled !== row + 1) return;
    this.#used = this.#offsets[row] as number;
    this.#valid[row >> 3] = (this.#valid[row >> 3] as number) & ~(1 << (row & 7));
    this.#validCount--;
    this.#filled = row;
  }

  get size(): number {
    return this.#used;
  }

  finish(rows: number): BatchColumn {
    this.#reach(rows);
    const nullCount = rows - this.#validCount;
    const data = arrow.makeData({
      type: new arrow.Utf8(),
      length: rows,
      nullCount,
      nullBitmap: nullCount > 0 ? this.#valid : undefined,
      valueOffsets: this.#offsets.subarray(0, rows + 1),
      data: this.#data.subarray(0, this.#used),
    });
    return { data };
  }

  /** Rows before `row` that got no value are null. */
  #reach(row: number): void {
    for (; this.#filled < row; this.#filled++) this.#offsets[this.#filled + 1] = this.#used;
  }

  #set(row: number): void {
    this.#offsets[row + 1] = this.#used;
    this.#valid[row >> 3] = (this.#valid[row >> 3] as number) | (1 << (row & 7));
    this.#validCount++;
    this.#filled = row + 1;
  }
}

/** One column of a batch as converted values, built into Arrow when the batch is done. */
class ValueSink {
  readonly #values: unknown[];
  readonly #convert: (value: unknown) => unknown;

  constructor(capacity: number, convert: (value: unknown) => unknown) {
    this.#values = new Array<unknown>(capacity).fill(null);
    this.#convert = convert;
  }

  value(row: number, value: unknown): void {
    this.#values[row] = this.#convert(value);
  }

  clear(row: number): void {
    this.#values[row] = null;
  }

  finish(rows: number): BatchColumn {
    this.#values.length = rows;
    return { values: this.#values };
  }
}

function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    p++;
  }
  return p;
}

function sameBytes(key: Uint8Array, b: Uint8Array, from: number, to: number): boolean {
  if (key.length !== to - from) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== b[from + i]) return false;
  return true;
}

function literal(b: Uint8Array, p: number, end: number, word: string): boolean {
  if (p + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The position after the object or array that opens at `p`; -1 when the line ends inside it. */
function containerEnd(b: Uint8Array, p: number, end: number): number {
  let depth = 0;
  for (let q = p; q < end; q++) {
    const x = b[q];
    if (x === QUOTE) {
      for (q++; q < end && b[q] !== QUOTE; q++) if (b[q] === BACKSLASH) q++;
    } else if (x === 0x7b || x === 0x5b) depth++;
    else if ((x === 0x7d || x === 0x5d) && --depth === 0) return q + 1;
  }
  return -1;
}

/** ASCII bytes as a string (the caller has seen none at or above 0x80). */
function latin1(b: Uint8Array, from: number, to: number): string {
  return to - from < 4096 ? String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]) : decoder.decode(b.subarray(from, to));
}

/**
 * How many continuation bytes follow the lead byte at `i`, when the sequence is well-formed UTF-8;
 * -1 when not (the string is then decoded, as TextDecoder replaces what is not).
 */
function utf8Continuations(b: Uint8Array, i: number, end: number): number {
  const x = b[i] as number;
  const n = x >= 0xf0 && x <= 0xf4 ? 3 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xc2 && x <= 0xdf ? 1 : -1;
  if (n < 0 || i + n >= end) return -1;
  for (let k = 1; k <= n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return -1;
  const second = b[i + 1] as number;
  if ((x === 0xe0 && second < 0xa0) || (x === 0xed && second >= 0xa0) || (x === 0xf0 && second < 0x90) || (x === 0xf4 && second >= 0x90)) return -1;
  return n;
}
