import type { ModelRequest, ProviderErrorInfo } from '../../protocol/model';
import type { CallOutcome, CallPlan, CallSession, PlanLimits, PlannedTask } from '../../protocol/model-calls';
import { ProviderError } from '../provider';
import type { AdaptiveLimit } from './adaptive-limit';
import { taskKey } from './batching';
import { BatchLane, type BatchDeps } from './batch-lane';
import { ConnectionStats } from './connection-stats';
import { DirectLane, type AttemptCaller, type DirectDeps, type LaneHooks } from './direct-lane';
import { DEFAULT_SIZING, Planner, type PlanOptions, type Price, type Sizing } from './planner';
import type { ProviderLimits } from './provider-limits';
import { Reachability } from './reachability';
import { RequestBudget } from './request-budget';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import type { SessionOptions } from './session-options';

export type { AttemptCaller } from './direct-lane';

export interface SchedulerDeps {
  caller: AttemptCaller;
  /** The provider connection's concurrency limit: shared by every session, so what 429s taught it lasts. */
  limit: AdaptiveLimit;
  /** The provider's per-minute limits (settings and response headers), shared likewise; none for the mock. */
  limits?: ProviderLimits;
  /** Output allowed per row (`max_tokens` of a row asked alone) and the model's context, in tokens. */
  sizing?: Sizing;
  /** Requests the endpoint can have in flight at once, whatever a session's `parallel` (src/llm/connection/endpoint-limits.ts). */
  maxInFlight?: number;
  /** What tokens cost (the connection's pricing); free when absent. */
  price?: Price;
  /** Message Batches: the provider's batch API and the ledger that keeps batches across reloads. */
  batches?: Omit<BatchDeps, 'price' | 'onTurnaround'>;
  /** How long a Message Batch takes before one has been seen to end. */
  batchTurnaroundMs?: () => number;
  /** Whether the connection has been reached; shared by its sessions. */
  reach?: Reachability;
  /** What the limits are, in words, when there are none. */
  noLimits?: string;
  retry?: Omit<RetryPolicy, 'maxAttempts'>;
  /** Epoch milliseconds. */
  now?: () => number;
  random?: () => number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/** One provider connection's scheduler: its planner and the sessions of its queries. */
export interface CallScheduler {
  session(options: SessionOptions): CallSession;
  plan(tasks: readonly ModelRequest[], options: PlanOptions): CallPlan;
  limits(): PlanLimits;
  /** Calls in flight across every session. */
  inFlight(): number;
}

const realSchedule = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/** A Message Batch's turnaround before one has been seen: Anthropic's "most batches finish within an hour". */
const BATCH_TURNAROUND_MS = 60 * 60_000;

/**
 * The scheduler of one provider connection (src/llm/connection/provider-connection.ts): every query
 * opens a session on it; sessions share the adaptive concurrency limit, the per-minute window and
 * the planner's statistics, so a 429 seen by one query slows the next one too, and each session
 * keeps its own `parallel`, budget, retries and plans.
 */
export function createCallScheduler(deps: SchedulerDeps): CallScheduler {
  const open = new Set<PlannedSession>();
  const price = deps.price ?? (() => 0);
  const planner = new Planner({
    limits: deps.limits,
    sizing: deps.sizing ?? DEFAULT_SIZING,
    stats: new ConnectionStats(),
    price,
    batchTurnaroundMs: deps.batchTurnaroundMs ?? (() => BATCH_TURNAROUND_MS),
    noLimits: deps.noLimits ?? 'none known',
  });
  const reach = deps.reach ?? new Reachability();
  const rebound = () => {
    // Demand is the sum of the open sessions' parallel; the floor of a quarter keeps random 429s
    // (the mock's fault injection) from stalling a query at one call in flight.
    const demand = [...open].reduce((sum, s) => sum + s.parallel, 0);
    if (demand > 0) deps.limit.setBounds(demand, Math.ceil(demand / 4));
  };
  const inFlight = (parallel: number) => Math.min(parallel, deps.maxInFlight ?? Infinity);
  return {
    session(requested) {
      const options = { ...requested, parallel: inFlight(requested.parallel) };
      const direct: DirectDeps = {
        caller: deps.caller,
        limit: deps.limit,
        planner,
        reach,
        retry: { ...DEFAULT_RETRY, ...deps.retry, maxAttempts: options.maxAttempts },
        now: deps.now ?? (() => performance.timeOrigin + performance.now()),
        schedule: deps.schedule ?? realSchedule,
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.limits ? { limits: deps.limits } : {}),
      };
      const batches = deps.batches ? { ...deps.batches, price, onTurnaround: (ms: number) => planner.stats.observeBatch(ms) } : null;
      const session = new PlannedSession(options, planner, direct, batches, (s) => {
        open.delete(s);
        rebound();
      });
      open.add(session);
      rebound();
      return session;
    },
    plan: (tasks, options) => planner.plan(tasks, { ...options, parallel: inFlight(options.parallel) }),
    limits: () => planner.limits(),
    inFlight: () => deps.caller.inFlight(),
  };
}

/**
 * A query's session: rows go to its direct lane or its Message Batches as the plans it follows say,
 * under one budget; a fatal error in either stops both.
 */
class PlannedSession implements CallSession {
  readonly parallel: number;
  readonly #options: SessionOptions;
  readonly #planner: Planner;
  readonly #budget: RequestBudget;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  readonly #onClose: (s: PlannedSession) => void;
  readonly #direct: DirectLane;
  readonly #batch: BatchLane | null;
  /** The followed plans' tasks, and how many plans still hold each open for more rows. */
  readonly #plans = new Map<string, PlannedTask>();
  readonly #holds = new Map<string, number>();
  #fatal: ProviderError | null = null;
  #closed = false;

  constructor(options: SessionOptions, planner: Planner, direct: DirectDeps, batches: BatchDeps | null, onClose: (s: PlannedSession) => void) {
    this.#options = options;
    this.#planner = planner;
    this.#budget = new RequestBudget(options.budget);
    this.#signal = AbortSignal.any([options.signal, this.#stop.signal]);
    this.#onClose = onClose;
    const hooks: LaneHooks = {
      options,
      budget: this.#budget,
      signal: this.#signal,
      rowsPerRequest: (task, sample, queued) => this.#taskPlan(task, sample, queued).rowsPerRequest,
      held: (task) => (this.#holds.get(task) ?? 0) > 0,
      settle: (outcome, resolve, started) => this.#settle(outcome, resolve, started),
      stop: (error) => this.#halt(error),
    };
    this.#direct = new DirectLane(direct, hooks);
    this.parallel = this.#direct.parallel;
    this.#batch = batches ? new BatchLane(batches, hooks) : null;
    this.#signal.addEventListener('abort', () => this.#drain(), { once: true });
  }

  get attempts(): number {
    return this.#budget.used;
  }

  get fatal(): ProviderError | null {
    return this.#fatal;
  }

  follow(plan: CallPlan): () => void {
    for (const task of plan.tasks) {
      this.#plans.set(task.task, task);
      this.#holds.set(task.task, (this.#holds.get(task.task) ?? 0) + 1);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const task of plan.tasks) this.#holds.set(task.task, (this.#holds.get(task.task) ?? 1) - 1);
      this.#direct.wake();
      this.#batch?.wake();
    };
  }

  submit(request: ModelRequest): Promise<CallOutcome> {
    return new Promise((resolve) => {
      if (this.#signal.aborted) {
        const cancelled = new ProviderError({ kind: 'cancelled', message: 'the query ended' });
        resolve({
          request,
          status: 'cancelled',
          usage: { inputTokens: 0, outputTokens: 0 },
          costUsd: 0,
          attempts: 0,
          rowsInRequest: 0,
          startedAt: 0,
          endedAt: 0,
          error: cancelled,
        });
        return;
      }
      const task = taskKey(request);
      if (this.#taskPlan(task, request, 1).mode === 'batch' && this.#batch) this.#batch.submit(request, task, resolve);
      else this.#direct.submit(request, task, resolve);
    });
  }

  etaMs(): number | null {
    const direct = this.#direct.etaMs();
    const batch = this.#batch?.etaMs(this.#planner.batchTurnaroundMs()) ?? null;
    if (direct === null && batch === null) return null;
    return Math.max(direct ?? 0, batch ?? 0);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort(new ProviderError({ kind: 'cancelled', message: 'the query ended' }));
    this.#onClose(this);
  }

  /** The plan a task's rows follow: the followed plan's, else one made now for the rows at hand. */
  #taskPlan(task: string, sample: ModelRequest, queued: number): Pick<PlannedTask, 'mode' | 'rowsPerRequest'> {
    const planned = this.#plans.get(task);
    if (planned) return planned;
    const mode = this.#options.mode === 'batch' && this.#batch ? 'batch' : 'direct';
    return this.#planner.task(sample, queued, { mode, parallel: this.parallel, rowsPerRequest: this.#options.rowsPerRequest });
  }

  #settle(outcome: CallOutcome, resolve: (outcome: CallOutcome) => void, started: boolean): void {
    // Rows that never started were never logged as started either: they only resolve.
    if (started) this.#options.onSettled?.(outcome);
    if (outcome.status === 'error' && outcome.error && this.#options.isFatal(outcome.error)) this.#halt(outcome.error);
    resolve(outcome);
  }

  #halt(error: ProviderErrorInfo): void {
    if (this.#fatal) return;
    this.#fatal = error instanceof ProviderError ? error : new ProviderError(error);
    this.#stop.abort(this.#fatal);
  }

  /** Cancelled or stopped: everything not in flight settles now; requests in flight settle as they abort. */
  #drain(): void {
    this.#direct.drain();
    this.#batch?.drain();
  }
}
