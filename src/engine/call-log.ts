import type { CallRecord, QueryRecord } from '../protocol/call-log';

/** Where the executor writes its call log (the DuckDB tables and the client's copy). */
export interface CallLogSink {
  call(record: CallRecord): void;
  query(record: QueryRecord): void;
}
