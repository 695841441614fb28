import type { BatchStatus, PendingBatch } from './batches';
import type { AnswerValue, ModelRequest, ProviderErrorInfo, TokenUsage } from './model';
import type { CallOptions } from './resolved-options';
import type { EngineSettings } from './settings';

/**
 * What the engine needs from model calling: the provider connection's port (src/llm/connection
 * implements it). It sits here, on the ground floor, so the engine imports nothing of src/llm's
 * scheduler or batches; the DuckDB worker's entry builds the connection and hands it over.
 *
 * The path of a pass's calls: the engine asks the connection for a plan of its misses (`plan`),
 * checks it against the budget, and sends the rows through the query's session, which sends them as
 * the plan says (`follow`). Every request submitted settles exactly once, with an answer, a
 * row-level error or a cancellation, and never rejects.
 */
export interface CallOutcome {
  /** The one-row request that was submitted. */
  request: ModelRequest;
  status: 'ok' | 'error' | 'cancelled';
  /** The answer, when `status` is 'ok'. */
  value?: AnswerValue;
  /** This row's share of what the requests that carried it consumed. */
  usage: TokenUsage;
  /** What that share costs, priced by the model that answered (the batch price for a Message Batch). */
  costUsd: number;
  error?: ProviderErrorInfo;
  /** Requests sent to the provider that carried this input (each one may be billed). */
  attempts: number;
  /** Rows in the request that answered it (1 when asked alone). */
  rowsInRequest: number;
  /** 'batch' when a Message Batch answered it: billed at the batch price. */
  billing?: 'batch';
  startedAt: number;
  endedAt: number;
}

/** How one task's rows (one operator, scope and template) are sent: EXPLAIN shows one per task. */
export interface RequestPlanEstimate {
  operator: string;
  rows: number;
  /** Direct requests, or Message Batches. */
  mode: 'direct' | 'batch';
  rowsPerRequest: number;
  /** Requests in flight at once. */
  parallel: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The least time the provider's per-minute limits allow for these requests and tokens. */
  limitMs: number;
  estimatedMs: number;
  /** What binds, in words: a per-minute limit, 'answer latency', or 'the batch API's turnaround'. */
  boundBy: string;
}

/** A task of a plan, with the key its rows share requests by. */
export interface PlannedTask extends RequestPlanEstimate {
  task: string;
}

/** The provider's per-minute limits as known now (from settings and response headers). */
export interface KnownLimits {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
}

/** The limits a plan was made under, and where they come from. */
export interface PlanLimits extends KnownLimits {
  /** learned: the provider's headers; settings: typed by the user; assumed: a stated assumption until the first response; none. */
  source: 'learned' | 'settings' | 'assumed' | 'none';
  /** In words, for EXPLAIN. */
  note: string;
}

/**
 * How the calls of a pass are sent: one plan, made by one planner, that the budget check, EXPLAIN,
 * the progress ETA and the run all use; the run sends what it says.
 */
export interface CallPlan {
  tasks: PlannedTask[];
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Tasks share the provider's limits, so their times add up. */
  estimatedMs: number;
  limits: PlanLimits;
}

export interface CallSession {
  /**
   * Rows of `plan`'s tasks are sent as the plan says (rows per request, direct or as Message
   * Batches). Returns `end`: call it once every row meant for the plan is submitted, so the last,
   * shorter request of each task may go.
   */
  follow(plan: CallPlan): () => void;
  /** One row (`request.rows` holds one); rows of the same task may share a request. */
  submit(request: ModelRequest): Promise<CallOutcome>;
  /** Billed requests sent so far (the budget's count): every request but those refused with a 429. */
  readonly attempts: number;
  /** The error that stopped the session, if one did. */
  readonly fatal: ProviderErrorInfo | null;
  /** Estimated ms until every row submitted so far is answered, or null when nothing is left. */
  etaMs(): number | null;
  /** Ends the session: anything still queued settles as cancelled, and its share of concurrency goes. */
  close(): void;
}

export interface OpenSession {
  options: CallOptions;
  signal: AbortSignal;
  /** What a Message Batch's ledger record keeps of the statement, so a reload can finish it. */
  queryId: string;
  sql: string;
  onBatchStatus?(status: BatchStatus): void;
  onStart?(request: ModelRequest): void;
  /** Called as each request settles, before its promise resolves. */
  onSettled?(outcome: CallOutcome): void;
}

/** Where answers that arrive outside any query (a Message Batch a reload left) are stored: the answer cache. */
export interface AnswerStore {
  put(key: string, answer: { value: AnswerValue; inputTokens: number; outputTokens: number }, seenBy: string): void;
  flush(): Promise<void>;
}

/** Who answers, as it enters every cache key: the chat provider and the embeddings endpoint. */
export interface ConnectionIdentity {
  /** 'mock', or the provider and its endpoint (e.g. 'anthropic:https://api.anthropic.com'). */
  provider: string;
  embeddings: { provider: string; model: string };
}

/** The provider connection, as the engine uses it (src/llm/connection/provider-connection.ts). */
export interface ProviderConnection {
  identity(): ConnectionIdentity;
  /** How `requests` would be sent with `options`, now: rows of the same task are planned together. */
  plan(requests: readonly ModelRequest[], options: CallOptions): CallPlan;
  /**
   * A query's session: its budget, lanes, retries and Message Batches. A batch session with nowhere
   * to send its batches is refused here, before anything is sent.
   */
  open(session: OpenSession): CallSession;
  /** The limits the next plan would be made under. */
  limits(): PlanLimits;
  /** Where Message Batches would go now, in words (src/llm/batch-endpoint.ts), or why nowhere. */
  batchEndpoint(): string;
  /**
   * Inputs held by a pending Message Batch, each with a promise that settles once its answers are
   * stored: they are waited for, never asked twice.
   */
  heldByBatch(keys: readonly string[]): Promise<Map<string, Promise<void>>>;
  pendingBatches(): Promise<PendingBatch[]>;
  cancelBatch(localId: string): Promise<void>;
  /** Calls in flight across every session (leak checks, engine stats). */
  inFlight(): number;
  configure(settings: EngineSettings): Promise<void>;
  /** The model workers, one port each. */
  attach(ports: MessagePort[]): Promise<void>;
}
