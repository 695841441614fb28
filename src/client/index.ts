export { SemSQL } from './semsql';
export type { LoadInput, OpenOptions, QueryOptions, QueryResult, QueryStats } from './semsql';
export type { DataFormat, LoadedTable } from '../protocol/data-source';
export type { EngineInfo, TableInfo } from '../protocol/duckdb-worker-api';
export type { ResultColumn } from '../protocol/results';
