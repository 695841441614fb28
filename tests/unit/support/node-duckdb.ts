import { createRequire } from 'node:module';
import * as arrow from 'apache-arrow';
import { UdfBridge, type BatchFunction, type UdfRuntime } from '../../../src/bridge/udf-bridge';

/**
 * Real DuckDB-WASM in Node (its blocking Node bindings, the same 1.32 engine the app runs) with
 * semsql's UDF bridge installed, for unit tests whose point is what DuckDB does with rewritten SQL:
 * which rows a bridge function is called for, what a query returns. The browser tests run the same
 * engine inside the app.
 */

const require = createRequire(import.meta.url);

interface Connection {
  query(sql: string): arrow.Table;
  createScalarFunction(name: string, returns: arrow.DataType, fn: () => null): void;
}

export interface NodeDuckDb {
  /** Runs `sql`; rows as plain objects (numbers for integers). */
  rows(sql: string): Record<string, unknown>[];
  /** Registers `name` as a bridge function answered by `fn`, chunk by chunk. */
  define(name: string, returns: 'BOOLEAN' | 'DOUBLE' | 'VARCHAR', fn: BatchFunction): void;
}

const TYPES = { BOOLEAN: new arrow.Bool(), DOUBLE: { typeId: arrow.Type.Float64 } as unknown as arrow.DataType, VARCHAR: new arrow.Utf8() };

export async function nodeDuckDb(): Promise<NodeDuckDb> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as {
    NODE_RUNTIME: unknown;
    VoidLogger: new () => unknown;
    createDuckDB(
      bundles: unknown,
      logger: unknown,
      runtime: unknown,
    ): Promise<{ instantiate(): Promise<void>; open(config: object): void; connect(): Connection }>;
  };
  const dist = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm').replace(/duckdb-mvp\.wasm$/, '');
  const bridge = new UdfBridge();
  bridge.install(duckdb.NODE_RUNTIME as UdfRuntime);
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: '' }, eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({ query: { castBigIntToDouble: true } });
  const conn = db.connect();
  const defined = new Set<string>();
  return {
    rows(sql) {
      const table = conn.query(sql);
      return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
    },
    define(name, returns, fn) {
      bridge.define(name, fn);
      if (defined.has(name)) return;
      conn.createScalarFunction(name, TYPES[returns], () => null);
      defined.add(name);
    },
  };
}
