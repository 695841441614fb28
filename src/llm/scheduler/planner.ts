import type { ModelRequest } from '../../protocol/model';
import type { BatchSize, KnownLimits, RequestPlanEstimate } from '../../protocol/model-calls';
import { VECTOR_OPERATORS } from '../embeddings/embedding-answers';
import { outputCap, overheadTokens, rowTokens } from '../request-size';
import { taskKey } from './batching';
import type { ConnectionStats } from './connection-stats';
import type { ProviderLimits } from './provider-limits';
import { AUTO_BATCH_CEILING, planRequests, type RequestPlan } from './request-plan';

export interface Sizing {
  maxTokensPerRow: number;
  contextTokens: number;
}

export const DEFAULT_SIZING: Sizing = { maxTokensPerRow: 1_024, contextTokens: 200_000 };

/** Output tokens an answer is expected to use before any was seen, by return type (JSON entry included). */
const ANSWER_GUESS: Record<ModelRequest['returns'], number> = { BOOLEAN: 12, DOUBLE: 14, VARCHAR: 60 };

/** Texts per embeddings request: OpenAI's endpoint takes up to 2,048 inputs; local servers do well with fewer. */
const EMBEDDING_BATCH = 96;

const BOUND_WORDS: Record<RequestPlan['boundBy'], string> = {
  requests: 'requests per minute',
  inputTokens: 'input tokens per minute',
  outputTokens: 'output tokens per minute',
  latency: 'answer latency',
};

/**
 * Plans for one provider connection: B per task from the limits known now and what requests have
 * shown (src/llm/scheduler/request-plan.ts), and the estimates EXPLAIN and the ETA report.
 */
export class Planner {
  constructor(
    readonly limits: ProviderLimits | undefined,
    readonly sizing: Sizing,
    readonly stats: ConnectionStats,
  ) {}

  /**
   * Rows per request for a task with `rows` waiting. 'auto' batches only under known limits: with
   * none (the mock, a local server) one row per call is as fast, gives progress and retries at
   * row grain, and keeps each prompt as small as it can be.
   */
  batchFor(sample: ModelRequest, rows: number, parallel: number, batch: BatchSize): number {
    if (batch !== 'auto') return Math.max(1, Math.floor(batch));
    // Embedding endpoints take lists: texts go many to a request whatever the limits.
    if (VECTOR_OPERATORS.has(sample.operator)) return Math.min(rows, EMBEDDING_BATCH);
    if (!this.limits?.known) return 1;
    return this.#plan(sample, rows, parallel, batch).batch;
  }

  estimate(task: ModelRequest, rows: number, parallel: number, batch: BatchSize): RequestPlanEstimate {
    // Planned under known limits; otherwise the rows per request a session would use.
    const plan = this.#plan(task, rows, parallel, batch === 'auto' && this.limits?.known && !VECTOR_OPERATORS.has(task.operator) ? 'auto' : this.batchFor(task, rows, parallel, batch));
    return { operator: task.operator, rows, ...plan, boundBy: BOUND_WORDS[plan.boundBy] };
  }

  known(): KnownLimits {
    const snap = this.limits?.snapshot() ?? {};
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

  #plan(task: ModelRequest, rows: number, parallel: number, batch: BatchSize): RequestPlan {
    const key = taskKey(task);
    const sampled = task.rows.slice(0, 200);
    const meanRow = sampled.length > 0 ? sampled.reduce((n, row) => n + rowTokens(task, row), 0) / sampled.length : 0;
    const answerTokens = this.stats.answerTokens(key, ANSWER_GUESS[task.returns]);
    const maxTokensPerRow = this.sizing.maxTokensPerRow;
    return planRequests(
      {
        rows,
        rowTokens: this.stats.inputTokens(meanRow),
        overheadTokens: this.stats.inputTokens(overheadTokens(task)),
        answerTokens,
        outputCap: (b) => outputCap(task.returns, b, maxTokensPerRow),
      },
      {
        limits: this.limits?.snapshot() ?? {},
        latencyMs: (b) => this.stats.latencyMs(b * answerTokens),
        parallel,
        maxBatch: AUTO_BATCH_CEILING,
        ...(batch === 'auto' ? {} : { batch }),
        contextTokens: this.sizing.contextTokens,
      },
    );
  }
}
