import { describe, expect, it } from 'vitest';
import { UdfBridge, type UdfRuntime } from '../../../src/bridge/udf-bridge';
import type { WasmModule } from '../../../src/bridge/wasm-heap';

/**
 * A simulated Emscripten heap (bump allocator with a free list count) so the bridge's memory
 * protocol can be checked exactly in Node. The same protocol is checked against real DuckDB in
 * tests/e2e/bridge.test.ts.
 */
function fakeModule(size = 1 << 20): WasmModule & { live: Set<number> } {
  const buffer = new ArrayBuffer(size);
  let next = 64;
  const live = new Set<number>();
  return {
    HEAPU8: new Uint8Array(buffer),
    HEAPF64: new Float64Array(buffer),
    live,
    _malloc(n: number) {
      const ptr = next;
      next += Math.ceil(n / 8) * 8;
      live.add(ptr);
      return ptr;
    },
    _free(ptr: number) {
      if (!live.delete(ptr)) throw new Error(`double free of ${ptr}`);
    },
  };
}

const enc = new TextEncoder();

/** Lays out one VARCHAR argument column the way DuckDB does and returns the descriptor pieces. */
function varcharCall(mod: WasmModule, values: (string | null)[], retType: string) {
  const rows = values.length;
  const encoded = values.map((v) => enc.encode(v ?? ''));
  const strings = mod._malloc(encoded.reduce((a, b) => a + b.length, 0) + 1);
  const data = mod._malloc(rows * 8);
  const lengths = mod._malloc(rows * 8);
  const validity = mod._malloc(rows);
  let at = strings;
  encoded.forEach((b, i) => {
    mod.HEAPU8.set(b, at);
    mod.HEAPF64[(data >> 3) + i] = at;
    mod.HEAPF64[(lengths >> 3) + i] = b.length;
    mod.HEAPU8[validity + i] = values[i] === null ? 0 : 1;
    at += b.length;
  });
  const ptrs = mod._malloc(24);
  mod.HEAPF64[ptrs >> 3] = validity;
  mod.HEAPF64[(ptrs >> 3) + 1] = data;
  mod.HEAPF64[(ptrs >> 3) + 2] = lengths;
  const desc = enc.encode(
    JSON.stringify({ rows, args: [{ physicalType: 'VARCHAR', validityBuffer: 0, dataBuffer: 1, lengthBuffer: 2 }], ret: { physicalType: retType } }),
  );
  const descPtr = mod._malloc(desc.length);
  mod.HEAPU8.set(desc, descPtr);
  const response = mod._malloc(24);
  return { descPtr, descSize: desc.length, ptrs, response };
}

function setup(fn: (cols: unknown[][], rows: number) => unknown[]) {
  const runtime: UdfRuntime = { _udfFunctions: new Map([[7, { name: 'f' }]]), callScalarUDF: () => {} };
  const bridge = new UdfBridge();
  bridge.install(runtime);
  bridge.define('f', fn);
  const mod = fakeModule();
  const call = (values: (string | null)[], ret: string) => {
    const c = varcharCall(mod, values, ret);
    runtime.callScalarUDF(mod, c.response, 7, c.descPtr, c.descSize, c.ptrs, 24);
    return c.response;
  };
  return { bridge, mod, call, runtime };
}

function readVarcharResult(mod: WasmModule, response: number, rows: number): (string | null)[] {
  expect(mod.HEAPF64[response >> 3]).toBe(0);
  const block = mod.HEAPF64[(response >> 3) + 1] as number;
  const [data, validity, lengths] = [0, 1, 2].map((i) => mod.HEAPF64[(block >> 3) + i] as number) as [number, number, number];
  return Array.from({ length: rows }, (_, i) => {
    if (mod.HEAPU8[validity + i] === 0) return null;
    const ptr = mod.HEAPF64[(data >> 3) + i] as number;
    const len = mod.HEAPF64[(lengths >> 3) + i] as number;
    return new TextDecoder().decode(mod.HEAPU8.subarray(ptr, ptr + len));
  });
}

describe('UdfBridge', () => {
  it('hands whole columns to the batch function and writes VARCHAR results with absolute pointers', () => {
    const seen: unknown[][][] = [];
    const { mod, call } = setup((cols, rows) => {
      seen.push(cols);
      return (cols[0] as (string | null)[]).slice(0, rows).map((s) => (s === null ? null : `«${s}»`));
    });
    const response = call(['a', null, 'ü😀'], 'VARCHAR');
    expect(seen).toEqual([[['a', null, 'ü😀']]]);
    expect(readVarcharResult(mod, response, 3)).toEqual(['«a»', null, '«ü😀»']);
  });

  it('frees the VARCHAR buffers it owns at the next call and on release, never twice', () => {
    const { mod, call, bridge } = setup((cols) => (cols[0] as unknown[]).map((s) => s));
    const INPUTS = 7; // what varcharCall allocates per call, standing in for DuckDB's side
    const TAKEN_BY_DUCKDB = 2; // validity and the 24-byte block, freed by C++
    const OURS = 3; // string buffer, pointer array, lengths array
    call(['x', 'y'], 'VARCHAR');
    expect(mod.live.size).toBe(INPUTS + TAKEN_BY_DUCKDB + OURS);
    call(['x', 'y'], 'VARCHAR'); // frees the first call's three buffers, allocates three more
    expect(mod.live.size).toBe(2 * (INPUTS + TAKEN_BY_DUCKDB) + OURS);
    bridge.release();
    bridge.release(); // a second release frees nothing twice (the fake heap throws on that)
    expect(mod.live.size).toBe(2 * (INPUTS + TAKEN_BY_DUCKDB));
  });

  it('writes BOOLEAN and DOUBLE results as fixed-width buffers', () => {
    const { mod, call } = setup((cols) => (cols[0] as (string | null)[]).map((s) => (s === null ? null : s.length)));
    const response = call(['ab', null, 'abcd'], 'DOUBLE');
    const block = mod.HEAPF64[(response >> 3) + 1] as number;
    const data = mod.HEAPF64[block >> 3] as number;
    const validity = mod.HEAPF64[(block >> 3) + 1] as number;
    expect(Array.from(new Float64Array(mod.HEAPU8.buffer, data, 3))).toEqual([2, 0, 4]);
    expect(Array.from(mod.HEAPU8.subarray(validity, validity + 3))).toEqual([1, 0, 1]);
  });

  it('reports a thrown error as the query error with its message', () => {
    const { mod, call } = setup(() => {
      throw new Error('model unavailable');
    });
    const response = call(['a'], 'VARCHAR');
    expect(mod.HEAPF64[response >> 3]).toBe(1);
    const ptr = mod.HEAPF64[(response >> 3) + 1] as number;
    const len = mod.HEAPF64[(response >> 3) + 2] as number;
    expect(new TextDecoder().decode(mod.HEAPU8.subarray(ptr, ptr + len))).toBe('model unavailable');
  });

  it('rejects a batch function that returns the wrong number of values', () => {
    const { mod, call } = setup(() => ['only one']);
    const response = call(['a', 'b'], 'VARCHAR');
    expect(mod.HEAPF64[response >> 3]).toBe(1);
  });
});
