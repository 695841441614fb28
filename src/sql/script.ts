import { parseAnnotations, resolveOptions } from './annotations';
import { SemanticSqlError } from './errors';
import { tokenize, withoutComments, type Token } from './lexer';
import type { Registry } from './registry';
import { rewriteStatement } from './rewriter';
import { classifyStatement } from './statement-effect';
import { chunksOf, statementOf, type Span } from './statements';
import { parseCreateFunction, parseDropFunction, parseShowFunctions } from './user-functions';
import type { ParsedStatement, StatementEffect, StatementOptions } from './types';

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
      const result = rewriteStatement({ source: sql, tokens: inner, registry, threshold: stmtOptions.threshold });
      const querySpan: Span = { start: first.start, end: statement.span.end, line: first.line, column: first.column };
      out.push({ ...base, kind: 'explain', sql: result.sql, effect: effectOf(sql, inner, registry, stmtOptions.threshold), querySpan, callSites: result.callSites, shape: result.shape });
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
      const result = rewriteStatement({ source: sql, tokens: code, registry, threshold: stmtOptions.threshold });
      const effect = effectOf(sql, code, registry, stmtOptions.threshold);
      if (result.callSites.length === 0) {
        // Nothing semantic written here: DuckDB gets the statement exactly as written (a view it
        // reads may still call operators, so it runs through the executor all the same).
        out.push({ ...base, kind: 'passthrough', sql: statement.text, effect, shape: result.shape });
      } else {
        out.push({ ...base, kind: 'query', sql: result.sql, effect, callSites: result.callSites, shape: result.shape });
      }
    }
  }
  return out;
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
