export { SemSQL } from './semsql';
export type { LoadInput, OpenOptions, QueryOptions, QueryResult } from './semsql';
export type { CacheStats } from '../cache/answer-cache';
export type { CallRecord, QueryRecord } from '../engine/call-log';
export type { DataFormat, LoadedTable } from '../protocol/data-source';
export type { EngineInfo, EngineStats, ExplainResult, OperatorInfo, TableInfo } from '../protocol/duckdb-worker-api';
export type { QueryProgress, QueryStats } from '../protocol/progress';
export type { ResultColumn } from '../protocol/results';
export type { EngineSettings, SettingsPatch } from '../protocol/settings';
