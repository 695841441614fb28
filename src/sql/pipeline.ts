import { PIPELINE_STAGES, type PipelineStage } from './catalogue';
import { errorAtToken } from './errors';
import { groupEncodingSql } from './group-encoding';
import { quotedValue, stringValue, type Token } from './lexer';
import type { Registry } from './registry';
import { rewriteStatement, type RewriteResult } from './rewriter';
import { statementShape } from './shape';
import { join, replacing, type Fragment } from './source-map';
import type { CallContext, CallSite } from './types';

/** One `THEN STAGE args` of a pipeline. */
interface StageUse {
  stage: PipelineStage;
  /** THEN, for positions. */
  then: Token;
  /** The stage's arguments: one token each (a string, a number or a name). */
  args: Token[];
  /** Source span of the whole step, THEN to its last token. */
  start: number;
  end: number;
}

const STAGES = new Map(PIPELINE_STAGES.map((s) => [s.name, s]));

/**
 * Where a pipeline's steps start: each THEN at bracket depth 0, outside CASE ... END, followed by a
 * stage name. (A THEN inside CASE belongs to the CASE, whatever word follows it.)
 */
function stageStarts(tokens: readonly Token[]): number[] {
  const starts: number[] = [];
  let depth = 0;
  let cases = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && t.kind === 'word') {
      if (t.upper === 'CASE') cases++;
      else if (t.upper === 'END' && cases > 0) cases--;
      else if (t.upper === 'THEN' && cases === 0 && STAGES.has(tokens[i + 1]?.upper ?? '')) starts.push(i);
    }
  });
  return starts;
}

function parseStage(tokens: readonly Token[], last: Token | undefined): StageUse {
  const then = tokens[0] as Token;
  const name = tokens[1] as Token;
  const stage = STAGES.get(name.upper) as PipelineStage;
  const rest = tokens.slice(2);
  const args: Token[] = [];
  const isArg = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'string' || t.kind === 'number' || t.kind === 'word' || t.kind === 'quoted');
  if (rest[0]?.kind === 'punct' && rest[0].text === '(') {
    const close = rest.findIndex((t) => t.kind === 'punct' && t.text === ')');
    if (close !== rest.length - 1) throw errorAtToken(rest[close + 1] ?? rest[rest.length - 1], last, 'THEN or the end of the statement', `${stage.name}(...) takes plain arguments: strings, numbers or names`);
    rest.slice(1, close).forEach((t, i) => {
      const separator = i % 2 === 1;
      if (separator ? !(t.kind === 'punct' && t.text === ',') : !isArg(t)) {
        throw errorAtToken(t, last, separator ? "',' or ')'" : 'a string, a number or a name', `THEN ${stage.name}: arguments are strings, numbers or names, separated by commas`);
      }
      if (!separator) args.push(t);
    });
  } else if (rest.length === 1 && isArg(rest[0])) {
    args.push(rest[0]);
  } else if (rest.length > 0) {
    throw errorAtToken(rest[rest.length > 1 ? 1 : 0], last, 'THEN or the end of the statement', `THEN ${stage.name} takes one argument, or several in brackets: ${stage.name}(${stage.args})`);
  }
  const end = tokens[tokens.length - 1] as Token;
  return { stage, then, args, start: then.start, end: end.end };
}

const literal = (t: Token): string => (t.kind === 'string' ? t.text : `'${t.text.replace(/'/g, "''")}'`);
const valueOf = (t: Token): string => (t.kind === 'string' ? stringValue(t) : t.kind === 'quoted' ? quotedValue(t) : t.text);
const identifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** 'likely home country' → likely_home_country: the column ENRICH adds. */
const columnName = (request: string): string => request.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'enrichment';
const names = (t: Token | undefined): string[] => (t === undefined ? [] : valueOf(t).split(',').map((n) => n.trim()).filter((n) => n !== ''));

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
  const context: CallContext = {
    clause: use.stage.name === 'FILTER' ? 'where' : 'select',
    depth: 1,
    inCte: true,
    conjunctive: use.stage.name === 'FILTER',
    underNot: false,
    underOr: false,
    underCase: false,
    inAggregate: false,
    thresholded: false,
    negated: false,
    topLevelFilter: false,
  };
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
 * `<query> THEN STAGE ... THEN STAGE ...` as one query: the base query and each stage become CTEs
 * (__pipe_0, __pipe_1, ...), each stage reading the one before, and the statement selects the last.
 * Undefined when the statement has no pipeline step.
 */
export function rewritePipeline(source: string, tokens: readonly Token[], registry: Registry, threshold: number): RewriteResult | undefined {
  const starts = stageStarts(tokens);
  const first = starts[0];
  if (first === undefined) return undefined;
  const last = tokens[tokens.length - 1];
  if (first === 0) throw errorAtToken(tokens[0], last, 'a query before THEN', 'a pipeline starts with a query: SELECT ... THEN STAGE');
  const base = rewriteStatement({ source, tokens: tokens.slice(0, first), registry, threshold });
  const uses = starts.map((s, i) => parseStage(tokens.slice(s, starts[i + 1] ?? tokens.length), last));
  const parts: (string | Fragment)[] = ['WITH __pipe_0 AS (', { text: base.sql, segments: base.sourceMap.segments }, ')'];
  uses.forEach((use, i) => {
    parts.push(', ', replacing(join([`__pipe_${i + 1} AS (${stageSql(use, `__pipe_${i}`, registry)})`]), use.start, use.end));
  });
  parts.push(` SELECT * FROM __pipe_${uses.length}`);
  const out = join(parts);
  const sites = uses.map((u) => stageSite(u, registry)).filter((s): s is CallSite => s !== undefined);
  return { sql: out.text, callSites: [...base.callSites, ...sites], shape: statementShape([]), sourceMap: { sql: out.text, segments: out.segments } };
}
