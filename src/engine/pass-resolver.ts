import type { AnswerCache } from '../cache/answer-cache';
import type { CallPlan, CallSession, ProviderConnection } from '../protocol/model-calls';
import type { ResolvedOptions } from '../protocol/resolved-options';
import type { OperatorDef } from '../sql';
import { planMisses } from './call-plan';
import { resolveWithCascade, type CascadeContext } from './cascade-resolver';
import type { InflightRegistry } from './inflight-registry';
import { BudgetExceededError, loadKnown, resolveMisses, type ResolveContext } from './miss-resolver';
import { modelRequest } from './model-request';
import type { Miss, QueryRun } from './query-run';
import { resolveWithRouting, type RoutingContext } from './routing-resolver';
import { routingContext } from './routing/routing-context';
import type { RunProgress } from './run-progress';

export interface PassResolverDeps {
  run: QueryRun;
  options: ResolvedOptions;
  connection: Pick<ProviderConnection, 'plan' | 'heldByBatch'>;
  session: CallSession;
  cache: AnswerCache;
  registry: InflightRegistry;
  progress: RunProgress;
  signal: AbortSignal;
  /** The operator whose vectors score rows for cascades (embed); without it, no cascade runs. */
  proxy?: OperatorDef;
  /** The order a pass's misses are resolved in (an estimating statement's random order, src/engine/estimate/); as found otherwise. */
  order?: (misses: readonly Miss[]) => readonly Miss[];
}

/**
 * Where a pass's misses get planned and resolved: each batch of misses about to be called is
 * planned by the provider connection (rows per request, direct or Message Batches), the plan's
 * requests are checked against the budget before anything is sent, and the session sends what the
 * plan says. A cascade (docs/cascades.md) decides what its proxy can first.
 */
export class PassResolver {
  readonly #deps: PassResolverDeps;
  readonly #ctx: ResolveContext;
  readonly #cascade: CascadeContext | null;
  readonly #routing: RoutingContext | null;
  #pass = 0;

  constructor(deps: PassResolverDeps) {
    this.#deps = deps;
    const { run, options, session, signal, progress } = deps;
    this.#ctx = {
      run,
      session,
      signal,
      cache: deps.cache,
      registry: deps.registry,
      request: (miss) => ({ ...modelRequest(miss.key, miss.operator, miss.args, run.scope), ...(options.tier ? { tier: options.tier } : {}) }),
      plan: (toCall) => this.#checked(this.plan(toCall)),
      onSubmit: () => progress.queued(),
      heldByBatch: (keys) => deps.connection.heldByBatch(keys),
      // A batch query waits for batches as long as they take; a direct one no longer than any wait.
      batchWaitMs: options.mode === 'batch' ? Infinity : options.maxWaitMs,
    };
    this.#cascade =
      options.cascade !== 'off' && deps.proxy
        ? { targets: options.cascade, proxy: deps.proxy, log: (entry) => progress.logged(entry), report: (r) => progress.cascade(r) }
        : null;
    this.#routing = routingContext({
      ctx: this.#ctx,
      options,
      connection: deps.connection,
      cache: deps.cache,
      checked: (plan) => this.#checked(plan),
      report: (r) => progress.routed(r),
    });
  }

  /** What resolving reads and stores through (the cache and the in-flight registry). */
  get context(): ResolveContext {
    return this.#ctx;
  }

  /** The plan for `toCall`, as the session would send it now. */
  plan(toCall: readonly Miss[]): CallPlan {
    return planMisses(toCall, this.#deps.run.scope, this.#deps.connection, this.#deps.options);
  }

  /** Answers `misses`, found by `pass`: each at most once per origin, within the budget. */
  async resolve(misses: readonly Miss[], pass: number): Promise<void> {
    this.#pass = pass;
    const ordered = this.#deps.order ? this.#deps.order(misses) : misses;
    if (this.#routing) await resolveWithRouting(ordered, this.#ctx, this.#routing);
    else if (this.#cascade) await resolveWithCascade(ordered, this.#ctx, this.#cascade);
    else await resolveMisses(ordered, this.#ctx);
    this.#deps.progress.drained();
  }

  /**
   * A pass stopped at its miss limit: what is not stored must fit the budget before it scans on.
   * The requests are the plan's for the misses counted so far, scaled to every input found to need
   * a call.
   */
  async probe(misses: readonly Miss[], pass: number): Promise<void> {
    const { run, options, session } = this.#deps;
    const unknown = await loadKnown(misses, this.#ctx);
    const needing = run.needCalls(unknown.map((m) => m.key));
    const left = options.budget - session.attempts;
    const needed = unknown.length === 0 ? needing : Math.ceil((needing * this.plan(unknown).requests) / unknown.length);
    if (needed <= left) return;
    throw new BudgetExceededError(
      `this query needs more than ${needed.toLocaleString('en-US')} model calls in pass ${pass} (semsql stopped counting there)` +
        `${session.attempts > 0 ? ` after ${session.attempts} requests already made` : ''}, over its budget of ${options.budget}. Nothing was called for this pass. ` +
        'Narrow the query (a WHERE or LIMIT before the semantic operator) or raise the budget with "-- @ budget: N".',
    );
  }

  /** The plan, if its requests fit what is left of the budget; BudgetExceededError otherwise. */
  #checked(plan: CallPlan): CallPlan {
    const { options, session } = this.#deps;
    const made = session.attempts;
    const needed = plan.requests;
    if (made + needed <= options.budget) return plan;
    const as = plan.tasks.some((t) => t.mode === 'batch') ? ' (as Message Batches)' : '';
    throw new BudgetExceededError(
      `this query needs ${needed} model call${needed === 1 ? '' : 's'}${as} in pass ${this.#pass}` +
        `${made > 0 ? ` after ${made} already made` : ''}, over its budget of ${options.budget}. Nothing was called for this pass. ` +
        `Narrow the query (a WHERE or LIMIT before the semantic operator) or raise the budget with "-- @ budget: ${made + needed}".`,
    );
  }
}
