import type { LimitName, LimitsSnapshot } from './provider-limits';

/**
 * How to send a task's rows soonest under the provider's limits (issue 16): rows per request (B)
 * and requests in flight (N). Pure arithmetic over estimates, so EXPLAIN, the scheduler and the
 * progress ETA all use the same model.
 *
 * For a plan of Q = ⌈R/B⌉ requests, each limit needs some amount (Q requests; Q·overhead + R·row
 * input tokens; R·answer + Q·frame output tokens); a bucket that starts at `level` and refills at
 * `perMs` allows it after max(0, need − level) / perMs. Requests also take time: ⌈Q/N⌉ rounds of one
 * request's latency. The plan's time is the larger of the two, plus one latency for the last answer
 * when the limits bind. Larger B means fewer requests and fewer repeated instructions, but more
 * output per request (longer latency, a larger `max_tokens` reserved from the output limit) and a
 * larger prompt; B stops where the time stops falling, within the model's context and the output
 * bucket's size.
 */

export interface TaskShape {
  /** Rows to ask. */
  rows: number;
  /** Mean input tokens of a row's data. */
  rowTokens: number;
  /** Input tokens each request repeats (system prompt, tool, instructions). */
  overheadTokens: number;
  /** Output tokens a row's answer is expected to use. */
  answerTokens: number;
  /** Output reserved (`max_tokens`) for a request of B rows. */
  outputCap(batch: number): number;
}

export interface PlanContext {
  limits: LimitsSnapshot;
  /** Expected latency of a request of B rows, in ms. */
  latencyMs(batch: number): number;
  /** Requests in flight at most (`-- @ parallel`). */
  parallel: number;
  /** Largest B to consider (`-- @ batch`, or the automatic ceiling). */
  maxBatch: number;
  /** B fixed by the query or settings: the plan only estimates it. */
  batch?: number;
  /** The model's context, in tokens. */
  contextTokens: number;
}

/** The plan for one task: rows per request (B), requests in flight (N), and what they need and take. */
export interface RequestPlan {
  batch: number;
  parallel: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** The least time the per-minute limits allow for these requests and tokens. */
  limitMs: number;
  estimatedMs: number;
  /** What binds: a limit, or the latency of requests in flight. */
  boundBy: LimitName | 'latency';
  /** The time its rounds of requests take if the limits never slow them. */
  latencyBoundMs: number;
}

/** Output tokens of a reply besides its answers (the tool call's frame). */
const REPLY_FRAME_TOKENS = 40;

/** Rows per request when B is chosen automatically: FlockMTL's experience is that quality holds well past this. */
export const AUTO_BATCH_CEILING = 64;

export function planRequests(task: TaskShape, ctx: PlanContext): RequestPlan {
  if (task.rows <= 0)
    return {
      batch: ctx.batch ?? 1,
      parallel: 0,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      limitMs: 0,
      estimatedMs: 0,
      boundBy: 'latency',
      latencyBoundMs: 0,
    };
  if (ctx.batch !== undefined) return evaluate(task, ctx, Math.max(1, Math.min(ctx.batch, task.rows)));
  let best = evaluate(task, ctx, 1);
  const ceiling = Math.min(task.rows, ctx.maxBatch, largestFitting(task, ctx));
  for (let b = 2; b <= ceiling; b++) {
    const plan = evaluate(task, ctx, b);
    if (better(plan, best)) best = plan;
  }
  return best;
}

/**
 * Sooner by more than 2%; within 2%, a tie, which goes to the plan whose rounds of requests end
 * sooner if the limits turn out looser than known (an assumed tier is the lowest a paying account
 * has), and then to fewer input tokens: the same time for less money.
 */
function better(plan: RequestPlan, best: RequestPlan): boolean {
  const differs = (a: number, b: number) => (a < b * 0.98 ? -1 : a > b * 1.02 ? 1 : 0);
  return (
    (differs(plan.estimatedMs, best.estimatedMs) || differs(plan.latencyBoundMs, best.latencyBoundMs) || Math.sign(plan.inputTokens - best.inputTokens)) < 0
  );
}

/** The largest B whose prompt fits half the context and whose `max_tokens` fits the output bucket. */
export function largestFitting(
  task: Pick<TaskShape, 'overheadTokens' | 'rowTokens' | 'outputCap'>,
  ctx: Pick<PlanContext, 'limits' | 'maxBatch' | 'contextTokens'>,
): number {
  const output = ctx.limits.outputTokens?.capacity ?? Infinity;
  let b = 1;
  while (b < ctx.maxBatch && task.overheadTokens + (b + 1) * task.rowTokens <= ctx.contextTokens / 2 && task.outputCap(b + 1) <= output) b++;
  return b;
}

function evaluate(task: TaskShape, ctx: PlanContext, batch: number): RequestPlan {
  const requests = Math.ceil(task.rows / batch);
  const needs: Record<LimitName, number> = {
    requests,
    inputTokens: requests * task.overheadTokens + task.rows * task.rowTokens,
    outputTokens: task.rows * task.answerTokens + requests * REPLY_FRAME_TOKENS,
  };
  let limitMs = 0;
  let boundBy: RequestPlan['boundBy'] = 'latency';
  for (const name of Object.keys(needs) as LimitName[]) {
    const bucket = ctx.limits[name];
    if (!bucket || bucket.perMs <= 0) continue;
    const ms = Math.max(0, needs[name] - bucket.level) / bucket.perMs;
    if (ms > limitMs) {
      limitMs = ms;
      boundBy = name;
    }
  }
  // Requests in flight at once: no more than there are requests, and no more than the output
  // bucket holds reservations for.
  const reserve = task.outputCap(batch);
  const outputCapacity = ctx.limits.outputTokens?.capacity;
  const byOutput = outputCapacity ? Math.max(1, Math.floor(outputCapacity / reserve)) : Infinity;
  const parallel = Math.max(1, Math.min(ctx.parallel, requests, byOutput));
  const latency = ctx.latencyMs(batch);
  const latencyBound = Math.ceil(requests / parallel) * latency;
  const limitBound = limitMs > 0 ? limitMs + latency : 0;
  return {
    batch,
    parallel,
    requests,
    inputTokens: needs.inputTokens,
    outputTokens: needs.outputTokens,
    limitMs: Math.round(limitMs),
    estimatedMs: Math.round(Math.max(latencyBound, limitBound)),
    boundBy: limitBound > latencyBound ? boundBy : 'latency',
    latencyBoundMs: Math.round(latencyBound),
  };
}
