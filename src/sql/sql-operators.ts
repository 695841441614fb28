import { errorAtToken } from './errors';
import type { Token } from './lexer';
import { join, type Fragment } from './source-map';
import type { OperatorDef } from './types';

/**
 * Operators whose answer DuckDB computes from SQL written in their place (catalogue/session.ts):
 * session parameters are DuckDB variables (`SET VARIABLE`, `getvariable`), which last as long as the
 * tab's engine; `latest` reads the call log's `answer` column. Setting and clearing are statements of
 * their own, run before the statement that names them (script.ts): a SELECT cannot set a variable.
 */

/** The DuckDB variable that holds a session parameter: one namespace, so a user's own variables are never touched. */
export function paramVariable(key: string): string {
  return `semsql_param_${key.toLowerCase().replace(/[^a-z0-9_]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A parameter key must be written as a string: the variable is named when the statement is rewritten. */
export function paramKey(op: string, key: string | undefined, at: Token): string {
  if (key === undefined)
    throw errorAtToken(
      at,
      undefined,
      'a string literal key',
      `${op}'s key must be a string literal ('region'): the parameter is named before the statement runs`,
    );
  return key;
}

/**
 * What DuckDB evaluates in place of a call: `args` are the call's arguments cast to text (omitted
 * optional ones as their defaults), `key` the first argument's value when it is a string literal.
 */
export function expandSqlOperator(def: OperatorDef, args: readonly (string | Fragment)[], key: string | undefined, at: Token): Fragment {
  switch (def.name) {
    case 'latest':
      return join([
        '(SELECT answer FROM semantic_calls WHERE operator = regexp_replace(',
        args[0] ?? "''",
        ", '^semantic_', '') AND status = 'ok' AND answer IS NOT NULL ORDER BY ended_at DESC LIMIT 1)",
      ]);
    case 'param_get':
      return join([`coalesce(CAST(getvariable(${quote(paramVariable(paramKey(def.name, key, at)))}) AS VARCHAR), `, args[1] ?? 'NULL', ')']);
    case 'param_set':
      // The SET ran before the statement; the call answers the value, as LARS's does.
      return join([`CAST(getvariable(${quote(paramVariable(paramKey(def.name, key, at)))}) AS VARCHAR)`]);
    case 'param_clear':
      return join([quote(paramKey(def.name, key, at))]);
    default:
      throw errorAtToken(at, undefined, 'an operator', `${def.name} is not an operator semsql can write as SQL`);
  }
}
