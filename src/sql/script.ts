import { parseAnnotations, resolveOptions } from './annotations';
import { SCHEMA_SQL } from './emit';
import { errorAtToken, SemanticSqlError } from './errors';
import { tokenize, withoutComments, type Token } from './lexer';
import type { Registry } from './registry';
import { rewritePipeline } from './pipeline';
import { rewriteStatement } from './rewriter';
import { paramEffects } from './session-params';
import { statementShape } from './shape';
import { join, replacing, type Fragment, type SourceMap } from './source-map';
import { askDataQuestion, resultTarget } from './statement-forms';
import { classifyStatement } from './statement-effect';
import { chunksOf, statementOf, type Span } from './statements';
import { parseCreateFunction, parseDropFunction, parseShowFunctions } from './user-functions';
import { writtenCallContext } from './call-context';
import type { CallSite, ParsedStatement, PassthroughStatement, QueryStatement, StatementEffect, StatementOptions } from './types';

export interface ParseScriptOptions {
  registry: Registry;
  /** Settings under the annotations (parallel, model, threshold, ...). */
  defaults?: Partial<StatementOptions>;
}

/**
 * A script → its statements, each classified, rewritten and given its options. CREATE and DROP
 * SEMANTIC FUNCTION apply to the statements after them in the same script; storing them is the
 * engine's job. Throws SemanticSqlError for the first mistake found.
 */
export function parseScript(sql: string, options: ParseScriptOptions): ParsedStatement[] {
  let registry = options.registry;
  const out: ParsedStatement[] = [];
  for (const chunk of chunksOf(tokenize(sql))) {
    const annotations = parseAnnotations(chunk.leading);
    const statement = statementOf(sql, chunk);
    if (statement === undefined) {
      const first = annotations.first;
      if (first !== undefined) {
        throw new SemanticSqlError({
          line: first.line,
          column: first.column,
          offset: first.start,
          token: first.text,
          expected: 'a statement after the annotations',
          message: 'annotations must be followed by the statement they apply to',
        });
      }
      continue;
    }
    const stmtOptions = resolveOptions(annotations, options.defaults);
    const code = withoutComments(statement.tokens);
    const base = { text: statement.text, span: statement.span, options: stmtOptions };
    const words = code.slice(0, 4).map((t) => (t.kind === 'word' ? t.upper : ''));
    const [w0, w1, w2, w3] = words;
    if (w0 === 'EXPLAIN' && w1 === 'SEMANTIC') {
      const inner = code.slice(2);
      const first = inner[0];
      if (first === undefined) throw endError(sql, code, 'a query after EXPLAIN SEMANTIC');
      const result =
        rewritePipeline(sql, inner, registry, stmtOptions.threshold) ??
        rewriteStatement({ source: sql, tokens: inner, registry, threshold: stmtOptions.threshold });
      const querySpan: Span = { start: first.start, end: statement.span.end, line: first.line, column: first.column };
      out.push({
        ...base,
        kind: 'explain',
        sql: result.sql,
        effect: effectOf(sql, inner, registry, stmtOptions.threshold),
        querySpan,
        callSites: result.callSites,
        shape: result.shape,
        sourceMap: result.sourceMap,
        ...(result.joins ? { joins: result.joins } : {}),
      });
    } else if (w0 === 'CREATE' && (w1 === 'SEMANTIC' || (w1 === 'OR' && w2 === 'REPLACE' && w3 === 'SEMANTIC'))) {
      const parsed = parseCreateFunction(sql, code, registry.operators);
      registry = registry.with(parsed.definition);
      out.push({ ...base, kind: 'create_function', definition: parsed.definition, orReplace: parsed.orReplace });
    } else if (w0 === 'DROP' && w1 === 'SEMANTIC') {
      const parsed = parseDropFunction(sql, code);
      registry = registry.without(parsed.name);
      out.push({ ...base, kind: 'drop_function', name: parsed.name, ifExists: parsed.ifExists });
    } else if (w0 === 'SHOW' && w1 === 'SEMANTIC') {
      parseShowFunctions(sql, code);
      out.push({ ...base, kind: 'show_functions' });
    } else {
      out.push(...queryStatements(sql, code, registry, base));
    }
  }
  return out;
}

type Base = Pick<QueryStatement, 'text' | 'span' | 'options'>;

/**
 * A query or any other statement DuckDB runs; LARS's statement forms become the statements that do it,
 * after those that set or clear the session parameters it names (@param_set, @param_clear).
 */
function queryStatements(sql: string, code: readonly Token[], registry: Registry, base: Base): ParsedStatement[] {
  const params = paramEffects(sql, code, registry).map((e): PassthroughStatement => {
    const map = sourceMapOf(replacing(join([e.sql]), e.start, e.end));
    return { ...base, kind: 'passthrough', sql: e.sql, effect: { kind: 'read' }, shape: statementShape([]), sourceMap: map };
  });
  return [...params, ...statementsOf(sql, code, registry, base)];
}

function statementsOf(sql: string, code: readonly Token[], registry: Registry, base: Base): ParsedStatement[] {
  const threshold = base.options.threshold;
  const question = askDataQuestion(code);
  if (question !== undefined) return [askDataStatement(question, registry, base)];
  const arrow = resultTarget(code);
  const body = arrow?.tokens ?? code;
  const pipeline = rewritePipeline(sql, body, registry, threshold);
  if (pipeline?.steps !== undefined) {
    // A staged pipeline: the engine runs the query, then each step; `-> name` is its last step.
    const last =
      arrow === undefined ? [] : [{ kind: 'into' as const, table: arrow.name, saved: false, at: arrow.arrow, start: arrow.arrow.start, end: base.span.end }];
    return [
      {
        ...base,
        kind: 'query',
        sql: pipeline.sql,
        effect: { kind: 'read' },
        callSites: pipeline.callSites,
        shape: pipeline.shape,
        sourceMap: pipeline.sourceMap,
        stages: [...pipeline.steps, ...last],
      },
    ];
  }
  const result = pipeline ?? rewriteStatement({ source: sql, tokens: body, registry, threshold });
  const effect: StatementEffect = pipeline !== undefined ? { kind: 'read' } : effectOf(sql, body, registry, threshold);
  // Nothing semantic written here: DuckDB gets the statement exactly as written (a view it reads
  // may still call operators, so it runs through the executor all the same).
  const bodyText = sql.slice(body[0]?.start ?? 0, body[body.length - 1]?.end ?? 0);
  // Operators written as SQL (session parameters, latest) have no call site but do change the text.
  const plain = result.callSites.length === 0 && pipeline === undefined && result.sql === bodyText;
  /** The statement, with `prefix` (written by semsql, placed at the statement's span) before it. */
  const statement = (text: string, prefix: string, st: StatementEffect): ParsedStatement => {
    const body: Fragment = { text: plain ? text : result.sql, segments: result.sourceMap.segments };
    const map = sourceMapOf(prefix === '' ? body : join([replacing(join([prefix]), base.span.start, base.span.end), body]));
    if (plain) return { ...base, kind: 'passthrough', sql: map.sql, effect: st, shape: result.shape, sourceMap: map };
    return {
      ...base,
      kind: 'query',
      sql: map.sql,
      effect: st,
      callSites: result.callSites,
      shape: result.shape,
      sourceMap: map,
      ...(result.joins ? { joins: result.joins } : {}),
    };
  };
  if (arrow === undefined) return [statement(bodyText, '', effect)];
  if (effect.kind !== 'read') throw errorAtToken(arrow.arrow, undefined, 'a query before ->', '-> name saves the result of a query; this statement is not one');
  // `<query> -> name` (LARS): the result is saved as the table `name`, then read from it.
  const saved = statement(bodyText, `CREATE OR REPLACE TABLE ${arrow.name} AS `, { kind: 'write' });
  const read = `SELECT * FROM ${arrow.name}`;
  return [
    saved,
    {
      ...base,
      kind: 'passthrough',
      sql: read,
      effect: { kind: 'read' },
      shape: statementShape([]),
      sourceMap: sourceMapOf(replacing(join([read]), arrow.arrow.start, base.span.end)),
    },
  ];
}

function sourceMapOf(fragment: Fragment): SourceMap {
  return { sql: fragment.text, segments: fragment.segments };
}

/** ASK_DATA 'q': one call writes the SQL (ask_data, given the schema); the engine checks and runs it. */
function askDataStatement(question: Token, registry: Registry, base: Base): QueryStatement {
  const op = registry.get('ask_data');
  if (op === undefined) throw errorAtToken(question, undefined, 'a known operator', 'ask_data is not available');
  const sql = `SELECT ${op.udf}(CAST(${question.text} AS VARCHAR), CAST((${SCHEMA_SQL}) AS VARCHAR)) AS sql`;
  const site: CallSite = {
    operator: op.name,
    udf: op.udf,
    span: base.span,
    args: [question.text],
    shape: 'scalar',
    spelling: 'function',
    context: writtenCallContext(),
  };
  return {
    ...base,
    kind: 'query',
    sql,
    effect: { kind: 'read' },
    callSites: [site],
    shape: statementShape([]),
    sourceMap: sourceMapOf(replacing(join([sql]), base.span.start, base.span.end)),
    generatesQuery: true,
  };
}

/**
 * The query a model wrote for ASK_DATA, parsed: exactly one statement that only reads (the same
 * check a user's statement gets), or an error saying what came back instead.
 */
export function generatedQuery(answer: string, registry: Registry): QueryStatement | PassthroughStatement {
  const text = answer
    .trim()
    .replace(/^```(?:sql)?\s*/i, '')
    .replace(/\s*```$/, '');
  let statements: ParsedStatement[];
  try {
    statements = parseScript(text, { registry });
  } catch (error) {
    throw new Error(`ASK_DATA: the model wrote SQL that does not parse (${(error as Error).message}): ${text}`);
  }
  const only = statements[0];
  if (
    statements.length !== 1 ||
    only === undefined ||
    (only.kind !== 'query' && only.kind !== 'passthrough') ||
    only.effect.kind !== 'read' ||
    (only.kind === 'query' && only.generatesQuery === true)
  ) {
    throw new Error(`ASK_DATA: the model did not write one read-only query, so nothing was run: ${text}`);
  }
  return only;
}

/** The statement's effect, with a COPY's source rewritten into the query that resolves it. */
function effectOf(source: string, code: readonly Token[], registry: Registry, threshold: number): StatementEffect {
  const c = classifyStatement(code);
  if (c.kind !== 'copy') return c;
  if (c.source.kind === 'table') return { kind: 'copy', resolveSql: `SELECT ${c.source.columns ?? '*'} FROM ${c.source.table}` };
  const inner = code.slice(c.source.from, c.source.to);
  return { kind: 'copy', resolveSql: rewriteStatement({ source, tokens: inner, registry, threshold }).sql };
}

function endError(sql: string, code: readonly Token[], expected: string): SemanticSqlError {
  const last = code[code.length - 1];
  return new SemanticSqlError({
    line: last?.line ?? 1,
    column: (last?.column ?? 1) + Array.from(last?.text ?? '').length,
    offset: last?.end ?? sql.length,
    token: '',
    expected,
  });
}
