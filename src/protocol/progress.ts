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

/**
 * What tier routing did for one operator (`-- @ model: auto(accuracy A)`): the sample asked of both
 * tiers, their agreement, and which tier answered the rest. The result approximates the quality
 * tier's: on the inputs the cheap tier answered, it agrees with it with at least `accuracy` at
 * `confidence` (as measured on the sample).
 */
export interface RoutingReport {
  operator: string;
  targets: { accuracy: number; confidence: number };
  /** The two tiers' models. */
  cheap: string;
  quality: string;
  /** Distinct inputs routed (those not known before). */
  inputs: number;
  /** Sample draws (with replacement) and the distinct inputs they asked of both tiers. */
  sample: { draws: number; inputs: number };
  /** Draws where both tiers answered, how many agreed, and the agreement's lower confidence limit. */
  agreement: { compared: number; agreed: number; lower: number | null };
  /** Who answered the inputs outside the sample: the cheap tier (the bar was met) or the quality tier. */
  answeredBy: 'cheap' | 'quality';
  /** Inputs outside the sample answered by the cheap tier (their routed answers known from an earlier run included). */
  cheapInputs: number;
  /** Quality-tier calls avoided, and the estimated cost saved against asking the quality tier for every input (negative when the sample's cheap calls bought nothing). */
  qualityCallsSaved: number;
  costSavedUsd: number;
  /** Why the quality tier answered everything, when it did. */
  reason: string;
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
  /** One report per operator tier routing ran for (`-- @ model: auto(…)`). */
  routes?: RoutingReport[];
  /** One report per semantic join a `join` annotation or setting planned (docs/semantic-joins.md). */
  joins?: JoinReport[];
  /** Set when the result is an estimate (`-- @ approximate`, or Stop here), not the exact result. */
  estimate?: EstimateFlag;
}

/** What the join planner did for one semantic join condition (docs/semantic-joins.md). */
export interface JoinReport {
  operator: string;
  /** The two sides as written. */
  sides: [string, string];
  plan: 'nested-loop' | 'classify' | 'block';
  reason: string;
  /** Distinct pairs (argument lists) once the other conditions apply, and the row pairs they stand for. */
  pairs: number;
  rowPairs: number;
  /** Pairs answered before (cache), and the model calls this plan made: classify requests, or pairs asked. */
  known: number;
  calls: number;
  /** Blocking: candidates and sampled pairs asked, k, the lower confidence limit on recall, why it asked every pair. */
  block?: {
    candidates: number;
    sampled: number;
    sampleDraws: number;
    k: { first: number; last: number; certified: number | null };
    recallBound: number | null;
    confidence: number;
    fallback: string | null;
  };
  /** Classify: requests that failed (their pairs went to the pairwise question). */
  classify?: { requests: number; failed: number };
}
