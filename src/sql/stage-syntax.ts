import { PIPELINE_STAGES, type PipelineStage } from './catalogue';
import { errorAtToken } from './errors';
import { quotedValue, stringValue, type Token } from './lexer';

/**
 * The syntax of a pipeline, on a statement's code tokens: the query, then steps — `THEN STAGE args`,
 * `INTO name`, `THEN CHOOSE (WHEN 'c' THEN STAGE ... [ELSE STAGE])` — and a final `SHADOW AS name`.
 * What each step does is pipeline.ts's business (SQL) and the engine's (src/engine/stages/).
 */
export interface StageUse {
  kind: 'stage';
  stage: PipelineStage;
  /** THEN (or the branch's first token), for positions. */
  then: Token;
  /** One token each: a string, a number or a name. */
  args: Token[];
  start: number;
  end: number;
}

export interface IntoUse {
  kind: 'into';
  /** The table name as written (schema.name allowed). */
  table: string;
  /** INTO keeps a saved table (stored in the browser); `-> name` and SHADOW AS a table for the session. */
  saved: boolean;
  at: Token;
  start: number;
  end: number;
}

export interface ChooseUse {
  kind: 'choose';
  then: Token;
  /** BY operator: the operator that picks the branch instead of the built-in discriminator. */
  by?: Token;
  branches: { condition: Token; step: StageUse }[];
  otherwise?: StageUse;
  start: number;
  end: number;
}

export type StepUse = StageUse | IntoUse | ChooseUse;

export interface PipelineSyntax {
  /** The query before the first step. */
  base: Token[];
  steps: StepUse[];
}

const STAGES = new Map(PIPELINE_STAGES.map((s) => [s.name, s]));

export const valueOf = (t: Token): string => (t.kind === 'string' ? stringValue(t) : t.kind === 'quoted' ? quotedValue(t) : t.text);
const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
const isArg = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'string' || t.kind === 'number' || t.kind === 'word' || t.kind === 'quoted');

/** A (dotted) name starting at `i`: its text and the index after it. */
function nameAt(tokens: readonly Token[], i: number): { name: string; next: number } | undefined {
  if (!isName(tokens[i])) return undefined;
  let k = i;
  const parts = [(tokens[k] as Token).text];
  while (tokens[k + 1]?.kind === 'punct' && tokens[k + 1]?.text === '.' && isName(tokens[k + 2])) {
    parts.push((tokens[k + 2] as Token).text);
    k += 2;
  }
  return { name: parts.join('.'), next: k + 1 };
}

/**
 * Where steps start: THEN followed by a stage name, or INTO followed by a name that ends the
 * statement or comes before THEN — each at bracket depth 0, outside CASE ... END (a THEN inside a
 * CASE or SEMANTIC_CASE belongs to it), and not INSERT INTO.
 */
function stepStarts(tokens: readonly Token[]): number[] {
  const starts: number[] = [];
  let depth = 0;
  let cases = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && t.kind === 'word') {
      if (t.upper === 'CASE' || t.upper === 'SEMANTIC_CASE') cases++;
      else if (t.upper === 'END' && cases > 0) cases--;
      else if (cases === 0 && t.upper === 'THEN' && STAGES.has(tokens[i + 1]?.upper ?? '')) starts.push(i);
      else if (cases === 0 && t.upper === 'INTO' && i > 1 && !['INSERT', 'MERGE'].includes(tokens[i - 1]?.upper ?? '')) {
        const name = nameAt(tokens, i + 1);
        const after = name === undefined ? undefined : tokens[name.next];
        if (name !== undefined && (after === undefined || after.upper === 'THEN')) starts.push(i);
      }
    }
  });
  return starts;
}

/** THEN STAGE args, or a CHOOSE branch's `STAGE args` (tokens from the stage name's THEN or name). */
function parseStage(tokens: readonly Token[], nameIndex: number, last: Token | undefined): StageUse {
  const then = tokens[0] as Token;
  const name = tokens[nameIndex] as Token;
  const stage = STAGES.get(name.upper);
  if (stage === undefined) throw errorAtToken(name, last, 'a pipeline stage', `${name.text} is not a pipeline stage`);
  if (stage.runs === 'refused') throw errorAtToken(name, last, 'a stage semsql runs', `THEN ${stage.name} is not run in the browser: ${stage.instead}`);
  const rest = tokens.slice(nameIndex + 1);
  const args: Token[] = [];
  if (rest[0]?.kind === 'punct' && rest[0].text === '(') {
    const close = rest.findIndex((t) => t.kind === 'punct' && t.text === ')');
    if (close !== rest.length - 1)
      throw errorAtToken(
        rest[close + 1] ?? rest[rest.length - 1],
        last,
        'THEN or the end of the statement',
        `${stage.name}(...) takes plain arguments: strings, numbers or names`,
      );
    rest.slice(1, close).forEach((t, i) => {
      const separator = i % 2 === 1;
      if (separator ? !(t.kind === 'punct' && t.text === ',') : !isArg(t)) {
        throw errorAtToken(
          t,
          last,
          separator ? "',' or ')'" : 'a string, a number or a name',
          `THEN ${stage.name}: arguments are strings, numbers or names, separated by commas`,
        );
      }
      if (!separator) args.push(t);
    });
  } else if (rest.length === 1 && isArg(rest[0])) {
    args.push(rest[0]);
  } else if (rest.length > 0) {
    throw errorAtToken(
      rest[rest.length > 1 ? 1 : 0],
      last,
      'THEN or the end of the statement',
      `THEN ${stage.name} takes one argument, or several in brackets: ${stage.name}(${stage.args})`,
    );
  }
  const end = tokens[tokens.length - 1] as Token;
  return { kind: 'stage', stage, then, args, start: then.start, end: end.end };
}

/** THEN CHOOSE [BY op] ( WHEN 'condition' THEN STAGE args ... [ELSE STAGE args] ) */
function parseChoose(tokens: readonly Token[], last: Token | undefined): ChooseUse {
  const then = tokens[0] as Token;
  let i = 2;
  let by: Token | undefined;
  if (tokens[i]?.upper === 'BY') {
    by = tokens[i + 1];
    if (by?.kind !== 'word') throw errorAtToken(by ?? tokens[i], last, 'an operator name', 'CHOOSE BY names the operator that picks the branch');
    i += 2;
  }
  const open = tokens[i];
  const closeIndex = tokens.length - 1;
  if (!(open?.kind === 'punct' && open.text === '(') || tokens[closeIndex]?.text !== ')')
    throw errorAtToken(
      open,
      last,
      "( WHEN 'condition' THEN STAGE ... )",
      "THEN CHOOSE takes its branches in brackets: CHOOSE (WHEN 'condition' THEN STAGE ... ELSE STAGE)",
    );
  const inner = tokens.slice(i + 1, closeIndex);
  // Branch boundaries: WHEN or ELSE at the inner depth 0.
  const marks: number[] = [];
  let depth = 0;
  inner.forEach((t, k) => {
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && (t.upper === 'WHEN' || t.upper === 'ELSE')) marks.push(k);
  });
  if (marks[0] !== 0) throw errorAtToken(inner[0] ?? tokens[closeIndex], last, 'WHEN', "a CHOOSE branch starts with WHEN 'condition' THEN STAGE");
  const branches: ChooseUse['branches'] = [];
  let otherwise: StageUse | undefined;
  marks.forEach((m, k) => {
    const part = inner.slice(m, marks[k + 1] ?? inner.length);
    const head = part[0] as Token;
    if (head.upper === 'ELSE') {
      if (k !== marks.length - 1) throw errorAtToken(head, last, 'ELSE last', 'ELSE is the last branch of a CHOOSE');
      if (part.length < 2) throw errorAtToken(head, last, 'a stage after ELSE', 'ELSE takes a stage: ELSE PASS');
      otherwise = parseStage(part, 1, last);
      return;
    }
    const condition = part[1];
    if (condition?.kind !== 'string')
      throw errorAtToken(condition ?? head, last, 'a condition as a string literal', "CHOOSE conditions are strings: WHEN 'mostly complaints' THEN ...");
    if (part[2]?.upper !== 'THEN' || part[3] === undefined)
      throw errorAtToken(part[2] ?? condition, last, 'THEN STAGE', 'each WHEN names the stage to run: WHEN ... THEN ANALYZE ...');
    branches.push({ condition, step: parseStage(part.slice(2), 1, last) });
  });
  if (branches.length === 0) throw errorAtToken(open, last, "WHEN 'condition' THEN STAGE", 'CHOOSE needs at least one WHEN branch');
  return {
    kind: 'choose',
    then,
    ...(by !== undefined ? { by } : {}),
    branches,
    ...(otherwise !== undefined ? { otherwise } : {}),
    start: then.start,
    end: (tokens[closeIndex] as Token).end,
  };
}

/** The pipeline of a statement, or undefined when it has no step. */
export function pipelineSyntax(tokens: readonly Token[]): PipelineSyntax | undefined {
  const starts = stepStarts(tokens);
  const first = starts[0];
  if (first === undefined) return undefined;
  const last = tokens[tokens.length - 1];
  if (first === 0) throw errorAtToken(tokens[0], last, 'a query before THEN', 'a pipeline starts with a query: SELECT ... THEN STAGE');
  const steps = starts.map((s, i): StepUse => {
    const part = tokens.slice(s, starts[i + 1] ?? tokens.length);
    const head = part[0] as Token;
    if (head.upper === 'INTO') {
      const name = nameAt(part, 1);
      return { kind: 'into', table: name?.name ?? '', saved: true, at: head, start: head.start, end: (part[part.length - 1] as Token).end };
    }
    return part[1]?.upper === 'CHOOSE' ? parseChoose(part, last) : parseStage(part, 1, last);
  });
  return { base: tokens.slice(0, first), steps };
}
