import type { AnswerCache } from '../../cache/answer-cache';
import type { CachedAnswer } from '../../cache/persistent-tier';
import type { CallPlan, ProviderConnection } from '../../protocol/model-calls';
import type { ResolvedOptions, RoutingResolved } from '../../protocol/resolved-options';
import type { RoutingReport } from '../../protocol/progress';
import { keyPrefix, type AnswerScope } from '../cache-key';
import { planMisses } from '../call-plan';
import type { ResolveContext } from '../miss-resolver';
import { modelRequest } from '../model-request';
import type { Miss } from '../query-run';
import type { RoutingContext } from '../routing-resolver';

export interface RoutingDeps {
  ctx: ResolveContext;
  options: ResolvedOptions;
  connection: Pick<ProviderConnection, 'plan'>;
  cache: AnswerCache;
  /** The budget check of a plan (the pass resolver's): it throws to refuse. */
  checked(plan: CallPlan): CallPlan;
  report(report: RoutingReport): void;
}

/** The name routed answers are kept under: the tiers and the targets that chose the cheap one. */
export function routedModel(routing: RoutingResolved): string {
  return `auto(${routing.cheap}~${routing.quality}, accuracy ${routing.accuracy}, confidence ${routing.confidence}, seed ${routing.seed})`;
}

/** What tier routing needs of a pass resolver: the cheap tier's own resolving, prefixes and plans. */
export function routingContext(deps: RoutingDeps): RoutingContext | null {
  const { ctx, options } = deps;
  const routing = options.routing;
  if (!routing) return null;
  const { run } = ctx;
  const cheapScope: AnswerScope = { ...run.scope, model: routing.cheap };
  const routedScope: AnswerScope = { ...run.scope, model: routedModel(routing) };
  const plan = (misses: readonly Miss[], scope: AnswerScope) => planMisses(misses, scope, deps.connection, options);
  const cheap: ResolveContext = {
    ...ctx,
    request: (miss) => ({ ...modelRequest(miss.key, miss.operator, miss.args, cheapScope), tier: 'fast' }),
    plan: (toCall) => deps.checked(plan(toCall, cheapScope)),
  };
  const stored = (value: CachedAnswer['value']): CachedAnswer => ({ value, inputTokens: 0, outputTokens: 0 });
  return {
    targets: routing,
    cheap,
    cheapPrefix: (operator) => keyPrefix(operator, cheapScope),
    routed:
      run.cacheMode === 'on'
        ? { prefix: (operator) => keyPrefix(operator, routedScope), store: (key, value) => deps.cache.put(key, stored(value as CachedAnswer['value']), run.id) }
        : null,
    estimate: (misses, quality) => (misses.length === 0 ? 0 : plan(misses, quality ? run.scope : cheapScope).costUsd),
    report: deps.report,
  };
}
