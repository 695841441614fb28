import type { CallPlan, ProviderConnection } from '../protocol/model-calls';
import type { CallOptions } from '../protocol/resolved-options';
import type { AnswerScope } from './cache-key';
import { modelRequest } from './model-request';
import type { Miss } from './query-run';

/**
 * How misses would be sent, as the provider connection's one planner plans them: the budget check,
 * EXPLAIN and the run all take this plan, so they agree on what is sent.
 */
export function planMisses(misses: readonly Miss[], scope: AnswerScope, connection: Pick<ProviderConnection, 'plan'>, options: CallOptions): CallPlan {
  return connection.plan(
    misses.map((miss) => modelRequest(miss.key, miss.operator, miss.args, scope)),
    options,
  );
}
