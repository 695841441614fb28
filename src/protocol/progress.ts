import type { CallRecord } from './call-log';

/** A running query's state, sent to the caller at least every 250 ms and at each change of phase. */
export interface QueryProgress {
  queryId: string;
  phase: 'pass' | 'resolving' | 'done' | 'failed' | 'cancelled';
  pass: number;
  queued: number;
  inFlight: number;
  done: number;
  cached: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  elapsedMs: number;
  /**
   * Estimated ms until the calls asked so far are answered, from the same plan EXPLAIN shows (rows
   * per request, the provider's limits, latencies seen); null when nothing is being resolved.
   */
  etaMs: number | null;
  /**
   * The calls that settled since the previous event: the timeline grows from these, so a live view
   * needs no polling and no event re-sends a query's whole log.
   */
  calls: CallRecord[];
  /**
   * Running estimates of an aggregate over semantic answers, from the answers settled so far
   * (inputs are asked in a seeded random order): present while such a statement resolves.
   */
  estimates?: EstimateReport[];
}

/**
 * One running estimate (src/engine/estimate/): per semantic operator and criterion, the share of its
 * inputs answered true (a filter) or the mean of its answers (a score), over the statement's
 * distinct inputs, with an interval at `confidence`.
 */
export interface EstimateReport {
  operator: string;
  /** The operator's other arguments (the criterion), as the query gave them. */
  criterion: string;
  kind: 'share' | 'mean';
  /** null until an answer is in. */
  estimate: number | null;
  /** null while there is no interval yet (a mean from fewer than 30 answers). */
  low: number | null;
  high: number | null;
  confidence: number;
  /** Inputs whose answer is known (this query's calls and the cache), of `inputs`. */
  answered: number;
  inputs: number;
  /** How the interval is computed, in words. */
  method: string;
}

/** A result that is an estimate rather than the exact result: why it stopped, and its estimates. */
export interface EstimateFlag {
  /** 'approximate': every interval reached `-- @ approximate`'s error; 'stopped': the user pressed Stop here. */
  reason: 'approximate' | 'stopped';
  estimates: EstimateReport[];
}

/** What a cascade did for one filter (docs/cascades.md): who decided how many rows, and with which thresholds. */
export interface CascadeReport {
  operator: string;
  /** The operator's other arguments (the criterion), as the query gave them. */
  criterion: string;
  targets: { recall: number; precision: number; confidence: number };
  rows: number;
  /** Rows the model was asked about (sampled and undecided ones). */
  calls: number;
  /**
   * Texts whose vectors scored rows, the criterion's included (cached ones too): none when the
   * cascade fell back before its pilot, the pilot's when it stopped after it. Their embedding
   * requests are counted with the query's (`QueryStats.embedding_requests`), never as model calls.
   */
  proxyTexts: number;
  decidedBy: { sample: number; proxyAccept: number; proxyReject: number; model: number };
  /** Proxy scores (cosine similarity) at and above which rows were accepted, and below which rejected. */
  thresholds: { low: number | null; high: number | null };
  /** Recall and precision of the result on the sampled rows, against the model's answers. */
  estimate: { recall: number | null; precision: number | null };
  /** Why every row went to the model, when one did: too few rows, unreachable targets, a useless proxy, nothing certified. */
  fallback: string | null;
}

export interface QueryStats {
  passes: number;
  /** Distinct inputs sent to the model (each may have taken several attempts); texts sent to the embeddings model are not among them. */
  calls: number;
  /** Distinct texts sent to the embeddings model (embed, vector_search, RANKED BY, MEANING, a cascade's proxy). */
  embedding_texts: number;
  /** Requests sent to the embeddings model, retries included (texts share requests). */
  embedding_requests: number;
  /** Distinct inputs answered from the cache (memory or IndexedDB) without a call in this query. */
  cached: number;
  /** Distinct inputs that failed: their rows hold NULL (on_error: null). */
  errors: number;
  /** Requests sent to the model and the embeddings model, retries included: rows that shared a request count once (the budget counts these). */
  attempts: number;
  wall_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** One report per filter a cascade ran for (`-- @ cascade`). */
  cascades?: CascadeReport[];
  /** Set when the result is an estimate (`-- @ approximate`, or Stop here), not the exact result. */
  estimate?: EstimateFlag;
}
