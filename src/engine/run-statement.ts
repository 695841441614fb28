import type { QueryProgress } from '../protocol/progress';
import type { ColumnarResult } from '../protocol/results';
import { generatedQuery, type OperatorDef, type ParsedStatement, type QueryStatement } from '../sql';
import type { Booted, EngineRuntime } from './engine-runtime';
import { executeQuery } from './executor';
import { explainQuery } from './explain';
import { explainTable } from './explain-table';
import { spellingText } from './operator-catalog';
import { addStats, ZERO_STATS, type StatementOutput } from './query-stats';
import { resolveOptions } from './resolve-options';
import { runStages } from './stages/run-stages';
import { dispatch, transactionAfter, type StatementAction } from './statement-dispatch';
import { textTable } from './text-table';

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
      return done(
        textTable(
          ['name', 'spellings', 'returns', 'shape', 'builtin', 'example'],
          catalog.infos().map((o) => [o.name, spellingText(o), o.returns, o.shape, String(o.builtin), o.example]),
        ),
      );
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

/** What the join planner and its EXPLAIN read besides the database (src/engine/join-resolver.ts): a result's rows, an operator by name. */
export function joinReaders<R>({ parts, catalog }: Booted<R>): { toColumnar(result: R): ColumnarResult; operator(name: string): OperatorDef | undefined } {
  return { toColumnar: (result) => parts.db.toColumnar(result), operator: (name) => catalog.registry.get(name) };
}

async function explainStatement<R>(s: StatementRun<R>): Promise<StatementOutput> {
  const { statement } = s;
  if (statement.kind !== 'explain') throw new Error('EXPLAIN SEMANTIC without a statement');
  const { parts } = s.booted;
  const options = resolveOptions(statement.options, s.runtime.settings, statement.sql);
  const plan = await explainQuery(
    { db: parts.db, cache: parts.cache, connection: parts.connection, ...joinReaders(s.booted) },
    statement,
    s.source,
    options,
    s.queryId,
  );
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
  if (statement.kind === 'query' && statement.stages !== undefined) return stages(s, statement);
  await parts.db.ensureExtensions(statement.sql);
  const proxy = catalog.registry.get('embed') as OperatorDef | undefined;
  const out = await executeQuery(
    {
      db: parts.db,
      cache: parts.cache,
      connection: parts.connection,
      registry: parts.registry,
      log: parts.log,
      ...(proxy ? { proxy } : {}),
      ...joinReaders(booted),
    },
    {
      queryId: s.queryId,
      statement: {
        sql: statement.sql,
        effect: statement.effect,
        aggregate: statement.shape.hasAggregate,
        ...(statement.kind === 'query' ? { callSites: statement.callSites, ...(statement.joins ? { joins: statement.joins } : {}) } : {}),
      },
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

/** A staged pipeline (src/engine/stages/): each step is a statement run through runStatement, as a user's would be. */
function stages<R>(s: StatementRun<R>, statement: QueryStatement): Promise<StatementOutput> {
  const { runtime, booted } = s;
  const run = (step: ParsedStatement) => runStatement({ ...s, statement: step });
  const { budget } = resolveOptions(statement.options, runtime.settings, statement.sql);
  return runStages(statement, {
    run,
    registry: booted.catalog.registry,
    budget,
    queryId: s.queryId,
    source: s.source,
    scope: runtime.scope,
    warn: runtime.warn,
    signal: s.signal,
  });
}
