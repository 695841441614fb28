/**
 * The slice of an Emscripten module the bridge needs. Declared here rather than imported from
 * duckdb-wasm's types so the bridge can be unit-tested in Node against a simulated heap.
 *
 * HEAPU8/HEAPF64 are read through the module every time: a malloc may grow the memory, and
 * Emscripten then replaces the views, so a view held across a malloc would point at a dead buffer.
 */
export interface WasmModule {
  readonly HEAPU8: Uint8Array;
  readonly HEAPF64: Float64Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
}

export function f64View(mod: WasmModule, ptr: number, length: number): Float64Array {
  return new Float64Array(mod.HEAPU8.buffer, ptr, length);
}

export function bytesView(mod: WasmModule, ptr: number, length: number): Uint8Array {
  return mod.HEAPU8.subarray(ptr, ptr + length);
}

export function mallocBytes(mod: WasmModule, bytes: Uint8Array): number {
  const ptr = mod._malloc(Math.max(1, bytes.byteLength));
  mod.HEAPU8.set(bytes, ptr);
  return ptr;
}
