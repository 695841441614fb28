import type { AnswerCache } from '../cache/answer-cache';
import { costUsd, type PricingTable } from '../llm/pricing';
import { estimateTokens, renderPrompt } from '../llm/prompt';
import type { ExplainResult } from '../protocol/duckdb-worker-api';
import type { EngineSettings } from '../protocol/settings';
import { earlyLimitPlan, type QueryStatement, type SqlReturnType } from '../sql';
import { QueryRun } from './query-run';

/** Typical answer sizes by return type, in tokens, for the estimate (a tool call's JSON included). */
const OUTPUT_TOKENS: Record<SqlReturnType, number> = { BOOLEAN: 12, DOUBLE: 14, VARCHAR: 60 };

export interface ExplainDeps<R> {
  runPass(sql: string, run: QueryRun): R;
  cache: AnswerCache;
  pricing?: PricingTable;
}

/**
 * EXPLAIN SEMANTIC: runs the first pass only (the bridge records what it would ask), looks the misses
 * up in IndexedDB, and estimates the rest, without calling any model.
 */
export async function explainQuery<R>(
  deps: ExplainDeps<R>,
  statement: Pick<QueryStatement, 'sql' | 'options' | 'callSites' | 'shape'>,
  /** The script the statement came from: call-site spans are offsets into it. */
  source: string,
  settings: EngineSettings,
  queryId: string,
): Promise<ExplainResult> {
  const options = statement.options;
  const model = options.model ?? settings.model;
  const run = new QueryRun(queryId, { model, temperature: options.temperature ?? 0, instructions: options.instructions }, options.cache, deps.cache);
  run.beginPass();
  deps.runPass(statement.sql, run);
  const misses = [...run.misses.values()];
  const found = options.cache === 'on' ? await deps.cache.load(misses.map((m) => ({ key: m.key, prefix: run.prefix(m.operator) }))) : new Set<string>();
  const toCall = misses.filter((m) => !found.has(m.key));
  let inputTokens = 0;
  let outputTokens = 0;
  for (const miss of toCall) {
    inputTokens += estimateTokens(renderPrompt(miss.operator, miss.args)) + estimateTokens(options.instructions.join('\n'));
    outputTokens += OUTPUT_TOKENS[miss.operator.returns];
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
    firstPass: { distinctInputs: misses.length + run.cachedCount(), cached: run.cachedCount() + found.size, calls: toCall.length },
    estimate: { inputTokens, outputTokens, costUsd: costUsd(model, inputTokens, outputTokens, deps.pricing) },
    earlyLimit: earlyLimitPlan(statement),
  };
}
