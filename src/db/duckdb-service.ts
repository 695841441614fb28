import type { DataSource, LoadOptions } from '../protocol/data-source';
import type { DuckDbWorkerApi, EngineInfo, TableInfo } from '../protocol/duckdb-worker-api';
import { arrowToColumnar } from './arrow-result';
import { bootDuckDb, type DuckDbInstance } from './duckdb-instance';
import { explainEngineError } from './engine-errors';
import { loadData } from './load-data';

/** The DuckDB worker's implementation; the worker file only exposes it over Comlink. */
export function createDuckDbService(): DuckDbWorkerApi {
  let instance: Promise<DuckDbInstance> | null = null;
  const db = () => (instance ??= bootDuckDb());

  return {
    async open(): Promise<EngineInfo> {
      const { version, bundle } = await db();
      return { duckdbVersion: version, bundle };
    },
    async query(sql) {
      const d = await db();
      try {
        return arrowToColumnar(d.conn.query(sql));
      } catch (error) {
        throw new Error(explainEngineError((error as Error).message, sql));
      } finally {
        d.bridge.release();
      }
    },
    async load(source: DataSource, options: LoadOptions) {
      return loadData(await db(), source, options);
    },
    async tables(): Promise<TableInfo[]> {
      const d = await db();
      const result = arrowToColumnar(
        d.conn.query(
          `SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'main' AND table_name NOT LIKE '\\_\\_sem%' ESCAPE '\\'
           ORDER BY table_name, ordinal_position`,
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
    async heapBytes() {
      return (await db()).heapBytes();
    },
  };
}
