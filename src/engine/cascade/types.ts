/**
 * The vocabulary of a cascade (docs/cascades.md): what it is asked to reach, what the model (the
 * oracle) answers, how each row was decided and why a cascade may call every row after all.
 */

/** Targets relative to the model's own answers; at least one of the two is set. */
export interface CascadeTargets {
  /** Share of the rows the model would say yes to that the cascade's result keeps. */
  recall?: number;
  /** Share of the rows the cascade says yes to that the model would say yes to. */
  precision?: number;
}

/** The model gave no usable answer for a row (an error, a timeout): the engine keeps its reason. */
export interface OracleRowError {
  error: string;
}

export type OracleAnswer = boolean | OracleRowError;

/**
 * Asks the model about one row. Row-level failures resolve to an `OracleRowError`; a rejection
 * (cancellation, budget refused) aborts the whole cascade and is passed on to the caller.
 */
export type Oracle = (row: number) => Promise<OracleAnswer>;

/**
 * The proxy's scores of `rows` rows, asked for as the cascade needs them (a higher score: more
 * likely a positive). Scoring may cost (embedding the rows' texts), so a cascade that stops early
 * scores only what it used.
 */
export interface ProxyScores {
  rows: number;
  /** Scores of the given rows (distinct), in their order. */
  score(rows: readonly number[]): Promise<readonly number[]>;
}

export type DecisionSource = 'sample' | 'proxy-accept' | 'proxy-reject' | 'oracle';

export interface CascadeDecision {
  answer: OracleAnswer;
  source: DecisionSource;
}

/**
 * Why a cascade called every row (each is conservative: calling every row is the run without a
 * cascade, so none of them can lower correctness).
 * - too-few-rows: the sample would cost most of what the proxy could save.
 * - targets-unreachable: even a sample of only positives, as large as allowed, could certify neither target.
 * - useless-proxy: the sample does not show the proxy ranks positives above negatives (AUC too low,
 *   not clearly above chance, or no positive or no negative sampled).
 * - nothing-certified: neither the reject band nor the accept band passed its test.
 * - rare-positives: the pilot shows too few positives for the largest sample to certify either
 *   target (decided after the pilot, before any row but the pilot's is scored).
 * A useless proxy may also be found on the pilot already (src/engine/cascade/pilot-stop.ts).
 */
export type FallbackReason = 'too-few-rows' | 'targets-unreachable' | 'useless-proxy' | 'nothing-certified' | 'rare-positives';

export interface CascadeOptions {
  targets: CascadeTargets;
  /** δ: both targets hold together with probability at least 1 − δ. */
  delta?: number;
  /** Seeds the sample, so a run can be repeated exactly. */
  seed?: number;
  /** A prior share of positives (π̂, e.g. a calibrated proxy's mean); without it a pilot sample estimates it. */
  positiveRate?: number;
  /** Draws of the pilot that estimates π̂ when `positiveRate` is not given. */
  pilotDraws?: number;
  /** Smallest and largest main sample (draws, duplicates counted); also capped at a quarter of the rows. */
  minDraws?: number;
  maxDraws?: number;
  /** Fewer rows than this: call every row. */
  minRows?: number;
  /** A sample AUC below this (or one not clearly above chance): every row is called. */
  minAuc?: number;
  /** Number of label-free cuts the precision test walks. */
  grid?: number;
}

export type ResolvedCascadeOptions = Required<Omit<CascadeOptions, 'positiveRate'>> & { positiveRate: number | undefined };

export const CASCADE_DEFAULTS = {
  delta: 0.05,
  seed: 1,
  pilotDraws: 100,
  minDraws: 200,
  maxDraws: 2000,
  minRows: 800,
  minAuc: 0.65,
  grid: 20,
} as const;

/** Fills defaults and refuses targets or δ outside (0, 1), and options without any target. */
export function resolveCascadeOptions(options: CascadeOptions): ResolvedCascadeOptions {
  const { recall, precision } = options.targets;
  if (recall === undefined && precision === undefined) throw new RangeError('a cascade needs a recall or a precision target');
  for (const [name, value] of [
    ['recall', recall],
    ['precision', precision],
    ['delta', options.delta],
  ] as const) {
    if (value !== undefined && !(value > 0 && value < 1)) throw new RangeError(`cascade ${name} must be between 0 and 1, got ${value}`);
  }
  if (options.positiveRate !== undefined && !(options.positiveRate > 0 && options.positiveRate <= 1)) {
    throw new RangeError(`cascade positiveRate must be in (0, 1], got ${options.positiveRate}`);
  }
  return { ...CASCADE_DEFAULTS, ...definedOnly(options), targets: options.targets, positiveRate: options.positiveRate };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * δ is spent once, split between the two tests (a union bound): half each when both targets are set,
 * all of it on the one that is.
 */
export function splitDelta(targets: CascadeTargets, delta: number): { recall: number; precision: number } {
  const both = targets.recall !== undefined && targets.precision !== undefined;
  return both ? { recall: delta / 2, precision: delta / 2 } : { recall: delta, precision: delta };
}

export const isRowError = (answer: OracleAnswer): answer is OracleRowError => typeof answer !== 'boolean';
