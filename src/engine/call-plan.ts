import { mergeRows, taskKey } from '../llm/scheduler/batching';
import type { ModelRequest } from '../protocol/model';
import type { CallScheduler, RequestPlanEstimate, SessionOptions } from '../protocol/model-calls';
import type { AnswerScope } from './cache-key';
import { modelRequest } from './model-request';
import type { Miss } from './query-run';

/**
 * How misses would be sent: grouped into tasks (rows that may share a request: same operator,
 * template and scope), each planned by the provider connection's scheduler. The budget check and
 * EXPLAIN count requests this way, so both agree with what the session then sends.
 */
export function planMisses(misses: readonly Miss[], scope: AnswerScope, scheduler: Pick<CallScheduler, 'plan'>, options: Pick<SessionOptions, 'parallel' | 'batch'>): RequestPlanEstimate[] {
  const tasks = new Map<string, ModelRequest[]>();
  for (const miss of misses) {
    const request = modelRequest(miss.key, miss.operator, miss.args, scope);
    const key = taskKey(request);
    const list = tasks.get(key);
    if (list) list.push(request);
    else tasks.set(key, [request]);
  }
  return scheduler.plan([...tasks.values()].map(mergeRows), options);
}

/** Requests the plans send in all. */
export function requestCount(plans: readonly RequestPlanEstimate[]): number {
  return plans.reduce((n, p) => n + p.requests, 0);
}
