import { errorAtToken } from './errors';
import { groupEncodingSql } from './group-encoding';
import type { Token } from './lexer';
import type { Registry } from './registry';
import { rewriteStatement, type RewriteResult } from './rewriter';
import { statementShape } from './shape';
import { join, replacing, type Fragment } from './source-map';
import { pipelineSyntax, valueOf, type StageUse, type StepUse } from './stage-syntax';
import { writtenCallContext } from './call-context';
import type { CallSite } from './types';

const literal = (t: Token): string => (t.kind === 'string' ? t.text : `'${t.text.replace(/'/g, "''")}'`);
const identifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** 'likely home country' → likely_home_country: the column ENRICH adds. */
const columnName = (request: string): string =>
  request
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'enrichment';
const names = (t: Token | undefined): string[] =>
  t === undefined
    ? []
    : valueOf(t)
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '');

const AGGREGATES: Record<string, string> = { sum: 'sum', mean: 'avg', avg: 'avg', count: 'count', min: 'min', max: 'max' };

/** The SQL of one stage over `prev`, and the operator it asks (if any). */
function stageSql(use: StageUse, prev: string, registry: Registry): string {
  const [a, b, c] = use.args;
  const udf = (name: string) => registry.get(name)?.udf ?? `__sem_${name}`;
  const rowGroup = groupEncodingSql('__row');
  const need = (t: Token | undefined, what: string): Token => {
    if (t === undefined) throw errorAtToken(use.then, undefined, what, `THEN ${use.stage.name} needs ${what}: ${use.stage.name}(${use.stage.args})`);
    return t;
  };
  switch (use.stage.name) {
    case 'FILTER':
      return `SELECT * FROM ${prev} AS __row WHERE ${udf('then_filter')}(CAST(__row AS VARCHAR), CAST(${literal(need(a, 'a criterion'))} AS VARCHAR))`;
    case 'ENRICH': {
      const request = need(a, 'what to add');
      return `SELECT *, ${udf('then_enrich')}(CAST(__row AS VARCHAR), CAST(${literal(request)} AS VARCHAR)) AS ${identifier(columnName(valueOf(request)))} FROM ${prev} AS __row`;
    }
    case 'ANALYZE': {
      const findings = `(SELECT ${udf('then_analyze')}(${rowGroup}, CAST(${literal(need(a, 'a question'))} AS VARCHAR)) FROM ${prev} AS __row)`;
      const part = (i: number) => `trim(split_part(__line, '|', ${i}))`;
      return `SELECT ${part(2)} AS finding, ${part(1)} AS category, ${part(3)} AS detail FROM (SELECT unnest(string_split(${findings}, chr(10))) AS __line) WHERE trim(__line) <> ''`;
    }
    case 'SPEAK':
      return `SELECT *, (SELECT ${udf('then_speak')}(${rowGroup}, CAST(${a === undefined ? "''" : literal(a)} AS VARCHAR)) FROM ${prev} AS __row) AS speech FROM ${prev}`;
    case 'DEDUPE': {
      // The first of each set of equal rows is kept, in the order the rows came.
      const key = a === undefined ? '__key' : names(a).map(identifier).join(', ');
      return `SELECT * EXCLUDE (__n, __key) FROM (SELECT *, row_number() OVER () AS __n, CAST(__row AS VARCHAR) AS __key FROM ${prev} AS __row) QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY __n) = 1 ORDER BY __n`;
    }
    case 'STATS': {
      const only = names(a);
      const which = only.length === 0 ? '' : ` AND column_name IN (${only.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ')})`;
      const num = (col: string, as: string) => `TRY_CAST(${col} AS DOUBLE) AS ${as}`;
      return `SELECT column_name AS "column", count, ${num('avg', 'mean')}, ${num('std', 'std')}, ${num('min', 'min')}, ${num('q25', 'p25')}, ${num('q50', 'p50')}, ${num('q75', 'p75')}, ${num('max', 'max')} FROM (SUMMARIZE SELECT * FROM ${prev}) WHERE avg IS NOT NULL${which}`;
    }
    case 'SAMPLE': {
      const n = a === undefined ? 10 : Number(valueOf(a));
      if (!Number.isInteger(n) || n < 0) throw errorAtToken(a, undefined, 'a row count', 'THEN SAMPLE takes a number of rows');
      return `SELECT * FROM ${prev} USING SAMPLE reservoir(${n} ROWS) REPEATABLE (42)`;
    }
    case 'TOP': {
      const n = b === undefined ? 10 : Number(valueOf(b));
      if (!Number.isInteger(n) || n < 0) throw errorAtToken(b, undefined, 'a row count', 'THEN TOP: the second argument is a number of rows');
      const order = c !== undefined && valueOf(c).toLowerCase() === 'asc' ? 'ASC' : 'DESC';
      return `SELECT * FROM ${prev} ORDER BY ${identifier(valueOf(need(a, 'a column')))} ${order} NULLS LAST LIMIT ${n}`;
    }
    case 'GROUP': {
      const by = valueOf(need(a, 'a column to group by'));
      const column = valueOf(need(b, 'a column to aggregate'));
      const fn = c === undefined ? 'sum' : valueOf(c).toLowerCase();
      const agg = AGGREGATES[fn];
      if (agg === undefined) throw errorAtToken(c, undefined, 'sum, mean, count, min or max', `THEN GROUP cannot aggregate with ${fn}`);
      return `SELECT ${identifier(by)}, ${agg}(${identifier(column)}) AS ${identifier(`${column}_${fn}`)} FROM ${prev} GROUP BY ${identifier(by)} ORDER BY ${identifier(by)}`;
    }
    default:
      return `SELECT * FROM ${prev}`;
  }
}

/** The call site of a stage that asks the model: one per stage, at its THEN. */
function stageSite(use: StageUse, registry: Registry): CallSite | undefined {
  const op = use.stage.operator === undefined ? undefined : registry.get(use.stage.operator);
  if (op === undefined) return undefined;
  const aggregate = op.shape === 'aggregate';
  const context = writtenCallContext({
    clause: use.stage.name === 'FILTER' ? 'where' : 'select',
    depth: 1,
    inCte: true,
    conjunctive: use.stage.name === 'FILTER',
  });
  return {
    operator: op.name,
    udf: op.udf,
    span: { start: use.start, end: use.end, line: use.then.line, column: use.then.column },
    args: ['(each row)', ...use.args.map((t) => t.text)],
    shape: aggregate ? 'aggregate' : 'scalar',
    spelling: 'function',
    context,
  };
}

/**
 * SQL stages over `input` (a table, or the CTE of the query before them) as CTEs `__pipe_1 ...`, each
 * reading the one before: the definitions, and the name of the last.
 */
export function stageChain(uses: readonly StageUse[], input: string, registry: Registry): { parts: (string | Fragment)[]; last: string } {
  const parts: (string | Fragment)[] = [];
  uses.forEach((use, i) => {
    parts.push(i === 0 ? '' : ', ', replacing(join([`__pipe_${i + 1} AS (${stageSql(use, i === 0 ? input : `__pipe_${i}`, registry)})`]), use.start, use.end));
  });
  return { parts, last: `__pipe_${uses.length}` };
}

/** The call sites of SQL stages that ask the model. */
export function stageSites(uses: readonly StageUse[], registry: Registry): CallSite[] {
  return uses.map((u) => stageSite(u, registry)).filter((s): s is CallSite => s !== undefined);
}

/** Whether every step is a stage DuckDB runs as SQL: the pipeline is then one query. */
const sqlOnly = (steps: readonly StepUse[]): steps is StageUse[] => steps.every((s) => s.kind === 'stage' && s.stage.runs === 'sql');

export interface PipelineRewrite extends RewriteResult {
  /** Steps the engine runs one by one after the query (`sql` is then the query before them). */
  steps?: StepUse[];
}

/**
 * `<query> THEN STAGE ... INTO name ...`. A pipeline of SQL stages only is one query of CTEs (the
 * query and each stage, __pipe_0, __pipe_1, ..., each reading the one before); any other step makes
 * it a staged pipeline: `sql` is the query, and the engine runs `steps` after it
 * (src/engine/stages/run-stages.ts). Undefined when the statement has no step.
 */
export function rewritePipeline(source: string, tokens: readonly Token[], registry: Registry, threshold: number): PipelineRewrite | undefined {
  const syntax = pipelineSyntax(tokens);
  if (syntax === undefined) return undefined;
  const base = rewriteStatement({ source, tokens: syntax.base, registry, threshold });
  if (!sqlOnly(syntax.steps)) return { ...base, steps: syntax.steps };
  const chain = stageChain(syntax.steps, '__pipe_0', registry);
  const out = join(['WITH __pipe_0 AS (', { text: base.sql, segments: base.sourceMap.segments }, '), ', ...chain.parts, ` SELECT * FROM ${chain.last}`]);
  return {
    sql: out.text,
    callSites: [...base.callSites, ...stageSites(syntax.steps, registry)],
    shape: statementShape([]),
    sourceMap: { sql: out.text, segments: out.segments },
  };
}
