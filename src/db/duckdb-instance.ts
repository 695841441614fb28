import * as duckdb from 'duckdb-wasm-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { UdfBridge, type UdfRuntime } from '../bridge/udf-bridge';
import type { WasmModule } from '../bridge/wasm-heap';

export interface DuckDbInstance {
  readonly bindings: duckdb.DuckDBBindings;
  readonly conn: duckdb.DuckDBConnection;
  readonly bridge: UdfBridge;
  readonly version: string;
  readonly bundle: 'eh' | 'mvp';
  /** Size of the WASM heap: memory growth is the leak signal tests watch. */
  heapBytes(): number;
}

/**
 * Boots DuckDB-WASM on the blocking bindings inside the current worker. The blocking bindings are
 * the only ones with createScalarFunction (docs/design.md, "The UDF bridge"). The wasm files are Vite assets, so they are
 * served beside the app: no CDN, works offline and from any sub-path.
 */
export async function bootDuckDb(): Promise<DuckDbInstance> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: new URL(mvpWasm, import.meta.url).href, mainWorker: '' },
    eh: { mainModule: new URL(ehWasm, import.meta.url).href, mainWorker: '' },
  };
  const runtime = duckdb.BROWSER_RUNTIME;
  const bridge = new UdfBridge();
  // The wasm glue calls globalThis.DUCKDB_RUNTIME.callScalarUDF, which is this object.
  bridge.install(runtime as unknown as UdfRuntime);
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), runtime);
  await bindings.instantiate(() => {});
  bindings.open({
    query: { castBigIntToDouble: false, castDecimalToDouble: true },
  });
  const conn = bindings.connect();
  const features = await duckdb.getPlatformFeatures();
  // `mod` is on the bindings class, not on the DuckDBBindings interface createDuckDB returns.
  const mod = (bindings as unknown as { mod: WasmModule }).mod;
  return {
    bindings,
    conn,
    bridge,
    version: bindings.getVersion(),
    bundle: features.wasmExceptions ? 'eh' : 'mvp',
    heapBytes: () => mod.HEAPU8.byteLength,
  };
}
