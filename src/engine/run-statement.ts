import type { QueryProgress, QueryStats } from '../protocol/progress';
import type { ColumnarResult } from '../protocol/results';
import { generatedQuery, type OperatorDef, type ParsedStatement } from '../sql';
import type { Booted, EngineRuntime } from './engine-runtime';
import { executeQuery } from './executor';
import { explainQuery } from './explain';
import { explainTable } from './explain-table';
import { spellingText } from './operator-catalog';
import { resolveOptions } from './resolve-options';
import { dispatch, transactionAfter, type StatementAction } from './statement-dispatch';
import { textTable } from './text-table';

export const ZERO_STATS: QueryStats = { passes: 0, calls: 0, cached: 0, errors: 0, attempts: 0, wall_ms: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, embedding_texts: 0, embedding_requests: 0 };

export interface StatementOutput {
  result: ColumnarResult;
  stats: QueryStats;
}

/** One statement of a script, and what it runs under. */
export interface StatementRun<R> {
  runtime: EngineRuntime<R>;
  booted: Booted<R>;
  statement: ParsedStatement;
  /** The script: call-site spans are offsets into it. */
  source: string;
  queryId: string;
  signal: AbortSignal;
  onProgress?: (progress: QueryProgress) => void;
}

/** Carries out one statement as statement-dispatch.ts routes it. */
export async function runStatement<R>(s: StatementRun<R>): Promise<StatementOutput> {
  const { runtime, booted } = s;
  const { catalog } = booted;
  const action = dispatch(s.statement, { registry: catalog.registry, inTransaction: runtime.inTransaction });
  switch (action.kind) {
    case 'refuse':
      throw new Error(action.message);
    case 'list':
      return done(textTable(['name', 'spellings', 'returns', 'shape', 'builtin', 'example'], catalog.infos().map((o) => [o.name, spellingText(o), o.returns, o.shape, String(o.builtin), o.example])));
    case 'define':
      await catalog.define(action.definition, action.registry, runtime.warn);
      return done(textTable(['created'], [[action.definition.name]]));
    case 'drop':
      if (!action.registry) return done(textTable(['dropped'], []));
      await catalog.drop(action.name, action.registry);
      return done(textTable(['dropped'], [[action.name]]));
    case 'explain':
      return explainStatement(s);
    case 'transaction':
      return transaction(s, action);
    case 'execute':
      return execute(s, action);
  }
}

const done = (result: ColumnarResult): StatementOutput => ({ result, stats: ZERO_STATS });

async function explainStatement<R>(s: StatementRun<R>): Promise<StatementOutput> {
  const { statement } = s;
  if (statement.kind !== 'explain') throw new Error('EXPLAIN SEMANTIC without a statement');
  const { parts } = s.booted;
  const options = resolveOptions(statement.options, s.runtime.settings, statement.sql);
  const plan = await explainQuery({ db: parts.db, cache: parts.cache, connection: parts.connection }, statement, s.source, options, s.queryId);
  return done(explainTable(plan));
}

async function transaction<R>(s: StatementRun<R>, action: Extract<StatementAction, { kind: 'transaction' }>): Promise<StatementOutput> {
  const { statement, runtime } = s;
  const { db } = s.booted.parts;
  let ok = false;
  try {
    const result = await db.exclusive((run) => run(statement.kind === 'passthrough' || statement.kind === 'query' ? statement.sql : '', null, s.signal));
    ok = true;
    return done(db.toColumnar(result));
  } finally {
    runtime.inTransaction = transactionAfter(action.action, ok, runtime.inTransaction);
  }
}

async function execute<R>(s: StatementRun<R>, action: Extract<StatementAction, { kind: 'execute' }>): Promise<StatementOutput> {
  const { statement, booted } = s;
  if (statement.kind !== 'query' && statement.kind !== 'passthrough') throw new Error(`cannot execute a ${statement.kind} statement`);
  const { parts, catalog } = booted;
  await parts.db.ensureExtensions(statement.sql);
  const proxy = catalog.registry.get('embed') as OperatorDef | undefined;
  const out = await executeQuery(
    { db: parts.db, cache: parts.cache, connection: parts.connection, registry: parts.registry, log: parts.log, ...(proxy ? { proxy } : {}) },
    {
      queryId: s.queryId,
      statement: { sql: statement.sql, effect: statement.effect, aggregate: statement.shape.hasAggregate, ...(statement.kind === 'query' ? { callSites: statement.callSites } : {}) },
      options: resolveOptions(statement.options, s.runtime.settings, statement.sql),
      signal: s.signal,
      early: action.early,
      inTransaction: action.inTransaction,
      source: statement.text,
      ...(s.onProgress ? { onProgress: s.onProgress } : {}),
    },
  );
  if (statement.kind !== 'query' || statement.generatesQuery !== true) return { result: parts.db.toColumnar(out.result), stats: out.stats };
  // ASK_DATA: the answer is a query the model wrote; checked to be one read-only query, it runs here.
  const written = generatedQuery(String(parts.db.toColumnar(out.result).values[0]?.[0] ?? ''), catalog.registry);
  const ran = await runStatement({ ...s, statement: written, source: written.text }).catch((error: unknown) => {
    throw new Error(`ASK_DATA: the query the model wrote failed (${(error as Error).message}): ${written.text}`);
  });
  return { result: ran.result, stats: addStats({ ...ran.stats }, out.stats) };
}

const COUNTS = ['passes', 'calls', 'cached', 'errors', 'attempts', 'wall_ms', 'input_tokens', 'output_tokens', 'cost_usd', 'embedding_texts', 'embedding_requests'] as const satisfies readonly (keyof QueryStats)[];

/** Adds a statement's stats to a total: counts add up, cascade reports are listed. Returns the total. */
export function addStats(total: QueryStats, more: QueryStats): QueryStats {
  for (const k of COUNTS) total[k] += more[k];
  if (more.cascades) total.cascades = [...(total.cascades ?? []), ...more.cascades];
  if (more.estimate) total.estimate = more.estimate;
  return total;
}
