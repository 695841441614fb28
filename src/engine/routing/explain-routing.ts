import type { ExplainRouting } from '../../protocol/duckdb-worker-api';
import type { ProviderConnection } from '../../protocol/model-calls';
import type { ResolvedOptions } from '../../protocol/resolved-options';
import type { AnswerScope } from '../cache-key';
import { planMisses } from '../call-plan';
import type { Miss } from '../query-run';
import { routingGroups } from '../routing-resolver';
import { planRouting } from './route-plan';

/**
 * EXPLAIN's routing plan: per operator, the sample each tier would be asked and the calls and cost
 * either way the sample turns out, planned by the same planner the run uses. A rerun's routed
 * answers are not looked up here: the plan is the first run's, an upper bound on later ones.
 */
export function explainRouting(
  toCall: readonly Miss[],
  scope: AnswerScope,
  connection: Pick<ProviderConnection, 'plan'>,
  options: ResolvedOptions,
): ExplainRouting[] {
  const routing = options.routing;
  if (!routing) return [];
  const cheapScope = { ...scope, model: routing.cheap };
  const cost = (misses: readonly Miss[], s: AnswerScope) => (misses.length === 0 ? 0 : planMisses(misses, s, connection, options).costUsd);
  return routingGroups(toCall).groups.map((group) => {
    const plan = planRouting(group.length, routing);
    // The sample's distinct inputs are at most its draws; the plan counts the draws, its upper bound.
    const sample = group.slice(0, Math.min(group.length, plan.sampleDraws));
    const rest = group.slice(sample.length);
    const sampleCheap = cost(sample, cheapScope);
    const ifNotMet = { cheapCalls: sample.length, qualityCalls: group.length, costUsd: cost(group, scope) + sampleCheap };
    return {
      operator: group[0]?.operator.name ?? '',
      cheap: routing.cheap,
      quality: routing.quality,
      targets: { accuracy: routing.accuracy, confidence: routing.confidence },
      inputs: group.length,
      sampleDraws: plan.sampleDraws,
      // Falling back, no sample is drawn: the quality tier answers every input either way.
      ifMet: plan.fallback
        ? ifNotMet
        : { cheapCalls: group.length, qualityCalls: sample.length, costUsd: cost(sample, scope) + sampleCheap + cost(rest, cheapScope) },
      ifNotMet,
      fallback: plan.fallback,
    };
  });
}
