import type { RoutingReport } from '../protocol/progress';
import type { RoutingResolved } from '../protocol/resolved-options';
import type { OperatorDef } from '../sql';
import { cacheKey } from './cache-key';
import { rowDrawer } from './cascade';
import { loadKnown, resolveMisses, type ResolveContext } from './miss-resolver';
import type { Miss } from './query-run';
import { answersAgree, judgeAgreement, planRouting, type AgreementVerdict } from './routing/route-plan';

/**
 * Tier routing in the engine (`-- @ model: auto(accuracy A, confidence C)`, issue 28): per operator,
 * a seeded sample of the inputs is asked of the cheapest tier and of the quality tier; only if their
 * agreement on it meets the bar with the stated confidence does the cheap tier answer the rest.
 * Each tier's answers are cached under its own model's keys (paid once per origin); the routed
 * answer (the cheap tier's, standing in for the quality tier's) is kept under a key of its own that
 * names the tiers and targets, so a rerun reads it instead of routing again, and it is never served
 * as the quality tier's.
 */

export interface RoutingContext {
  targets: RoutingResolved;
  /** Resolving as the cheap tier: its requests, plans and budget check. */
  cheap: ResolveContext;
  /** The key prefix of an operator's answers under the cheap tier. */
  cheapPrefix(operator: OperatorDef): string;
  /** Where routed answers are kept (null with the cache off or refreshing: this query's own calls only). */
  routed: { prefix(operator: OperatorDef): string; store(key: string, value: unknown): void } | null;
  /** The planned cost of asking `misses` of the quality tier (true) or the cheap one (false). */
  estimate(misses: readonly Miss[], quality: boolean): number;
  report(report: RoutingReport): void;
}

/** Operators routing can answer: every model-answered one (the embedding operators have their own model). */
export function routingGroups(misses: readonly Miss[]): { groups: Miss[][]; rest: Miss[] } {
  const groups = new Map<string, Miss[]>();
  const rest: Miss[] = [];
  for (const miss of misses) {
    if (miss.operator.execution === 'embeddings') {
      rest.push(miss);
      continue;
    }
    const list = groups.get(miss.operator.name);
    if (list) list.push(miss);
    else groups.set(miss.operator.name, [miss]);
  }
  return { groups: [...groups.values()], rest };
}

export async function resolveWithRouting(misses: readonly Miss[], ctx: ResolveContext, routing: RoutingContext): Promise<void> {
  const { groups, rest } = routingGroups(misses);
  if (rest.length > 0) await resolveMisses(rest, ctx);
  for (const group of groups) {
    if (ctx.signal.aborted) return;
    await routeGroup(group, ctx, routing);
  }
}

const valueOf = (known: ReturnType<ResolveContext['run']['known']>) => (known && 'value' in known ? known : null);

async function routeGroup(group: readonly Miss[], ctx: ResolveContext, routing: RoutingContext): Promise<void> {
  const unknown = await loadKnown(group, ctx);
  const first = unknown[0];
  if (!first) return;
  const earlier = await routedEarlier(unknown, ctx, routing);
  const fresh = unknown.filter((m) => !earlier.has(m.key));
  const plan = planRouting(fresh.length, routing.targets);
  const cheapOf = (m: Miss): Miss => ({ ...m, key: cacheKey(routing.cheapPrefix(m.operator), m.args) });
  const base = {
    operator: first.operator.name,
    targets: { accuracy: routing.targets.accuracy, confidence: routing.targets.confidence },
    cheap: routing.targets.cheap,
    quality: routing.targets.quality,
    inputs: unknown.length,
  };
  const savedEarlier = routing.estimate([...unknown.filter((m) => earlier.has(m.key))], true);
  if (plan.fallback !== null || fresh.length === 0) {
    if (fresh.length > 0) await resolveMisses(fresh, ctx);
    routing.report({
      ...base,
      sample: { draws: 0, inputs: 0 },
      agreement: { compared: 0, agreed: 0, lower: null },
      answeredBy: earlier.size > 0 ? 'cheap' : 'quality',
      cheapInputs: earlier.size,
      qualityCallsSaved: earlier.size,
      costSavedUsd: savedEarlier,
      reason: fresh.length === 0 ? 'every input was routed by an earlier run' : (plan.fallback ?? ''),
    });
    return;
  }
  const draws = rowDrawer(routing.targets.seed).draw(fresh.length, plan.sampleDraws);
  const sample = [...new Set(draws)].map((i) => fresh[i] as Miss);
  // The quality tier's answers on the sample are the result's own; the cheap tier's are the test.
  await resolveMisses(sample, ctx);
  await resolveMisses(sample.map(cheapOf), routing.cheap);
  const verdict = agreement(
    draws.map((i) => fresh[i] as Miss),
    cheapOf,
    ctx,
    routing,
  );
  const inSample = new Set(sample.map((m) => m.key));
  const others = fresh.filter((m) => !inSample.has(m.key));
  const sampleCost = routing.estimate(sample.map(cheapOf), false);
  let cheapInputs = earlier.size;
  if (verdict.met) cheapInputs += await answerCheaply(others, cheapOf, ctx, routing);
  else await resolveMisses(others, ctx);
  const routedNow = cheapInputs - earlier.size;
  const saved = verdict.met ? routing.estimate(others, true) - routing.estimate(others.map(cheapOf), false) : 0;
  routing.report({
    ...base,
    sample: { draws: draws.length, inputs: sample.length },
    agreement: { compared: verdict.compared, agreed: verdict.agreed, lower: verdict.lower },
    answeredBy: verdict.met ? 'cheap' : 'quality',
    cheapInputs,
    qualityCallsSaved: earlier.size + routedNow,
    costSavedUsd: savedEarlier + saved - sampleCost,
    reason: verdict.met
      ? `the cheap tier agreed on ${verdict.agreed} of ${verdict.compared} sampled draws: agreement at least ${round(verdict.lower)} with confidence ${routing.targets.confidence}, meeting ${routing.targets.accuracy}`
      : `the cheap tier agreed on ${verdict.agreed} of ${verdict.compared} sampled draws: agreement only shown at least ${round(verdict.lower)} with confidence ${routing.targets.confidence}, below ${routing.targets.accuracy}`,
  });
}

const round = (x: number) => Math.floor(x * 1000) / 1000;

/** Inputs whose routed answer an earlier run stored: decided for this query without a call. */
async function routedEarlier(unknown: readonly Miss[], ctx: ResolveContext, routing: RoutingContext): Promise<Set<string>> {
  const routed = routing.routed;
  if (!routed) return new Set();
  const asRouted = unknown.map((m) => ({ miss: m, routed: { ...m, key: cacheKey(routed.prefix(m.operator), m.args) } }));
  const missing = new Set(
    (
      await loadKnown(
        asRouted.map((r) => r.routed),
        ctx,
      )
    ).map((m) => m.key),
  );
  const found = new Set<string>();
  for (const r of asRouted) {
    const known = missing.has(r.routed.key) ? null : valueOf(ctx.run.known(r.routed.key));
    if (!known) continue;
    ctx.run.decide(r.miss.key, known.value);
    found.add(r.miss.key);
  }
  return found;
}

/** Agreement over the sample's draws (a repeated input counts once per draw: each draw is a trial). */
function agreement(drawn: readonly Miss[], cheapOf: (m: Miss) => Miss, ctx: ResolveContext, routing: RoutingContext): AgreementVerdict {
  let compared = 0;
  let agreed = 0;
  for (const miss of drawn) {
    const quality = valueOf(ctx.run.known(miss.key));
    if (!quality) continue;
    compared++;
    const cheap = valueOf(ctx.run.known(cheapOf(miss).key));
    if (cheap && answersAgree(cheap.value, quality.value)) agreed++;
  }
  return judgeAgreement(agreed, compared, routing.targets);
}

/**
 * The inputs outside the sample, answered by the cheap tier for this query (and kept as routed
 * answers); one the cheap tier fails on is asked of the quality tier. Returns how many it answered.
 */
async function answerCheaply(others: readonly Miss[], cheapOf: (m: Miss) => Miss, ctx: ResolveContext, routing: RoutingContext): Promise<number> {
  await resolveMisses(others.map(cheapOf), routing.cheap);
  const failed: Miss[] = [];
  for (const miss of others) {
    const cheap = valueOf(ctx.run.known(cheapOf(miss).key));
    if (!cheap) {
      failed.push(miss);
      continue;
    }
    ctx.run.decide(miss.key, cheap.value);
    routing.routed?.store(cacheKey(routing.routed.prefix(miss.operator), miss.args), cheap.value);
  }
  if (failed.length > 0 && !ctx.signal.aborted) await resolveMisses(failed, ctx);
  return others.length - failed.length;
}
