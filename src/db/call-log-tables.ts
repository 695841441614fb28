import type { CallLogSink } from '../protocol/call-log';
import type { CallRecord, QueryRecord } from '../protocol/call-log';
import { quoteString } from './sql-quote';

const CALLS_DDL = `CREATE TABLE IF NOT EXISTS semantic_calls (
  query_id VARCHAR, operator VARCHAR, model VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
  duration_ms DOUBLE, status VARCHAR, attempts INTEGER, input_tokens INTEGER, output_tokens INTEGER,
  cost_usd DOUBLE, error VARCHAR, answers INTEGER, rows_in_request INTEGER, answer VARCHAR, tier VARCHAR)`;

const QUERIES_DDL = `CREATE TABLE IF NOT EXISTS semantic_queries (
  query_id VARCHAR, sql VARCHAR, started_at TIMESTAMP, status VARCHAR, passes INTEGER, calls INTEGER,
  cache_hits INTEGER, errors INTEGER, wall_ms DOUBLE, input_tokens INTEGER, output_tokens INTEGER,
  cost_usd DOUBLE, error VARCHAR, embedding_texts INTEGER, embedding_requests INTEGER, result VARCHAR)`;

type Value = string | number | null;

function literal(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return quoteString(value);
}

const ts = (ms: number) => `epoch_ms(${Math.round(ms)})`;

function callRow(r: CallRecord): string {
  return `(${[literal(r.query_id), literal(r.operator), literal(r.model), ts(r.started_at), ts(r.ended_at), literal(r.duration_ms), literal(r.status), literal(r.attempts), literal(r.input_tokens), literal(r.output_tokens), literal(r.cost_usd), literal(r.error), literal(r.answers), literal(r.rows_in_request), literal(r.answer ?? null), literal(r.tier ?? null)].join(', ')})`;
}

function queryRow(r: QueryRecord): string {
  return `(${[literal(r.query_id), literal(r.sql), ts(r.started_at), literal(r.status), literal(r.passes), literal(r.calls), literal(r.cache_hits), literal(r.errors), literal(r.wall_ms), literal(r.input_tokens), literal(r.output_tokens), literal(r.cost_usd), literal(r.error), literal(r.embedding_texts), literal(r.embedding_requests), literal(r.result)].join(', ')})`;
}

/**
 * Keeps the call log in memory as it happens (the client reads it from there, also mid-query) and
 * writes it into the DuckDB tables between passes, when the engine is not running a statement.
 */
export class CallLogTables implements CallLogSink {
  calls: CallRecord[] = [];
  queries: QueryRecord[] = [];
  /** The log keeps the calls and queries of this many latest queries, in memory and in the tables. */
  readonly retainedQueries: number;
  readonly #pendingCalls: CallRecord[] = [];
  readonly #pendingQueries: QueryRecord[] = [];
  readonly #evicted: string[] = [];
  readonly #run: (sql: string) => void;

  constructor(run: (sql: string) => void, retainedQueries = 200) {
    this.#run = run;
    this.retainedQueries = retainedQueries;
    run(CALLS_DDL);
    run(QUERIES_DDL);
  }

  call(record: CallRecord): void {
    this.calls.push(record);
    this.#pendingCalls.push(record);
  }

  query(record: QueryRecord): void {
    this.queries.push(record);
    this.#pendingQueries.push(record);
    const excess = this.queries.length - this.retainedQueries;
    if (excess <= 0) return;
    // A long session does not grow the log without bound: the oldest queries go, calls and all.
    const gone = new Set(this.queries.slice(0, excess).map((q) => q.query_id));
    this.queries = this.queries.slice(excess);
    this.calls = this.calls.filter((c) => !gone.has(c.query_id));
    this.#evicted.push(...gone);
  }

  /** Appends what is pending, 500 rows a statement. */
  flush(): void {
    // Taken before writing: a failed write is not retried, so no row is ever inserted twice.
    const calls = this.#pendingCalls.splice(0);
    const queries = this.#pendingQueries.splice(0);
    for (let i = 0; i < calls.length; i += 500) {
      this.#run(
        `INSERT INTO semantic_calls VALUES ${calls
          .slice(i, i + 500)
          .map(callRow)
          .join(',\n')}`,
      );
    }
    for (let i = 0; i < queries.length; i += 500) {
      this.#run(
        `INSERT INTO semantic_queries VALUES ${queries
          .slice(i, i + 500)
          .map(queryRow)
          .join(',\n')}`,
      );
    }
    const evicted = this.#evicted.splice(0);
    for (let i = 0; i < evicted.length; i += 500) {
      const ids = evicted
        .slice(i, i + 500)
        .map(literal)
        .join(', ');
      this.#run(`DELETE FROM semantic_calls WHERE query_id IN (${ids})`);
      this.#run(`DELETE FROM semantic_queries WHERE query_id IN (${ids})`);
    }
  }
}
