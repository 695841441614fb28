import type { PendingBatch } from './batches';
import type { CallRecord, QueryRecord } from './call-log';
import type { DataSource, LoadedTable, LoadOptions, LoadProgress } from './data-source';
import type { PlanLimits, RequestPlanEstimate } from './model-calls';
import type { QueryProgress, QueryStats } from './progress';
import type { ColumnarResult } from './results';
import type { EngineSettings } from './settings';
import type { ResultVisual } from './visuals';

/**
 * The DuckDB worker's API, as the client sees it through Comlink (`wrap<DuckDbWorkerApi>()`).
 * Types only: this file is the one declaration of the thread boundary.
 */
/** The answer cache's size, as the settings form shows it. */
export interface CacheStats {
  memoryEntries: number;
  persistentEntries: number | null;
  pendingWrites: number;
  /** True once the persistent tier failed: answers then live in memory only. */
  memoryOnly: boolean;
}

export interface EngineInfo {
  duckdbVersion: string;
  bundle: 'eh' | 'mvp';
}

export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
  /** A table kept across reloads: where it came from, and whether the engine has read it back yet. */
  kept?: { origin: string; restored: boolean };
}

export interface QueryResponse {
  queryId: string;
  result: ColumnarResult;
  stats: QueryStats;
  /** Things the user should know once (e.g. the cache fell back to memory). */
  warnings: string[];
  /** A chart or diagram a pipeline stage made for the result. */
  visual?: ResultVisual;
  /** Tables the statement kept as saved tables (`INTO name`), stored for the next visit. */
  savedTables?: string[];
}

export interface ExplainCallSite {
  operator: string;
  line: number;
  column: number;
  text: string;
  args: string[];
  shape: string;
}

export interface ExplainRouting {
  operator: string;
  cheap: string;
  quality: string;
  targets: { accuracy: number; confidence: number };
  /** Distinct inputs that would be called. */
  inputs: number;
  /** Draws of the sample, asked of both tiers (0 when it falls back). */
  sampleDraws: number;
  /** Calls and cost if the cheap tier meets the bar (best) and if it does not (worst); the sample's cheap calls are in both. */
  ifMet: { cheapCalls: number; qualityCalls: number; costUsd: number };
  ifNotMet: { cheapCalls: number; qualityCalls: number; costUsd: number };
  /** Why every input would go to the quality tier, when it would. */
  fallback: string | null;
}

export interface ExplainResult {
  sql: string;
  callSites: ExplainCallSite[];
  /** Distinct inputs the first pass asks about, and how they would be answered. */
  firstPass: { distinctInputs: number; cached: number; calls: number };
  /** False when the pass stopped counting (past 200,000 inputs): the counts are then lower bounds. */
  complete: boolean;
  /** The same, per operator: includes operators called from views and macros the SQL reads. */
  operators: { operator: string; distinctInputs: number; cached: number; calls: number }[];
  /**
   * What the calls would take under the provider's limits as known now (settings and the latest
   * rate-limit headers): requests, tokens, cost and time.
   */
  estimate: { requests: number; inputTokens: number; outputTokens: number; costUsd: number; estimatedMs: number };
  /**
   * Cascades the query would run (`-- @ cascade`): per filter, the rows, the sample it would draw and
   * the calls it would make, at least and at most (how many rows the proxy decides shows only after
   * the sample), or why every row would go to the model.
   */
  /** The model the statement runs with, and the tier that named it (`-- @ model: fast`), if one did. */
  model?: { model: string; tier: string | null };
  /**
   * Tier routing per operator (`-- @ model: auto(accuracy A)`), before anything is paid: the sample
   * asked of both tiers, and the calls and cost of each tier if the bar is met or not.
   */
  routing?: ExplainRouting[];
  cascades: {
    operator: string;
    criterion: string;
    rows: number;
    sampleDraws: { min: number; max: number };
    calls: { min: number; max: number };
    /** Texts the proxy would embed (the criterion's included), apart from the model calls: fewer when the pilot stops it. */
    proxyTexts: { min: number; max: number };
    fallback: string | null;
  }[];
  /**
   * How each operator's calls would be sent: direct or as Message Batches, rows per request,
   * requests in flight, what binds. The run sends what this plan says (src/llm/scheduler/planner.ts).
   */
  requests: RequestPlanEstimate[];
  /** The provider's limits the plan was made under, and where they come from (learned, settings, assumed or none). */
  limits: PlanLimits;
  /** Whether the query may stop at the first pass that returns its LIMIT rows, and if not, why. */
  earlyLimit: { eligible: boolean; limit?: number; reason?: string };
  /** With `-- @ mode: batch`: where the batches would go (src/llm/batch-endpoint.ts), or why nowhere. */
  batchEndpoint?: string;
  /**
   * Semantic joins (docs/semantic-joins.md): the pairs once the other conditions apply, the plan
   * and why, and what each plan would call: every pair, one request per value of the large side,
   * or blocking's candidates and sample (about, when each left value has one match; at most every pair).
   */
  joins?: JoinExplain[];
}

export interface JoinExplain {
  operator: string;
  line: number;
  column: number;
  sides: [string, string];
  pairs: number;
  known: number;
  values: [number, number];
  plan: string;
  reason: string;
  calls: { nestedLoop: number; classify: number | null; block: { about: number; max: number } };
}

/** An operator as the UI shows, completes and edits it: structured, never strings to parse back. */
export interface OperatorInfo {
  name: string;
  /**
   * Infix keyword sequences (upper case, e.g. [['ALIGNS', 'WITH'], ['ALIGNS']]), postfix ones
   * (`x CANONICAL`, `x BY FORMALITY`) and function names.
   */
  spellings: { infix: string[][]; postfix?: string[][]; functions: string[] };
  args: { name: string; type: string; optional: boolean; description?: string }[];
  returns: 'BOOLEAN' | 'DOUBLE' | 'VARCHAR';
  /** The type as the user sees it when it differs from `returns`: INTEGER, JSON, DOUBLE[], TABLE (...). */
  sqlType?: string;
  shape: string;
  /** Who answers it: the language model, or the embeddings provider (vectors compared in DuckDB). */
  /** sql: DuckDB computes it from SQL the rewriter writes (session parameters, table forms, the call log). */
  answeredBy: 'model' | 'embeddings' | 'sql';
  builtin: boolean;
  example: string;
  /** Every example of the catalogue entry (the first is `example`): for hover help and docs. */
  examples?: { sql: string; note?: string }[];
  /** How to write it, one line per form: `text MEANS criterion`, `matches(text, criterion)`. */
  syntax?: string[];
  /** LARS's names for it, where they differ. */
  lars?: string[];
  description: string;
  prompt: string;
}

export interface CallLogResult {
  calls: CallRecord[];
  queries: QueryRecord[];
  retainedQueries: number;
}

/** What tests and the UI watch for leaks: heap size, calls still out, queries still running. */
export interface EngineStats {
  heapBytes: number;
  inFlightCalls: number;
  runningQueries: number;
}

/**
 * Whose state an engine reads and writes (docs/security.md): the app's own, or a namespace of an
 * embedding host, so an embedding never changes the app's operators, settings or cached answers.
 */
export interface StorageScope {
  /** null: the app's own stores; otherwise a namespace (an embedding host's origin, or 'direct'). */
  namespace: string | null;
  /** Also read, never write, the app's own operators and cached answers (hosts the user allowed). */
  readsAppState: boolean;
}

export interface DuckDbWorkerApi {
  open(settings: EngineSettings, scope: StorageScope): Promise<EngineInfo>;
  configure(settings: EngineSettings): Promise<void>;
  /** Ports to the model workers, one each; the main thread owns the workers themselves. */
  attachModelWorkers(ports: MessagePort[]): Promise<void>;
  query(queryId: string, sql: string, onProgress?: (progress: QueryProgress) => void): Promise<QueryResponse>;
  cancel(queryId: string): Promise<void>;
  /** Stop here: an aggregate's running estimates become its result (src/engine/estimate/); any other query is cancelled. */
  stop(queryId: string): Promise<void>;
  explain(sql: string): Promise<ExplainResult>;
  load(source: DataSource, options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<LoadedTable>;
  tables(): Promise<TableInfo[]>;
  operators(): Promise<OperatorInfo[]>;
  cacheStats(): Promise<CacheStats>;
  clearCache(): Promise<void>;
  /** The call log of one query, or all: the log keeps the latest `retainedQueries` queries. */
  callLog(queryId?: string): Promise<CallLogResult>;
  /** Message Batches not yet settled (`-- @ mode: batch`), this tab's and those a reload left. */
  pendingBatches(): Promise<PendingBatch[]>;
  /** Cancels a pending batch at the provider; what it had already answered is still stored. */
  cancelBatch(localId: string): Promise<void>;
  engineStats(): Promise<EngineStats>;
  /** Fault injection, like the mock model's: makes the worker die as a crash would (tests, demos). */
  injectFault(kind: 'worker-error'): Promise<void>;
}
