import type { ExplainResult, QueryResponse } from '../protocol/duckdb-worker-api';
import type { QueryProgress, QueryStats } from '../protocol/progress';
import { engineErrorInUserTerms, parseScript, SemanticSqlError } from '../sql';
import type { CallLog, EngineRuntime } from './engine-runtime';
import { QueryCancelledError } from './executor';
import { emptyExplain, explainQuery } from './explain';
import { resolveOptions } from './resolve-options';
import { addStats, ZERO_STATS, type StatementOutput } from './query-stats';
import { joinReaders, runStatement } from './run-statement';
import { textTable } from './text-table';

/**
 * A script, statement by statement: parsed once, each statement run (src/engine/run-statement.ts),
 * their stats added up, the query logged, and any error told in the user's terms. The result is the
 * last statement's.
 */
export async function runScript<R>(
  runtime: EngineRuntime<R>,
  queryId: string,
  sql: string,
  onProgress?: (progress: QueryProgress) => void,
): Promise<QueryResponse> {
  const booted = await runtime.ready();
  const { log } = booted.parts;
  // What the previous script logged is in the tables before this one can read them.
  flushLog(log, runtime.warn);
  const controller = new AbortController();
  runtime.running.set(queryId, controller);
  runtime.warnings.begin(queryId);
  const started = Date.now();
  let response: QueryResponse | undefined;
  try {
    const statements = parseScript(sql, { registry: booted.catalog.registry });
    let last: StatementOutput = { result: textTable([], []), stats: ZERO_STATS };
    const total = { ...ZERO_STATS };
    const saved: string[] = [];
    for (const statement of statements) {
      // DuckDB's errors about what semsql ran are told in the user's terms (src/sql/engine-error.ts).
      last = await runStatement({ runtime, booted, statement, source: sql, queryId, signal: controller.signal, ...(onProgress ? { onProgress } : {}) }).catch(
        (error: unknown) => {
          throw engineErrorInUserTerms(error, 'sourceMap' in statement ? statement : { sql: '' }, sql);
        },
      );
      addStats(total, last.stats);
      saved.push(...(last.saved ?? []));
    }
    total.wall_ms = Date.now() - started;
    logQuery(log, { queryId, sql, started, status: 'ok', stats: total, error: null });
    response = {
      queryId,
      result: last.result,
      stats: total,
      warnings: [],
      ...(last.visual ? { visual: last.visual } : {}),
      ...(saved.length > 0 ? { savedTables: saved } : {}),
    };
  } catch (error) {
    throw failed(error, { log, queryId, sql, started, aborted: controller.signal.aborted });
  } finally {
    runtime.running.delete(queryId);
    // Written once the result is on its way: 1,000 calls took 1.3 s to insert on a busy machine
    // (bench case rate-limited), time the page waited for the result.
    setTimeout(() => flushLog(log, runtime.warn));
    const mine = runtime.warnings.end(queryId);
    if (response) response.warnings = mine;
  }
  return response;
}

/** A failed script: logged, and turned into the one error the page shows (an AbortError when cancelled). */
function failed(error: unknown, at: { log: CallLog; queryId: string; sql: string; started: number; aborted: boolean }): Error {
  const cancelled = error instanceof QueryCancelledError || at.aborted;
  const message =
    error instanceof SemanticSqlError
      ? error.format(at.sql)
      : cancelled && !(error instanceof QueryCancelledError)
        ? 'query cancelled'
        : (error as Error).message;
  logQuery(at.log, {
    queryId: at.queryId,
    sql: at.sql,
    started: at.started,
    status: cancelled ? 'cancelled' : 'error',
    stats: { ...ZERO_STATS, wall_ms: Date.now() - at.started },
    error: message,
  });
  const failure = new Error(message);
  failure.name = cancelled ? 'AbortError' : error instanceof Error ? error.name : 'Error';
  return failure;
}

/**
 * EXPLAIN of a script: the first statement that may call operators (one with operators written in
 * it, or one that reads a view or macro holding them), as the run would plan it.
 */
export async function explainScript<R>(runtime: EngineRuntime<R>, sql: string): Promise<ExplainResult> {
  const booted = await runtime.ready();
  const { parts, catalog } = booted;
  const statement = parseScript(sql, { registry: catalog.registry }).find(
    (s) => s.kind === 'query' || s.kind === 'explain' || (s.kind === 'passthrough' && s.effect.kind !== 'transaction'),
  );
  if (!statement || (statement.kind !== 'query' && statement.kind !== 'explain' && statement.kind !== 'passthrough'))
    return emptyExplain(sql, parts.connection);
  const explained = statement.kind === 'passthrough' ? { ...statement, callSites: [] } : statement;
  const options = resolveOptions(statement.options, runtime.settings, statement.sql);
  return explainQuery(
    { db: parts.db, cache: parts.cache, connection: parts.connection, ...joinReaders(booted) },
    explained,
    sql,
    options,
    `explain_${Date.now().toString(36)}`,
  );
}

/** The call log must never fail a query: a failed write is reported once, and its rows stay in memory. */
function flushLog(log: CallLog, warn: (message: string) => void): void {
  try {
    log.flush();
  } catch (error) {
    warn(`The call log tables could not be written (${(error as Error).message}); callLog() still has every row.`);
  }
}

function logQuery(
  log: CallLog,
  q: { queryId: string; sql: string; started: number; status: 'ok' | 'error' | 'cancelled'; stats: QueryStats; error: string | null },
): void {
  const { stats } = q;
  log.query({
    query_id: q.queryId,
    sql: q.sql,
    started_at: q.started,
    status: q.status,
    passes: stats.passes,
    calls: stats.calls,
    cache_hits: stats.cached,
    errors: stats.errors,
    wall_ms: stats.wall_ms,
    input_tokens: stats.input_tokens,
    output_tokens: stats.output_tokens,
    cost_usd: stats.cost_usd,
    error: q.error,
    embedding_texts: stats.embedding_texts,
    embedding_requests: stats.embedding_requests,
    result: stats.estimate?.reason ?? 'exact',
  });
}
