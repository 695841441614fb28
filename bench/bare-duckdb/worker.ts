import * as duckdb from 'duckdb-wasm-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';

/** DuckDB-WASM's own boot, as src/db/duckdb-instance.ts does it, then one query. */
async function boot(): Promise<string> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: new URL(mvpWasm, import.meta.url).href, mainWorker: '' },
    eh: { mainModule: new URL(ehWasm, import.meta.url).href, mainWorker: '' },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.BROWSER_RUNTIME);
  await bindings.instantiate(() => {});
  bindings.open({ query: { castBigIntToDouble: false, castDecimalToDouble: true } });
  const conn = bindings.connect();
  return String(conn.query('SELECT 42 AS answer').getChildAt(0)?.get(0));
}

boot().then(
  (detail) => self.postMessage({ ok: true, detail }),
  (error: unknown) => self.postMessage({ ok: false, detail: String(error) }),
);
