import type { QueryStats } from '../protocol/progress';
import type { ColumnarResult } from '../protocol/results';
import type { ResultVisual } from '../protocol/visuals';

/** The stats of a statement that called nothing. */
export const ZERO_STATS: QueryStats = {
  passes: 0,
  calls: 0,
  cached: 0,
  errors: 0,
  attempts: 0,
  wall_ms: 0,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  embedding_texts: 0,
  embedding_requests: 0,
};

/** What one statement leaves: its result and stats, and what a staged pipeline adds for the response. */
export interface StatementOutput {
  result: ColumnarResult;
  stats: QueryStats;
  /** A chart or diagram a stage made (src/engine/stages/). */
  visual?: ResultVisual;
  /** Saved tables the statement kept (INTO name). */
  saved?: string[];
}

const COUNTS = [
  'passes',
  'calls',
  'cached',
  'errors',
  'attempts',
  'wall_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'embedding_texts',
  'embedding_requests',
] as const satisfies readonly (keyof QueryStats)[];

/** Adds a statement's stats to a total: counts add up, cascade reports are listed. Returns the total. */
export function addStats(total: QueryStats, more: QueryStats): QueryStats {
  for (const k of COUNTS) total[k] += more[k];
  if (more.cascades) total.cascades = [...(total.cascades ?? []), ...more.cascades];
  if (more.routes) total.routes = [...(total.routes ?? []), ...more.routes];
  if (more.joins) total.joins = [...(total.joins ?? []), ...more.joins];
  if (more.estimate) total.estimate = more.estimate;
  return total;
}
