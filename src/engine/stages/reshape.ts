import type { StageUse } from '../../sql';
import type { StageHandler } from './run-stages';
import { argText as text, quoted, sqlString, stageError, type StageRun } from './stage-run';

/**
 * THEN PIVOT and THEN MELT: the model reads the request against the columns and a sample of rows and
 * answers a plan (which column spreads into columns, which fill them, how they combine); DuckDB's
 * PIVOT / UNPIVOT carry it out over every row, so the answer is a few hundred tokens whatever the
 * table's size, and its numbers are DuckDB's, never the model's. Plain column arguments need no plan.
 */

interface Column {
  name: string;
  type: string;
}

const SAMPLE_ROWS = 40;
const AGGREGATES: Record<string, string> = {
  sum: 'sum',
  total: 'sum',
  avg: 'avg',
  average: 'avg',
  mean: 'avg',
  count: 'count',
  min: 'min',
  max: 'max',
  first: 'first',
};
const NUMERIC = /INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL/i;

const columnsText = (columns: readonly Column[]) => columns.map((c) => `${c.name} ${c.type}`).join(', ');

/** The model's plan, parsed; a plan that is not a JSON object is an error at the stage. */
async function plan(run: StageRun, operator: string, input: string, use: StageUse, columns: readonly Column[]): Promise<Record<string, unknown>> {
  const request = text(use.args[0]);
  if (request === undefined) throw stageError(use, `THEN ${use.stage.name} needs a request: ${use.stage.name}(${use.stage.args})`);
  const answer = await run.ask(operator, [sqlString(request), sqlString(columnsText(columns))], use, { table: input, sample: SAMPLE_ROWS });
  try {
    const parsed: unknown = JSON.parse(answer ?? '');
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw stageError(use, `THEN ${use.stage.name}: the model's plan is not a JSON object: ${String(answer).slice(0, 200)}`);
}

/** A plan's column names, each checked against the table. */
function named(use: StageUse, columns: readonly Column[], value: unknown, what: string): Column[] {
  const names = (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]).map(String);
  return names.map((n) => {
    const found = columns.find((c) => c.name === n) ?? columns.find((c) => c.name.toLowerCase() === n.toLowerCase());
    if (found === undefined)
      throw stageError(
        use,
        `THEN ${use.stage.name}: the plan names ${what} "${n}", which the rows do not have (they have ${columns.map((c) => c.name).join(', ')})`,
      );
    return found;
  });
}

const list = (cs: readonly Column[]) => cs.map((c) => quoted(c.name)).join(', ');

async function pivot(run: StageRun, input: string, use: StageUse): Promise<string> {
  const columns = await run.columns(input, use);
  let pivotOn: Column;
  let values: Column[];
  let how: string;
  let index: Column[];
  if (use.args.length >= 2) {
    [pivotOn] = named(use, columns, text(use.args[0]), 'column') as [Column];
    values = named(use, columns, text(use.args[1]), 'column');
    how = (text(use.args[2]) ?? 'sum').toLowerCase();
    index = columns.filter((c) => c !== pivotOn && !values.includes(c));
  } else {
    const p = await plan(run, 'pivot_plan', input, use, columns);
    const on = named(use, columns, p['pivot_column'], 'pivot column')[0];
    if (on === undefined) throw stageError(use, 'THEN PIVOT: the plan names no column to pivot on');
    pivotOn = on;
    values = named(use, columns, p['value_columns'], 'value column');
    index = named(use, columns, p['index_columns'], 'row key').filter((c) => c !== pivotOn && !values.includes(c));
    how = String(p['aggregation'] ?? 'sum').toLowerCase();
  }
  const fn = AGGREGATES[how];
  if (fn === undefined) throw stageError(use, `THEN PIVOT cannot combine values with ${how}: use sum, avg, count, min, max or first`);
  const using = values.length === 0 ? 'count(*)' : values.map((v) => `${fn}(${quoted(v.name)})${values.length > 1 ? ` AS ${quoted(v.name)}` : ''}`).join(', ');
  const source = `(SELECT ${list([...index, pivotOn, ...values])} FROM ${quoted(input)})`;
  const grouped = index.length > 0 ? ` GROUP BY ${list(index)}` : '';
  return run.materialize(
    `SELECT * FROM (PIVOT ${source} ON ${quoted(pivotOn.name)} USING ${using}${grouped})${index.length > 0 ? ` ORDER BY ${list(index)}` : ''}`,
    use,
  );
}

async function melt(run: StageRun, input: string, use: StageUse): Promise<string> {
  const columns = await run.columns(input, use);
  const given =
    text(use.args[0])
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') ?? [];
  const listed = given.length >= 1 && given.every((g) => columns.some((c) => c.name.toLowerCase() === g.toLowerCase()));
  let values: Column[];
  let variable = text(use.args[1]) ?? 'variable';
  let value = text(use.args[2]) ?? 'value';
  if (listed) values = named(use, columns, given, 'column');
  else {
    const p = await plan(run, 'melt_plan', input, use, columns);
    values = named(use, columns, p['value_columns'], 'column to melt');
    variable = typeof p['variable_name'] === 'string' && p['variable_name'] !== '' ? p['variable_name'] : variable;
    value = typeof p['value_name'] === 'string' && p['value_name'] !== '' ? p['value_name'] : value;
  }
  if (values.length === 0) throw stageError(use, 'THEN MELT: no column to melt');
  const ids = columns.filter((c) => !values.includes(c));
  // UNPIVOT needs one type for the melted values: numbers stay numbers, anything mixed becomes text.
  const types = new Set(values.map((v) => v.type));
  const common = types.size === 1 ? undefined : values.every((v) => NUMERIC.test(v.type)) ? 'DOUBLE' : 'VARCHAR';
  const cast = values.map((v) => (common === undefined ? quoted(v.name) : `CAST(${quoted(v.name)} AS ${common}) AS ${quoted(v.name)}`));
  const source = `(SELECT ${[...ids.map((c) => quoted(c.name)), ...cast].join(', ')} FROM ${quoted(input)})`;
  return run.materialize(`SELECT * FROM (UNPIVOT ${source} ON ${list(values)} INTO NAME ${quoted(variable)} VALUE ${quoted(value)})`, use);
}

export const RESHAPE_STAGES: Readonly<Record<string, StageHandler>> = { PIVOT: pivot, MELT: melt };
