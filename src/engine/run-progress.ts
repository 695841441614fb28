import { callRecord, type CallLogSink, type CallRecord } from '../protocol/call-log';
import type { CallOutcome } from '../protocol/model-calls';
import type { CascadeReport, EstimateReport, JoinReport, QueryProgress, QueryStats, RoutingReport } from '../protocol/progress';
import { CallCounts } from './call-counts';
import type { QueryRun } from './query-run';

export interface RunProgressDeps {
  queryId: string;
  run: QueryRun;
  log: CallLogSink;
  now: () => number;
  /** The session's estimate of the time left, from the plan it follows. */
  etaMs: () => number | null;
  onProgress?: (progress: QueryProgress) => void;
  intervalMs?: number;
  /** The running estimates of an estimating statement (src/engine/estimate/), sent with every event. */
  estimates?: () => EstimateReport[];
}

/**
 * What a statement's run has done so far, as the page sees it: the counts and costs of its calls,
 * the call log rows since the last event (sent every `intervalMs` while it runs), and the stats it
 * ends with.
 */
export class RunProgress {
  readonly #deps: RunProgressDeps;
  readonly #started: number;
  readonly #state: Omit<QueryProgress, 'calls'>;
  /** Calls settled since the last progress event. */
  #settled: CallRecord[] = [];
  /** Inputs sent to the model, and texts to the embeddings model, counted apart. */
  readonly #counts = new CallCounts();
  readonly #cascades: CascadeReport[] = [];
  readonly #routes: RoutingReport[] = [];
  readonly #joins: JoinReport[] = [];
  readonly #ticker: ReturnType<typeof setInterval> | null;

  constructor(deps: RunProgressDeps) {
    this.#deps = deps;
    this.#started = deps.now();
    this.#state = {
      queryId: deps.queryId,
      phase: 'pass',
      pass: 0,
      queued: 0,
      inFlight: 0,
      done: 0,
      cached: 0,
      failed: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      elapsedMs: 0,
      etaMs: null,
    };
    this.#ticker = deps.onProgress ? setInterval(() => this.emit(), deps.intervalMs ?? 200) : null;
  }

  /** A pass begins, or its misses are being resolved, or the result is in. */
  phase(phase: 'pass' | 'resolving' | 'done', pass?: number): void {
    this.#state.phase = phase;
    if (pass !== undefined) this.#state.pass = pass;
    if (phase !== 'done') this.emit();
  }

  emit(): void {
    const state = this.#state;
    state.elapsedMs = this.#deps.now() - this.#started;
    state.etaMs = state.phase === 'resolving' ? this.#deps.etaMs() : null;
    state.cached = this.#deps.run.cachedCount();
    const estimates = this.#deps.estimates?.() ?? [];
    this.#deps.onProgress?.({ ...state, calls: this.#settled, ...(estimates.length > 0 ? { estimates } : {}) });
    this.#settled = [];
  }

  /** An input was handed to the session. */
  queued(): void {
    this.#state.queued++;
  }

  /** The session started sending an input. */
  started(): void {
    this.#state.queued = Math.max(0, this.#state.queued - 1);
    this.#state.inFlight++;
  }

  /** Every input handed over has been resolved. */
  drained(): void {
    this.#state.queued = 0;
  }

  /** An input the session sent has settled: counted, priced and logged. */
  settled(outcome: CallOutcome): void {
    const state = this.#state;
    state.inFlight--;
    state.inputTokens += outcome.usage.inputTokens;
    state.outputTokens += outcome.usage.outputTokens;
    // Each row's share of the requests that carried it: the shares add up to the bill.
    state.costUsd += outcome.costUsd;
    if (outcome.status === 'ok' && outcome.value !== undefined) state.done++;
    else if (outcome.status === 'error') state.failed++;
    this.#counts.record(outcome);
    this.logged(callRecord(this.#deps.queryId, outcome));
  }

  /** A call log row that is not a call (a cascade's proxy decision). */
  logged(entry: CallRecord): void {
    this.#deps.log.call(entry);
    if (this.#deps.onProgress) this.#settled.push(entry);
  }

  cascade(report: CascadeReport): void {
    this.#cascades.push(report);
  }

  routed(report: RoutingReport): void {
    this.#routes.push(report);
  }

  /** What the join planner did for one semantic join (src/engine/join-resolver.ts). */
  join(report: JoinReport): void {
    this.#joins.push(report);
  }

  /** The statement's stats after `passes` passes and `attempts` billed requests. */
  stats(passes: number, attempts: number): QueryStats {
    const state = this.#state;
    return {
      passes,
      ...this.#counts.stats(),
      cached: this.#deps.run.cachedCount(),
      errors: this.#deps.run.failedCount,
      // Requests sent (each may be billed), retries included: rows sharing a request count once.
      attempts,
      wall_ms: this.#deps.now() - this.#started,
      input_tokens: state.inputTokens,
      output_tokens: state.outputTokens,
      cost_usd: state.costUsd,
      ...(this.#cascades.length > 0 ? { cascades: [...this.#cascades] } : {}),
      ...(this.#routes.length > 0 ? { routes: [...this.#routes] } : {}),
      ...(this.#joins.length > 0 ? { joins: [...this.#joins] } : {}),
    };
  }

  /** The run is over: no more events; the inputs answered from the cache get their log rows. */
  end(model: string): void {
    if (this.#ticker) clearInterval(this.#ticker);
    for (const [operator, answers] of this.#deps.run.cachedByOperator) {
      const at = this.#deps.now();
      this.#deps.log.call({
        query_id: this.#deps.queryId,
        operator,
        model,
        started_at: at,
        ended_at: at,
        duration_ms: 0,
        status: 'cached',
        attempts: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        error: null,
        answers,
        rows_in_request: 0,
      });
    }
  }
}
