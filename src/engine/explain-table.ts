import type { ExplainResult } from '../protocol/duckdb-worker-api';
import type { PlanLimits } from '../protocol/model-calls';
import type { ColumnarResult } from '../protocol/results';
import { textTable } from './text-table';

/** EXPLAIN SEMANTIC's result as rows of (item, value): what the query would call, send and cost. */
export function explainTable(plan: ExplainResult): ColumnarResult {
  const rows: unknown[][] = [['rewritten_sql', plan.sql]];
  for (const site of plan.callSites) rows.push(['call_site', `${site.operator} at line ${site.line}, column ${site.column}: ${site.text}`]);
  const bound = plan.complete ? '' : ' (at least)';
  rows.push(
    ['first_pass_inputs', `${plan.firstPass.distinctInputs}${bound}`],
    ['first_pass_cached', String(plan.firstPass.cached)],
    ['first_pass_calls', `${plan.firstPass.calls}${bound}`],
  );
  for (const op of plan.operators) rows.push(['operator', `${op.operator}: ${op.distinctInputs} inputs, ${op.cached} cached, ${op.calls} calls`]);
  for (const p of plan.requests) {
    const how = p.mode === 'batch' ? 'as Message Batches' : `${p.parallel} at a time`;
    rows.push([
      'requests',
      `${p.operator}: ${p.rows} rows in ${p.requests} requests of ${p.rowsPerRequest} rows, ${how}, ~${formatMs(p.estimatedMs)} (bound by ${p.boundBy})`,
    ]);
  }
  for (const c of plan.cascades) {
    const calls = c.fallback
      ? `every row (${c.fallback})`
      : `${c.calls.min} to ${c.calls.max} calls, after a sample of ${c.sampleDraws.min === c.sampleDraws.max ? c.sampleDraws.min : `${c.sampleDraws.min} to ${c.sampleDraws.max}`} draws`;
    const texts =
      c.proxyTexts.max === 0
        ? 'no text embedded'
        : `${c.proxyTexts.min === c.proxyTexts.max ? c.proxyTexts.max : `${c.proxyTexts.min} to ${c.proxyTexts.max}`} texts embedded for the proxy`;
    rows.push(['cascade', `${c.operator} '${c.criterion}': ${c.rows} rows, ${calls}; ${texts}`]);
  }
  for (const j of plan.joins ?? []) {
    const classify = j.calls.classify === null ? 'classify: no side small enough' : `classify: ${j.calls.classify} requests`;
    rows.push(
      [
        'join',
        `${j.operator} at line ${j.line}, column ${j.column}: ${j.sides[0]} × ${j.sides[1]}: ${j.pairs} pairs (${j.values[0]} × ${j.values[1]} values), ${j.known} known`,
      ],
      ['join_plan', `${j.plan}: ${j.reason}`],
      [
        'join_calls',
        `nested loop: ${j.calls.nestedLoop}; ${classify}; blocking: about ${j.calls.block.about} if each left value has one match near the top, at most ${j.calls.block.max}`,
      ],
    );
  }
  rows.push(
    ['provider_limits', describeLimits(plan.limits)],
    ['estimated_requests', String(plan.estimate.requests)],
    ['estimated_time', formatMs(plan.estimate.estimatedMs)],
    ['estimated_input_tokens', String(plan.estimate.inputTokens)],
    ['estimated_output_tokens', String(plan.estimate.outputTokens)],
    ['estimated_cost_usd', plan.estimate.costUsd.toFixed(6)],
    ['early_limit', plan.earlyLimit.eligible ? `yes: stops at the first pass that returns ${plan.earlyLimit.limit} rows` : `no: ${plan.earlyLimit.reason}`],
  );
  if (plan.batchEndpoint) rows.push(['batch_endpoint', plan.batchEndpoint]);
  return textTable(['item', 'value'], rows);
}

/** The limits the plan was made under, and where they come from. */
function describeLimits(limits: PlanLimits): string {
  const parts = [
    limits.requestsPerMinute !== undefined ? `${limits.requestsPerMinute} requests/min` : '',
    limits.inputTokensPerMinute !== undefined ? `${limits.inputTokensPerMinute} input tokens/min` : '',
    limits.outputTokensPerMinute !== undefined ? `${limits.outputTokensPerMinute} output tokens/min` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? `${parts.join(', ')} (${limits.note})` : limits.note;
}

function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
