import { createRegistry, parseScript, SemanticSqlError, type ParsedStatement, type StatementOptions } from '../../../src/sql';

export const registry = createRegistry();

export function parse(sql: string, defaults?: Partial<StatementOptions>): ParsedStatement[] {
  return parseScript(sql, defaults === undefined ? { registry } : { registry, defaults });
}

/** The rewritten SQL of a one-statement script. */
export function rewrite(sql: string, defaults?: Partial<StatementOptions>): string {
  const statements = parse(sql, defaults);
  const only = statements[0];
  if (statements.length !== 1 || only === undefined) throw new Error(`expected one statement, got ${statements.length}`);
  if (!('sql' in only)) throw new Error(`statement of kind ${only.kind} has no SQL`);
  return only.sql;
}

export function parseError(sql: string): SemanticSqlError {
  try {
    parse(sql);
  } catch (e) {
    if (e instanceof SemanticSqlError) return e;
    throw e;
  }
  throw new Error(`expected a SemanticSqlError for: ${sql}`);
}

/** CAST(x AS VARCHAR), to keep expectations readable. */
export const c = (x: string): string => `CAST(${x} AS VARCHAR)`;

/** The group encoding of x, as the rewriter writes it. */
export function g(x: string): string {
  const e = `replace(replace(CAST(${x} AS VARCHAR), chr(27), chr(27) || chr(27)), chr(30), chr(27) || 'r')`;
  return `string_agg(${e}, chr(30) ORDER BY ${e})`;
}
