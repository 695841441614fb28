import type { AnswerCache } from '../cache/answer-cache';
import type { ExplainResult } from '../protocol/duckdb-worker-api';
import type { ProviderConnection } from '../protocol/model-calls';
import type { ResolvedOptions } from '../protocol/resolved-options';
import type { ColumnarResult } from '../protocol/results';
import { earlyLimitPlan, type OperatorDef, type QueryStatement } from '../sql';
import { answerScope } from './cache-key';
import { planMisses } from './call-plan';
import { planCascade } from './cascade';
import { cascadeGroups } from './cascade-resolver';
import { explainJoins } from './join-explain';
import { loadKnown } from './miss-resolver';
import { runPass, type Database } from './pass-runner';
import { QueryRun, type Miss } from './query-run';
import { explainRouting } from './routing/explain-routing';

/** Inputs EXPLAIN counts before it stops and reports lower bounds (as the executor's budget probe). */
const COUNT_LIMIT = 200_000;

export interface ExplainDeps<R> {
  db: Database<R>;
  cache: AnswerCache;
  /** The provider connection: its identity, and the planner the run uses. */
  connection: Pick<ProviderConnection, 'plan' | 'limits' | 'identity' | 'batchEndpoint'>;
  /** For semantic joins (src/engine/join-explain.ts): a result's rows, and an operator by name. */
  toColumnar?(result: R): ColumnarResult;
  operator?(name: string): OperatorDef | undefined;
}

export type ExplainedStatement = Pick<QueryStatement, 'sql' | 'callSites' | 'shape' | 'effect' | 'options'> & Partial<Pick<QueryStatement, 'joins'>>;

/** EXPLAIN of a script with nothing a model would answer. */
export function emptyExplain(sql: string, connection: Pick<ProviderConnection, 'limits'>): ExplainResult {
  return {
    sql,
    callSites: [],
    firstPass: { distinctInputs: 0, cached: 0, calls: 0 },
    complete: true,
    operators: [],
    estimate: { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, estimatedMs: 0 },
    requests: [],
    cascades: [],
    limits: connection.limits(),
    earlyLimit: { eligible: false, reason: 'no semantic operator' },
  };
}

/**
 * EXPLAIN SEMANTIC: runs the first pass only (a write's inside a transaction that is always rolled
 * back), looks the misses up in memory and IndexedDB, and plans the rest with the same planner and
 * options the run uses, without calling any model. Operators reached through views and macros are
 * counted too, per operator.
 */
export async function explainQuery<R>(
  deps: ExplainDeps<R>,
  statement: ExplainedStatement,
  /** The script the statement came from: call-site spans are offsets into it. */
  source: string,
  options: ResolvedOptions,
  queryId: string,
): Promise<ExplainResult> {
  const run = new QueryRun(queryId, answerScope(deps.connection.identity(), options), options.cache, deps.cache);
  run.limitMisses(COUNT_LIMIT);
  run.beginPass();
  const effect = statement.effect;
  const sql = effect.kind === 'copy' ? effect.resolveSql : statement.sql;
  try {
    await runPass(deps.db, sql, run, effect.kind === 'write' ? 'rollback' : 'read', new AbortController().signal, queryId);
  } catch (error) {
    if (!run.stoppedAtMissLimit) throw error;
  }
  const misses = run.misses;
  const toCall = await loadKnown(misses, { run, cache: deps.cache });
  const plan = planMisses(toCall, run.scope, deps.connection, options);
  const { toColumnar, operator } = deps;
  const joins =
    statement.joins && toColumnar && operator
      ? await explainJoins({ db: deps.db, cache: deps.cache, toColumnar, operator }, statement.joins, options.join, run, queryId)
      : undefined;
  return {
    sql: statement.sql,
    callSites: statement.callSites.map((site) => ({
      operator: site.operator,
      line: site.span.line,
      column: site.span.column,
      text: source.slice(site.span.start, site.span.end),
      args: site.args,
      shape: site.shape,
    })),
    firstPass: { distinctInputs: misses.length + run.cachedCount(), cached: run.cachedCount() + misses.length - toCall.length, calls: toCall.length },
    complete: !run.stoppedAtMissLimit,
    operators: perOperator(run, misses, new Set(toCall.map((m) => m.key))),
    estimate: { requests: plan.requests, inputTokens: plan.inputTokens, outputTokens: plan.outputTokens, costUsd: plan.costUsd, estimatedMs: plan.estimatedMs },
    requests: plan.tasks.map(({ task: _task, ...estimate }) => estimate),
    // Routing decides who answers instead of a cascade the settings turn on (docs/routing.md).
    cascades: options.routing ? [] : cascades(toCall, options),
    model: { model: options.model, tier: options.tier },
    ...(options.routing ? { routing: explainRouting(toCall, run.scope, deps.connection, options) } : {}),
    limits: plan.limits,
    earlyLimit: earlyLimitPlan(statement),
    ...(options.mode === 'batch' ? { batchEndpoint: deps.connection.batchEndpoint() } : {}),
    ...(joins ? { joins } : {}),
  };
}

/** Distinct inputs per operator, and how many are cached and how many would be called. */
function perOperator(run: QueryRun, misses: readonly Miss[], calling: ReadonlySet<string>): ExplainResult['operators'] {
  const rows = new Map<string, ExplainResult['operators'][number]>();
  const row = (operator: string) => {
    let r = rows.get(operator);
    if (!r) rows.set(operator, (r = { operator, distinctInputs: 0, cached: 0, calls: 0 }));
    return r;
  };
  for (const [operator, n] of run.cachedByOperator) {
    row(operator).distinctInputs += n;
    row(operator).cached += n;
  }
  for (const miss of misses) {
    const r = row(miss.operator.name);
    r.distinctInputs++;
    if (calling.has(miss.key)) r.calls++;
    else r.cached++;
  }
  return [...rows.values()];
}

/** The cascades the statement would run, per filter. */
function cascades(toCall: readonly Miss[], options: ResolvedOptions): ExplainResult['cascades'] {
  const targets = options.cascade;
  if (targets === 'off') return [];
  return cascadeGroups(toCall).groups.map((group) => {
    const plan = planCascade(group.length, { targets: { recall: targets.recall, precision: targets.precision }, delta: 1 - targets.confidence });
    // The proxy's texts: the rows it scores and the criterion.
    const proxyTexts = { min: plan.scored.min && plan.scored.min + 1, max: plan.scored.max && plan.scored.max + 1 };
    return {
      operator: group[0]?.operator.name ?? '',
      criterion: group[0]?.args[1] ?? '',
      rows: group.length,
      sampleDraws: plan.sampleDraws,
      calls: plan.calls,
      proxyTexts,
      fallback: plan.fallback,
    };
  });
}
