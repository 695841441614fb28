import * as arrow from 'apache-arrow';
import type { BatchFunction } from '../bridge/udf-bridge';
import type { DataSource, LoadOptions, LoadProgress } from '../protocol/data-source';
import type { TableInfo } from '../protocol/duckdb-worker-api';
import type { OperatorDef } from '../sql';
import { arrowToColumnar } from './arrow-result';
import type { DuckDbInstance } from './duckdb-instance';
import { ensureExtensionReachable } from './extension-guard';
import { loadData } from './load-data';
import { createStatementRunner } from './statement-runner';

/** Arrow types by SQL return type. Float64 is passed by id: see the note in the bridge probe. */
const RETURN_TYPES: Record<OperatorDef['returns'], arrow.DataType> = {
  BOOLEAN: new arrow.Bool(),
  DOUBLE: { typeId: arrow.Type.Float64 } as unknown as arrow.DataType,
  VARCHAR: new arrow.Utf8(),
};

/**
 * Bridge and embedding calls written in views and macros: `__sem_` and `__emb_` occurrences in their
 * definitions (the embedding hooks' own macros count a few too: only a bound on passes rises).
 */
const HIDDEN_CALLS_SQL = `SELECT coalesce(sum((length(def) - length(replace(replace(def, '__sem_', ''), '__emb_', ''))) // 6), 0)::INTEGER AS n FROM (
  SELECT sql AS def FROM duckdb_views() WHERE NOT internal
  UNION ALL SELECT macro_definition AS def FROM duckdb_functions() WHERE NOT internal AND macro_definition IS NOT NULL)`;

/**
 * The DuckDB adapter behind the engine's EngineDatabase port: statements on the main connection, one
 * at a time and cancellable (statement-runner.ts); catalog reads and the call log on a side
 * connection, so they never wait for, or break into, a running statement.
 */
export function createEngineDatabase<A>(db: DuckDbInstance, setActive: (active: A | null) => void) {
  const runner = createStatementRunner<A>(db, setActive);
  const registered = new Set<string>();
  return {
    version: db.version,
    bundle: db.bundle,
    exclusive: runner.exclusive,
    /** For the call log tables. */
    side: (sql: string) => void runner.side(sql),
    rowCount: (table: arrow.Table) => table.numRows,
    toColumnar: arrowToColumnar,
    hiddenOperatorCalls(): number {
      return Number(runner.side(HIDDEN_CALLS_SQL).getChildAt(0)?.get(0) ?? 0);
    },
    defineUdf(op: OperatorDef, fn: BatchFunction): Promise<void> {
      return runner.exclusive(async () => {
        db.bridge.define(op.udf, fn);
        if (registered.has(op.udf)) return;
        db.conn.createScalarFunction(op.udf, RETURN_TYPES[op.returns], () => null);
        registered.add(op.udf);
      });
    },
    /** Runs a definition (a macro the embedding hooks need) between statements. */
    define: (sql: string): Promise<void> =>
      runner.exclusive(async () => {
        db.conn.query(sql);
      }),
    load: (source: DataSource, options: LoadOptions, onProgress?: (p: LoadProgress) => void) =>
      runner.exclusive(() => loadData(db, source, options, onProgress)),
    tables(): TableInfo[] {
      const result = arrowToColumnar(
        runner.side(
          `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
        ),
      );
      const byTable = new Map<string, TableInfo>();
      const [names = [], columns = [], types = []] = result.values;
      names.forEach((name, i) => {
        const key = String(name);
        const info = byTable.get(key) ?? { name: key, columns: [] };
        info.columns.push({ name: String(columns[i]), type: String(types[i]) });
        byTable.set(key, info);
      });
      return [...byTable.values()];
    },
    ensureExtensions: (sql: string) => ensureExtensionReachable(db, sql, (q) => runner.side(q)),
    heapBytes: () => db.heapBytes(),
  };
}
