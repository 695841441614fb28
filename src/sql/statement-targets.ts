// The targets a statement's annotations set for approximate plans (cascades, tier routing, semantic
// joins): apart from src/sql/types.ts, which holds the operator and statement shapes.

/** A cascade's targets: `-- @ cascade: recall R, precision P[, confidence C]` (docs/cascades.md). */
export interface CascadeTargets {
  recall: number;
  precision: number;
  /** Probability that both targets hold (1 − δ). */
  confidence: number;
  /** Seeds the sample; by default the statement's text does, so a rerun draws the same rows. */
  seed?: number;
}

/** `-- @ model: auto(accuracy A, confidence C)`: the cheapest tier answers only where it is shown to agree. */
export interface RoutingTargets {
  /** The least agreement with the quality tier the cheap tier must be shown to have. */
  accuracy: number;
  /** Probability that the agreement is at least `accuracy` when the cheap tier is used. */
  confidence: number;
  /** Seeds the sample; by default the statement's text does. */
  seed?: number;
}

/** `-- @ join: recall R[, precision P]…` (docs/semantic-joins.md): blocking keeps enough candidate pairs to meet these. */
export interface JoinTargets {
  /** Share of the pairs the pairwise question would say yes to that the result keeps. */
  recall: number;
  /** Share of the result's pairs the pairwise question says yes to (blocking asks it of every pair it keeps: always 1). */
  precision?: number;
  /** Probability with which the recall target holds. */
  confidence: number;
  /** Seeds the sample of pairs; by default the statement's text does. */
  seed?: number;
}

/**
 * How a semantic join's pairs are asked: `exact`, each pair by the pairwise question (the default);
 * `classify`, one request per value of the large side listing the small side's values; or targets,
 * for blocking then verifying.
 */
export type JoinOption = 'exact' | 'classify' | JoinTargets;

/** `-- @ approximate: error E[, confidence C][, seed S]` (docs/estimates.md). */
export interface ApproximateTarget {
  error: number;
  confidence: number;
  /** Seeds the order inputs are asked in; by default the statement's text does. */
  seed?: number;
}
