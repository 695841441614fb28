import { stageChain, stageSites } from './pipeline';
import type { Registry } from './registry';
import { statementShape } from './shape';
import { join, replacing, type Fragment } from './source-map';
import type { StageUse } from './stage-syntax';
import type { CallSite, QueryStatement, StatementEffect } from './types';

/**
 * The statements the engine runs for a staged pipeline's steps (src/engine/stages/run-stages.ts).
 * Each is SQL semsql writes, placed in the user's script at the step it stands for, so DuckDB's errors
 * about it point at that step.
 */
export type StepStatementBase = Pick<QueryStatement, 'text' | 'span' | 'options'>;

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A statement of SQL semsql wrote for the step at `start`..`end`. */
export function stepStatement(
  base: StepStatementBase,
  body: string | Fragment,
  at: { start: number; end: number },
  effect: StatementEffect,
  callSites: CallSite[] = [],
): QueryStatement {
  const fragment = typeof body === 'string' ? replacing(join([body]), at.start, at.end) : body;
  return {
    ...base,
    kind: 'query',
    sql: fragment.text,
    effect,
    callSites,
    shape: statementShape([]),
    sourceMap: { sql: fragment.text, segments: fragment.segments },
  };
}

/** `CREATE TEMP TABLE out AS <query>`: a step's rows, kept for the next step. */
export function materialized(
  base: StepStatementBase,
  out: string,
  query: string | Fragment,
  at: { start: number; end: number },
  callSites: CallSite[] = [],
): QueryStatement {
  const prefix = replacing(join([`CREATE TEMP TABLE ${quoted(out)} AS `]), at.start, at.end);
  const body = typeof query === 'string' ? replacing(join([query]), at.start, at.end) : query;
  return stepStatement(base, join([prefix, body]), at, { kind: 'write' }, callSites);
}

/** SQL stages (FILTER, ENRICH, ...) run one after another over the table `input`, into `out`. */
export function sqlStagesStatement(base: StepStatementBase, uses: readonly StageUse[], input: string, out: string, registry: Registry): QueryStatement {
  const chain = stageChain(uses, quoted(input), registry);
  const first = uses[0] as StageUse;
  const last = uses[uses.length - 1] as StageUse;
  const query = join(['WITH ', ...chain.parts, ` SELECT * FROM ${chain.last}`]);
  return materialized(base, out, query, { start: first.start, end: last.end }, stageSites(uses, registry));
}
