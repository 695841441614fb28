import type { AnswerCache } from '../cache/answer-cache';
import { costUsd } from '../llm/pricing';
import type { PricingTable } from '../protocol/settings';
import { estimateTokens, userMessage } from '../llm/prompt';
import type { ExplainResult } from '../protocol/duckdb-worker-api';
import type { EngineSettings } from '../protocol/settings';
import { earlyLimitPlan, type QueryStatement, type SqlReturnType } from '../sql';
import { loadKnown } from './miss-resolver';
import { modelRequest } from './model-request';
import { runPass, type Database } from './pass-runner';
import { QueryRun } from './query-run';

/** Typical answer sizes by return type, in tokens, for the estimate (a tool call's JSON included). */
const OUTPUT_TOKENS: Record<SqlReturnType, number> = { BOOLEAN: 12, DOUBLE: 14, VARCHAR: 60 };

/** Inputs EXPLAIN counts before it stops and reports lower bounds (as the executor's budget probe). */
const COUNT_LIMIT = 200_000;

export interface ExplainDeps<R> {
  db: Database<R>;
  cache: AnswerCache;
  pricing?: PricingTable;
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
  const run = new QueryRun(queryId, { provider, model, temperature: options.temperature ?? 0, instructions: options.instructions }, options.cache, deps.cache);
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
  let inputTokens = 0;
  let outputTokens = 0;
  for (const miss of toCall) {
    inputTokens += estimateTokens(userMessage(modelRequest(miss.key, miss.operator, miss.args, run.scope))) + estimateTokens(options.instructions.join('\n'));
    outputTokens += OUTPUT_TOKENS[miss.operator.returns];
  }
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
    estimate: { inputTokens, outputTokens, costUsd: costUsd(model, { inputTokens, outputTokens }, deps.pricing) },
    earlyLimit: earlyLimitPlan(statement),
  };
}
