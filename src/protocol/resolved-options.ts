/**
 * A statement's options, resolved once (src/engine/resolve-options.ts): its annotations over the
 * settings over the defaults, every field present and checked. The executor, EXPLAIN and the
 * provider connection read this record and nothing else, so no layer merges `x ?? settings.y` again.
 */

export interface CascadeTargetsResolved {
  recall: number;
  precision: number;
  confidence: number;
  /** Seeds the sample: the statement's own seed, else one derived from its SQL. */
  seed: number;
}

/** `-- @ model: auto(accuracy A)`: the two tiers routing chooses between, as concrete models. */
export interface RoutingResolved {
  accuracy: number;
  confidence: number;
  /** Seeds the sample: the statement's own seed, else one derived from its SQL. */
  seed: number;
  /** The cheapest tier's model: it answers the rest only where the sample shows it agrees. */
  cheap: string;
  /** The quality tier's model: the statement's `model`, whose answers the result approximates. */
  quality: string;
}

export interface ResolvedOptions {
  /** Who answers: the chat model and how, as they enter every cache key (a tier resolved to its model). */
  model: string;
  /** The tier the statement named (`-- @ model: fast`), or null when it named a model. */
  tier: 'fast' | 'standard' | 'quality' | null;
  /** Tier routing (`-- @ model: auto(…)`), or null. */
  routing: RoutingResolved | null;
  temperature: number;
  instructions: readonly string[];

  /** How the calls are sent: as direct requests, or as Message Batches (`-- @ mode: batch`). */
  mode: 'direct' | 'batch';
  /** Requests in flight at once. */
  parallel: number;
  /** Rows sent together in one request; 'auto': the plan chooses. */
  rowsPerRequest: number | 'auto';
  /** Billed requests the statement may send, retries included. */
  budget: number;
  /** Requests per input before it becomes a row error. */
  maxAttempts: number;
  /** The longest single wait (a retry-after, a rate-limit reset) before the rows waiting on it fail. */
  maxWaitMs: number;
  /** 'fail': a row error stops the statement. */
  onError: 'null' | 'fail';

  /** How the engine runs the statement. */
  cache: 'on' | 'off' | 'refresh';
  threshold: number;
  /** Passes before a statement that never settles is stopped (raised to its dependency depth). */
  maxPasses: number;
  early: 'on' | 'off';
  /** Rows per early-LIMIT wave; null: as many as `parallel` keeps busy. */
  wave: number | null;
  cascade: CascadeTargetsResolved | 'off';
  /** How semantic joins are planned (docs/semantic-joins.md): 'exact' asks every pair, as written. */
  join: 'exact' | 'classify' | JoinTargetsResolved;
  /**
   * Running estimates of an aggregate over semantic answers (src/engine/estimate/): the seed of the
   * order its inputs are asked in, the intervals' confidence, and the half-width at which the
   * statement stops by itself (`-- @ approximate`; null: it runs to the exact result).
   */
  estimate: { seed: number; confidence: number; error: number | null };
}

/** `-- @ join: recall R…` (or the settings' default), its sample seeded as a cascade's is. */
export interface JoinTargetsResolved {
  recall: number;
  precision?: number;
  confidence: number;
  seed: number;
}

/** What a session of the provider connection reads of the options. */
export type CallOptions = Pick<ResolvedOptions, 'model' | 'mode' | 'parallel' | 'rowsPerRequest' | 'budget' | 'maxAttempts' | 'maxWaitMs' | 'onError'>;
