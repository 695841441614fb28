import type { AnswerCache } from '../cache/answer-cache';
import { batchEndpoint, describeBatchEndpoint } from '../llm/batch-endpoint';
import { costUsd } from '../llm/pricing';
import type { PricingTable } from '../protocol/settings';
import type { CallScheduler } from '../protocol/model-calls';
import type { ExplainResult } from '../protocol/duckdb-worker-api';
import type { EngineSettings } from '../protocol/settings';
import { earlyLimitPlan, type QueryStatement } from '../sql';
import { loadKnown } from './miss-resolver';
import { answerScope } from './cache-key';
import { planMisses } from './call-plan';
import { planCascade } from './cascade';
import { cascadeGroups } from './cascade-resolver';
import { runPass, type Database } from './pass-runner';
import { QueryRun } from './query-run';

/** Inputs EXPLAIN counts before it stops and reports lower bounds (as the executor's budget probe). */
const COUNT_LIMIT = 200_000;

export interface ExplainDeps<R> {
  db: Database<R>;
  cache: AnswerCache;
  pricing?: PricingTable;
  /** The provider connection's planner: what it knows of the limits and of past requests. */
  scheduler: Pick<CallScheduler, 'plan' | 'limits'>;
}

/**
 * EXPLAIN SEMANTIC: runs the first pass only (a write's inside a transaction that is always rolled
 * back), looks the misses up in memory and IndexedDB, and estimates the rest, without calling any
 * model. Operators reached through views and macros are counted too, per operator.
 */
export async function explainQuery<R>(
  deps: ExplainDeps<R>,
  statement: Pick<QueryStatement, 'sql' | 'options' | 'callSites' | 'shape' | 'effect'>,
  /** The script the statement came from: call-site spans are offsets into it. */
  source: string,
  settings: EngineSettings,
  provider: string,
  queryId: string,
): Promise<ExplainResult> {
  const options = statement.options;
  const model = options.model ?? settings.model;
  const run = new QueryRun(queryId, answerScope(provider, settings, options), options.cache, deps.cache);
  run.missLimit = COUNT_LIMIT;
  run.beginPass();
  const effect = statement.effect;
  const sql = effect.kind === 'copy' ? effect.resolveSql : statement.sql;
  try {
    await runPass(deps.db, sql, run, effect.kind === 'write' ? 'rollback' : 'read', new AbortController().signal, queryId);
  } catch (error) {
    if (!run.overflowed) throw error;
  }
  const misses = [...run.misses.values()];
  const toCall = await loadKnown(misses, { run, cache: deps.cache });
  const calling = new Set(toCall.map((m) => m.key));
  const targets = options.cascade ?? settings.cascade;
  const cascades = targets === 'off'
    ? []
    : cascadeGroups(toCall).groups.map((group) => {
        const plan = planCascade(group.length, { targets: { recall: targets.recall, precision: targets.precision }, delta: 1 - targets.confidence });
        // The proxy's texts: the rows it scores and the criterion.
        const proxyTexts = { min: plan.scored.min && plan.scored.min + 1, max: plan.scored.max && plan.scored.max + 1 };
        return { operator: group[0]?.operator.name ?? '', criterion: group[0]?.args[1] ?? '', rows: group.length, sampleDraws: plan.sampleDraws, calls: plan.calls, proxyTexts, fallback: plan.fallback };
      });
  const requests = planMisses(toCall, run.scope, deps.scheduler, { parallel: options.parallel ?? settings.parallel, batch: options.batch ?? settings.batchSize });
  const sum = (f: (p: (typeof requests)[number]) => number) => requests.reduce((n, p) => n + f(p), 0);
  const inputTokens = sum((p) => p.inputTokens);
  const outputTokens = sum((p) => p.outputTokens);
  const perOperator = new Map<string, { operator: string; distinctInputs: number; cached: number; calls: number }>();
  const row = (operator: string) => {
    let r = perOperator.get(operator);
    if (!r) perOperator.set(operator, (r = { operator, distinctInputs: 0, cached: 0, calls: 0 }));
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
    complete: !run.overflowed,
    operators: [...perOperator.values()],
    estimate: {
      requests: sum((p) => p.requests),
      inputTokens,
      outputTokens,
      costUsd: costUsd(model, { inputTokens, outputTokens }, deps.pricing),
      // Operators of one pass share the provider's limits: their times add up.
      estimatedMs: sum((p) => p.estimatedMs),
    },
    requests,
    cascades,
    limits: deps.scheduler.limits(),
    earlyLimit: earlyLimitPlan(statement),
    ...(options.mode === 'batch' ? { batchEndpoint: describeBatchEndpoint(batchEndpoint(settings)) } : {}),
  };
}
