import { bytesView, f64View, mallocBytes, type WasmModule } from './wasm-heap';

/**
 * The vectorized UDF bridge: DuckDB hands JS a whole chunk of rows per call; the stock runtime then
 * calls the user function once per row and writes VARCHAR/BOOLEAN/BIGINT results wrongly (see
 * docs/design.md, "The UDF bridge"). This module replaces `runtime.callScalarUDF`, decodes every argument
 * column at once, calls one batch function per chunk and writes the results in the layout the C++
 * side expects.
 */

/** Whole argument columns in, one result per row out. `null`/`undefined` results are SQL NULL. */
export type BatchFunction = (columns: unknown[][], rows: number) => unknown[];

interface ArgDescriptor {
  physicalType: string;
  validityBuffer?: number;
  dataBuffer?: number | null;
  lengthBuffer?: number | null;
  children?: ArgDescriptor[];
  name?: string;
}

interface CallDescriptor {
  rows: number;
  args: ArgDescriptor[];
  ret: { physicalType: string };
}

/** The runtime fields the bridge uses; `_udfFunctions` maps DuckDB's function ids to names. */
export interface UdfRuntime {
  _udfFunctions: Map<number, { name: string }>;
  callScalarUDF(mod: WasmModule, response: number, funcId: number, descPtr: number, descSize: number, ptrsPtr: number, ptrsSize: number): void;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class UdfBridge {
  readonly #functions = new Map<string, BatchFunction>();
  /** Buffers of the last VARCHAR result: DuckDB copies the strings, so they are ours to free. */
  #pendingFrees: number[] = [];
  #mod: WasmModule | null = null;

  /** Replaces the runtime's per-row UDF path with this bridge. */
  install(runtime: UdfRuntime): void {
    runtime.callScalarUDF = (mod, response, funcId, descPtr, descSize, ptrsPtr, ptrsSize) => {
      this.#mod = mod;
      this.release();
      const name = runtime._udfFunctions.get(funcId)?.name;
      const fn = name === undefined ? undefined : this.#functions.get(name);
      if (!fn) {
        writeError(mod, response, `semsql bridge: no batch function for UDF id ${funcId} (${name ?? 'unknown'})`);
        return;
      }
      this.#call(mod, fn, response, descPtr, descSize, ptrsPtr, ptrsSize);
    };
  }

  define(name: string, fn: BatchFunction): void {
    this.#functions.set(name, fn);
  }

  /** Frees what the last call left for us; also called after each query so nothing lingers. */
  release(): void {
    const mod = this.#mod;
    if (!mod) return;
    for (const ptr of this.#pendingFrees) mod._free(ptr);
    this.#pendingFrees = [];
  }

  #call(mod: WasmModule, fn: BatchFunction, response: number, descPtr: number, descSize: number, ptrsPtr: number, ptrsSize: number): void {
    try {
      const desc = JSON.parse(decoder.decode(bytesView(mod, descPtr, descSize).slice())) as CallDescriptor;
      // Copy: the pointer table lives on the heap, and decoding may not allocate, but writing will.
      const ptrs = Array.from(f64View(mod, ptrsPtr, ptrsSize / 8));
      const columns = desc.args.map((arg) => readColumn(mod, arg, ptrs, desc.rows));
      const results = fn(columns, desc.rows);
      if (!Array.isArray(results) || results.length !== desc.rows) {
        throw new Error(`batch function returned ${Array.isArray(results) ? results.length : typeof results} values for ${desc.rows} rows`);
      }
      this.#writeResult(mod, response, desc.ret.physicalType, results);
    } catch (error) {
      writeError(mod, response, error instanceof Error ? error.message : String(error));
    }
  }

  #writeResult(mod: WasmModule, response: number, physicalType: string, values: unknown[]): void {
    const rows = values.length;
    const validity = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) validity[i] = values[i] === null || values[i] === undefined ? 0 : 1;

    let dataPtr: number;
    let lengthsPtr = 0;
    if (physicalType === 'VARCHAR') {
      const encoded = values.map((v, i) => (validity[i] ? encoder.encode(String(v)) : EMPTY));
      const total = encoded.reduce((n, b) => n + b.byteLength, 0);
      const stringsPtr = mod._malloc(Math.max(1, total));
      dataPtr = mod._malloc(Math.max(8, rows * 8));
      lengthsPtr = mod._malloc(Math.max(8, rows * 8));
      const pointers = f64View(mod, dataPtr, rows);
      const lengths = f64View(mod, lengthsPtr, rows);
      let offset = stringsPtr;
      for (let i = 0; i < rows; i++) {
        const bytes = encoded[i] as Uint8Array;
        mod.HEAPU8.set(bytes, offset);
        // Absolute heap addresses: the stock runtime wrote offsets here, which is its NUL-bytes bug.
        pointers[i] = offset;
        lengths[i] = bytes.byteLength;
        offset += bytes.byteLength;
      }
      this.#pendingFrees.push(stringsPtr, dataPtr, lengthsPtr);
    } else {
      dataPtr = mallocBytes(mod, encodeFixedWidth(physicalType, values, validity));
    }
    const validityPtr = mallocBytes(mod, validity);
    const blockPtr = mod._malloc(24);
    const block = f64View(mod, blockPtr, 3);
    block[0] = dataPtr;
    block[1] = validityPtr;
    block[2] = lengthsPtr;
    const heap = mod.HEAPF64;
    heap[response >> 3] = 0;
    heap[(response >> 3) + 1] = blockPtr;
    heap[(response >> 3) + 2] = 0;
  }
}

const EMPTY = new Uint8Array(0);

function writeError(mod: WasmModule, response: number, message: string): void {
  const bytes = encoder.encode(message);
  const ptr = mallocBytes(mod, bytes);
  const heap = mod.HEAPF64;
  heap[response >> 3] = 1;
  heap[(response >> 3) + 1] = ptr;
  heap[(response >> 3) + 2] = bytes.byteLength;
}

function readColumn(mod: WasmModule, arg: ArgDescriptor, ptrs: number[], rows: number): unknown[] {
  const validity = arg.validityBuffer === undefined ? null : bytesView(mod, bufferAddress(ptrs, arg.validityBuffer), rows);
  const out: unknown[] = new Array(rows);
  const isNull = (i: number) => validity !== null && validity[i] === 0;

  if (arg.physicalType === 'STRUCT') {
    const children = (arg.children ?? []).map((child) => ({ name: child.name ?? '', values: readColumn(mod, child, ptrs, rows) }));
    for (let i = 0; i < rows; i++) {
      out[i] = isNull(i) ? null : Object.fromEntries(children.map((c) => [c.name, c.values[i]]));
    }
    return out;
  }
  if (arg.dataBuffer === undefined || arg.dataBuffer === null) {
    throw new Error(`malformed argument: no data buffer for ${arg.physicalType}`);
  }
  const data = bufferAddress(ptrs, arg.dataBuffer);
  if (arg.physicalType === 'VARCHAR') {
    if (arg.lengthBuffer === undefined || arg.lengthBuffer === null) throw new Error('malformed argument: no length buffer for VARCHAR');
    const pointers = f64View(mod, data, rows);
    const lengths = f64View(mod, bufferAddress(ptrs, arg.lengthBuffer), rows);
    const heap = mod.HEAPU8;
    // A value equal to the row before is not decoded again: constant arguments (the criterion of
    // `text MEANS 'x'`) arrive flattened, one copy per row, and decoding is the bridge's main cost.
    let prevPtr = -1;
    let prevLen = -1;
    let prev = '';
    for (let i = 0; i < rows; i++) {
      if (isNull(i)) {
        out[i] = null;
        continue;
      }
      const ptr = pointers[i] as number;
      const len = lengths[i] as number;
      if (len !== prevLen || (ptr !== prevPtr && !(len <= 16 && sameBytes(heap, ptr, prevPtr, len)))) {
        prev = decoder.decode(heap.subarray(ptr, ptr + len));
        prevLen = len;
      }
      prevPtr = ptr;
      out[i] = prev;
    }
    return out;
  }
  const view = fixedWidthView(mod, arg.physicalType, data, rows);
  for (let i = 0; i < rows; i++) out[i] = isNull(i) ? null : (view[i] as unknown);
  return out;
}

function bufferAddress(ptrs: number[], index: number): number {
  const address = ptrs[index];
  if (address === undefined) throw new Error(`malformed argument: buffer ${index} is not in the pointer table`);
  return address;
}

type NumericView = Float64Array | Float32Array | Int32Array | Int8Array | Uint8Array | BigInt64Array;

function fixedWidthView(mod: WasmModule, physicalType: string, ptr: number, rows: number): NumericView {
  const buffer = mod.HEAPU8.buffer;
  switch (physicalType) {
    case 'DOUBLE':
      return new Float64Array(buffer, ptr, rows);
    case 'FLOAT':
      return new Float32Array(buffer, ptr, rows);
    case 'INT32':
      return new Int32Array(buffer, ptr, rows);
    case 'INT8':
      return new Int8Array(buffer, ptr, rows);
    case 'UINT8':
    case 'BOOL':
      return new Uint8Array(buffer, ptr, rows);
    case 'INT64':
      return new BigInt64Array(buffer, ptr, rows);
    default:
      throw new Error(`semantic operators take text arguments; got physical type ${physicalType} (cast it to VARCHAR)`);
  }
}

/** Encodes fixed-width results; the buffer goes to DuckDB, which frees it. */
function encodeFixedWidth(physicalType: string, values: unknown[], validity: Uint8Array): Uint8Array {
  const rows = values.length;
  const valueAt = (i: number): unknown => (validity[i] ? values[i] : 0);
  switch (physicalType) {
    case 'DOUBLE': {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = toNumber(valueAt(i), physicalType);
      return new Uint8Array(out.buffer);
    }
    case 'INT32': {
      const out = new Int32Array(rows);
      for (let i = 0; i < rows; i++) out[i] = toInteger(valueAt(i), physicalType);
      return new Uint8Array(out.buffer);
    }
    case 'INT64': {
      const out = new BigInt64Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = valueAt(i);
        out[i] = typeof v === 'bigint' ? v : BigInt(toInteger(v, physicalType));
      }
      return new Uint8Array(out.buffer);
    }
    case 'BOOL':
    case 'UINT8':
    case 'INT8': {
      const out = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) out[i] = valueAt(i) ? 1 : 0;
      return out;
    }
    default:
      throw new Error(`semsql bridge cannot return physical type ${physicalType}`);
  }
}

function toNumber(value: unknown, type: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`expected a number for a ${type} result, got ${JSON.stringify(value)}`);
  return n;
}

function toInteger(value: unknown, type: string): number {
  const n = toNumber(value, type);
  if (!Number.isInteger(n)) throw new Error(`expected an integer for a ${type} result, got ${n}`);
  return n;
}

function sameBytes(heap: Uint8Array, a: number, b: number, length: number): boolean {
  if (b < 0) return false;
  for (let i = 0; i < length; i++) if (heap[a + i] !== heap[b + i]) return false;
  return true;
}
