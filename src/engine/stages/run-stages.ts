import { sqlStagesStatement, stepStatement, type ChooseUse, type IntoUse, type QueryStatement, type StageUse, type StepUse } from '../../sql';
import { CHART_STAGES } from './charts';
import { chooseBranch } from './choose';
import { DIAGRAM_STAGES } from './diagrams';
import { investigate } from './investigate';
import { RESHAPE_STAGES } from './reshape';
import { keepSavedTable } from './saved-results';
import { quoted, StageRun, type StageDeps } from './stage-run';
import type { StatementOutput } from '../query-stats';

/** An engine-run stage: its input table in, the table it made out (the input when it makes none). */
export type StageHandler = (run: StageRun, input: string, use: StageUse) => Promise<string>;

const HANDLERS: Readonly<Record<string, StageHandler>> = {
  ...RESHAPE_STAGES,
  ...CHART_STAGES,
  ...DIAGRAM_STAGES,
  INVESTIGATE: investigate,
  MUTE: (run, input, use) => run.materialize(`SELECT * FROM ${quoted(input)} LIMIT 0`, use),
};

/** Consecutive SQL stages run as one statement of CTEs; every other step alone. */
function groupSteps(steps: readonly StepUse[]): (StepUse | StageUse[])[] {
  const out: (StepUse | StageUse[])[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if (step.kind === 'stage' && step.stage.runs === 'sql') {
      if (Array.isArray(last)) last.push(step);
      else out.push([step]);
    } else out.push(step);
  }
  return out;
}

async function into(run: StageRun, input: string, use: IntoUse): Promise<void> {
  await run.write(`CREATE OR REPLACE TABLE ${use.table} AS SELECT * FROM ${quoted(input)}`, use);
  if (use.saved) {
    await keepSavedTable(run, use.table, use);
    run.saved.push(use.table);
  }
}

/** One step: the table it leaves, and whether the pipeline stops after it (STOP). */
async function runStep(run: StageRun, input: string, step: StepUse | StageUse[]): Promise<{ table: string; stop: boolean }> {
  if (Array.isArray(step)) {
    const out = run.table();
    await run.run(sqlStagesStatement(run.base(), step, input, out, run.deps.registry));
    return { table: out, stop: false };
  }
  switch (step.kind) {
    case 'into':
      await into(run, input, step);
      return { table: input, stop: false };
    case 'choose':
      return runStep(run, input, await branchOf(run, input, step));
    case 'stage': {
      if (step.stage.name === 'STOP') return { table: input, stop: true };
      const handler = HANDLERS[step.stage.name];
      if (handler === undefined) throw new Error(`THEN ${step.stage.name} has no runner`);
      return { table: await handler(run, input, step), stop: false };
    }
  }
}

/** CHOOSE: the branch whose condition the rows meet; ELSE (or PASS) when none does. */
async function branchOf(run: StageRun, input: string, use: ChooseUse): Promise<StepUse | StageUse[]> {
  const picked = await chooseBranch(run, input, use);
  const branch = use.branches.find((b) => b.condition.text === picked)?.step ?? use.otherwise;
  if (branch === undefined) return [];
  return branch.stage.runs === 'sql' ? [branch] : branch;
}

/**
 * Runs a staged pipeline: the query's rows become a temp table, each step makes the next from the one
 * before (SQL stages as one statement, INTO as a kept table, engine stages by their handlers), and the
 * last table is the result. Every statement goes through the engine's usual path, so answers are
 * cached, asked once and counted against the statement's budget; the temp tables are dropped at the end.
 */
export async function runStages(statement: QueryStatement, deps: StageDeps): Promise<StatementOutput> {
  const run = new StageRun(statement, deps);
  try {
    const firstStep = statement.stages?.[0];
    const at = { start: statement.span.start, end: firstStep?.start ?? statement.span.end };
    let table = await run.materialize({ text: statement.sql, segments: statement.sourceMap.segments }, at, statement.callSites);
    for (const step of groupSteps(statement.stages ?? [])) {
      if (Array.isArray(step) && step.length === 0) continue;
      const next = await runStep(run, table, step);
      table = next.table;
      if (next.stop) break;
    }
    const result = await run.run(stepStatement(run.base(), `SELECT * FROM ${quoted(table)}`, statement.span, { kind: 'read' }));
    return {
      result,
      stats: run.stats,
      ...(run.visual !== undefined ? { visual: run.visual } : {}),
      ...(run.saved.length > 0 ? { saved: [...run.saved] } : {}),
    };
  } finally {
    await run.drop();
  }
}
