import type { ModelRequest, TokenUsage } from '../../protocol/model';
import type { CallPlan, KnownLimits, PlanLimits, PlannedTask, RequestPlanEstimate } from '../../protocol/model-calls';
import { EMBEDDING_OPERATORS, VECTOR_OPERATORS } from '../embeddings/embedding-answers';
import { outputCap, overheadTokens, rowTokens } from '../request-size';
import { mergeRows, taskKey } from './batching';
import type { ConnectionStats } from './connection-stats';
import type { ProviderLimits } from './provider-limits';
import { AUTO_BATCH_CEILING, largestFitting, planRequests, type RequestPlan } from './request-plan';
import type { RowsPerRequest } from './session-options';

export interface Sizing {
  maxTokensPerRow: number;
  contextTokens: number;
}

export const DEFAULT_SIZING: Sizing = { maxTokensPerRow: 1_024, contextTokens: 200_000 };

/** What tokens cost, in US dollars: the connection's pricing (at the batch price for Message Batches). */
export type Price = (model: string, usage: TokenUsage, batch: boolean) => number;

/** What a plan is made for: the statement's options that decide how its calls are sent. */
export interface PlanOptions {
  mode: 'direct' | 'batch';
  parallel: number;
  rowsPerRequest: RowsPerRequest;
}

export interface PlannerDeps {
  /** The provider's per-minute limits (none for the mock). */
  limits: ProviderLimits | undefined;
  sizing: Sizing;
  stats: ConnectionStats;
  price: Price;
  /** How long a Message Batch takes to end, before one has been seen to (the provider's own figure). */
  batchTurnaroundMs(): number;
  /** What the limits are when there are none, in words (the mock has none; an endpoint may say none). */
  noLimits: string;
}

/** Output tokens an answer is expected to use before any was seen, by return type (JSON entry included). */
const ANSWER_GUESS: Record<ModelRequest['returns'], number> = { BOOLEAN: 12, DOUBLE: 14, VARCHAR: 60 };

/** Texts per embeddings request: OpenAI's endpoint takes up to 2,048 inputs; local servers do well with fewer. */
const EMBEDDING_BATCH = 96;

/** Rows sampled to estimate a task's row size. */
const SAMPLE_ROWS = 200;

const BOUND_WORDS: Record<RequestPlan['boundBy'], string> = {
  requests: 'requests per minute',
  inputTokens: 'input tokens per minute',
  outputTokens: 'output tokens per minute',
  latency: 'answer latency',
};

/**
 * The one planner of a provider connection: how a pass's calls are sent, in every mode. Per task,
 * rows per request (B) and requests in flight (N) for the binding limit (src/llm/scheduler/request-plan.ts),
 * direct or as Message Batches, with requests, tokens, cost and time. The budget check, EXPLAIN,
 * the progress ETA and the run use its plan, so they agree on what will be sent.
 */
export class Planner {
  constructor(readonly deps: PlannerDeps) {}

  get sizing(): Sizing {
    return this.deps.sizing;
  }

  get stats(): ConnectionStats {
    return this.deps.stats;
  }

  /** The plan for `requests`: rows of the same task (src/llm/scheduler/batching.ts) are planned together. */
  plan(requests: readonly ModelRequest[], options: PlanOptions): CallPlan {
    const tasks = new Map<string, ModelRequest[]>();
    for (const request of requests) {
      const key = taskKey(request);
      const same = tasks.get(key);
      if (same) same.push(request);
      else tasks.set(key, [request]);
    }
    const planned = [...tasks.values()].map((rows) => {
      const task = mergeRows(rows);
      return this.task(task, task.rows.length, options);
    });
    const sum = (f: (t: PlannedTask) => number) => planned.reduce((n, t) => n + f(t), 0);
    return {
      tasks: planned,
      requests: sum((t) => t.requests),
      inputTokens: sum((t) => t.inputTokens),
      outputTokens: sum((t) => t.outputTokens),
      costUsd: sum((t) => t.costUsd),
      estimatedMs: sum((t) => t.estimatedMs),
      limits: this.limits(),
    };
  }

  /** One task: `sample` carries some of its rows (their sizes are the estimate), `rows` counts them all. */
  task(sample: ModelRequest, rows: number, options: PlanOptions): PlannedTask {
    // The embeddings endpoint has no batch API: what it answers always goes as direct requests.
    const mode = options.mode === 'batch' && !EMBEDDING_OPERATORS.has(sample.operator) ? 'batch' : 'direct';
    const fixed = options.rowsPerRequest === 'auto' ? this.#autoRows(sample, rows, mode) : Math.max(1, Math.floor(options.rowsPerRequest));
    const plan = mode === 'batch' ? this.#batchPlan(sample, rows, fixed) : this.#directPlan(sample, rows, options.parallel, fixed);
    const costUsd = this.deps.price(sample.model, { inputTokens: plan.inputTokens, outputTokens: plan.outputTokens }, mode === 'batch');
    const boundBy = mode === 'batch' ? "the batch API's turnaround" : BOUND_WORDS[plan.boundBy];
    return { task: taskKey(sample), operator: sample.operator, rows, mode, rowsPerRequest: plan.batch, ...withoutBatch(plan), costUsd, boundBy };
  }

  /** The estimate for rows still queued at a fixed B (the ETA of a plan under way). */
  estimate(sample: ModelRequest, rows: number, parallel: number, rowsPerRequest: number): RequestPlanEstimate {
    const { task: _task, ...estimate } = this.task(sample, rows, { mode: 'direct', parallel, rowsPerRequest });
    return estimate;
  }

  /** How long a Message Batch takes to end: as batches have shown, else the provider's own figure. */
  batchTurnaroundMs(): number {
    return this.deps.stats.batchTurnaroundMs(this.deps.batchTurnaroundMs());
  }

  /** The limits plans are made under now, and where they come from. */
  limits(): PlanLimits {
    const known = this.#known();
    const source = this.deps.limits?.source ?? { source: 'none' as const, basis: null };
    const note = {
      learned: "as the provider's rate-limit headers said",
      settings: 'as set in Settings',
      assumed: `assumed until the provider's first response says: ${source.basis ?? 'its entry tier'}`,
      none: this.deps.noLimits,
    }[source.source];
    return { ...known, source: source.source, note };
  }

  /**
   * B for 'auto' when the plan does not search for it: embeddings' list size; as Message Batches,
   * the most that fit (a batch has no per-minute limits to pace); with no limits at all (the mock, a
   * local server), one row per call, which is as fast, retries at row grain and keeps each prompt
   * small. Undefined: searched for under the limits.
   */
  #autoRows(sample: ModelRequest, rows: number, mode: 'direct' | 'batch'): number | undefined {
    if (VECTOR_OPERATORS.has(sample.operator)) return Math.max(1, Math.min(rows, EMBEDDING_BATCH));
    if (mode === 'batch') {
      const shape = this.#shape(sample, rows);
      return largestFitting(shape, { limits: {}, maxBatch: AUTO_BATCH_CEILING, contextTokens: this.deps.sizing.contextTokens });
    }
    return this.deps.limits?.known ? undefined : 1;
  }

  #directPlan(sample: ModelRequest, rows: number, parallel: number, fixed: number | undefined): RequestPlan {
    const shape = this.#shape(sample, rows);
    return planRequests(shape, {
      limits: this.deps.limits?.snapshot() ?? {},
      latencyMs: (b) => this.deps.stats.latencyMs(b * shape.answerTokens),
      parallel,
      maxBatch: AUTO_BATCH_CEILING,
      ...(fixed === undefined ? {} : { batch: fixed }),
      contextTokens: this.deps.sizing.contextTokens,
    });
  }

  /** Message Batches: every request submitted at once, answered within the batch API's turnaround. */
  #batchPlan(sample: ModelRequest, rows: number, fixed: number | undefined): RequestPlan {
    const shape = this.#shape(sample, rows);
    const turnaround = this.batchTurnaroundMs();
    return planRequests(shape, {
      limits: {},
      latencyMs: () => turnaround,
      parallel: Infinity,
      maxBatch: AUTO_BATCH_CEILING,
      batch: fixed ?? 1,
      contextTokens: this.deps.sizing.contextTokens,
    });
  }

  #shape(sample: ModelRequest, rows: number) {
    const sampled = sample.rows.slice(0, SAMPLE_ROWS);
    const meanRow = sampled.length > 0 ? sampled.reduce((n, row) => n + rowTokens(sample, row), 0) / sampled.length : 0;
    const maxTokensPerRow = this.deps.sizing.maxTokensPerRow;
    return {
      rows,
      rowTokens: this.deps.stats.inputTokens(meanRow),
      overheadTokens: this.deps.stats.inputTokens(overheadTokens(sample)),
      answerTokens: this.deps.stats.answerTokens(taskKey(sample), ANSWER_GUESS[sample.returns]),
      outputCap: (b: number) => outputCap(sample.returns, b, maxTokensPerRow),
    };
  }

  #known(): KnownLimits {
    const snap = this.deps.limits?.snapshot() ?? {};
    const perMinute = (perMs: number | undefined) => (perMs === undefined ? undefined : Math.round(perMs * 60_000));
    const out: KnownLimits = {};
    const rpm = perMinute(snap.requests?.perMs);
    const itpm = perMinute(snap.inputTokens?.perMs);
    const otpm = perMinute(snap.outputTokens?.perMs);
    if (rpm !== undefined) out.requestsPerMinute = rpm;
    if (itpm !== undefined) out.inputTokensPerMinute = itpm;
    if (otpm !== undefined) out.outputTokensPerMinute = otpm;
    return out;
  }
}

function withoutBatch(plan: RequestPlan): Omit<RequestPlan, 'batch' | 'boundBy' | 'latencyBoundMs'> {
  const { batch: _batch, boundBy: _bound, latencyBoundMs: _rounds, ...rest } = plan;
  return rest;
}
