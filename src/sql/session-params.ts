import { errorAtToken } from './errors';
import { stringValue, type Token } from './lexer';
import type { Registry } from './registry';
import { paramVariable } from './sql-operators';

/** A statement semsql runs before the one that sets or clears a session parameter. */
export interface ParamEffect {
  sql: string;
  /** The call it comes from, for errors. */
  start: number;
  end: number;
}

/** The arguments of the call whose `(` is at `open`: each as its token range, split at depth-0 commas. */
function callArgs(code: readonly Token[], open: number): { args: Token[][]; close: number } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < code.length; i++) {
    const t = code[i] as Token;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      if (depth === 0) return { args: args.filter((a) => a.length > 0), close: i };
      depth--;
    }
    if (depth === 0 && t.kind === 'punct' && t.text === ',') args.push([]);
    else (args[args.length - 1] as Token[]).push(t);
  }
  return { args, close: code.length - 1 };
}

/**
 * `@param_set('k', value)` and `@param_clear('k')` in a statement: each becomes a statement that sets
 * or clears the DuckDB variable before the statement runs (a SELECT cannot set one), in the order
 * written. The key must be a string literal; the value any expression DuckDB can compute on its own.
 */
export function paramEffects(source: string, code: readonly Token[], registry: Registry): ParamEffect[] {
  const out: ParamEffect[] = [];
  code.forEach((t, i) => {
    if (t.kind !== 'word' || code[i + 1]?.text !== '(') return;
    const op = registry.byFunction(t.text);
    if (op?.builtin !== true || (op.name !== 'param_set' && op.name !== 'param_clear')) return;
    const { args, close } = callArgs(code, i + 1);
    const key = args[0];
    if (key?.length !== 1 || key[0]?.kind !== 'string')
      throw errorAtToken(
        key?.[0] ?? t,
        undefined,
        'a string literal key',
        `${op.name}'s key must be a string literal ('region'): the parameter is named before the statement runs`,
      );
    const variable = paramVariable(stringValue(key[0]));
    const start = code[i - 1]?.text === '@' ? (code[i - 1] as Token).start : t.start;
    const end = (code[close] as Token).end;
    if (op.name === 'param_clear') {
      out.push({ sql: `SET VARIABLE ${variable} = NULL`, start, end });
      return;
    }
    const value = args[1];
    if (value === undefined || args.length !== 2)
      throw errorAtToken(t, undefined, 'a key and a value', "param_set takes a key and a value: @param_set('region', 'EU')");
    out.push({
      sql: `SET VARIABLE ${variable} = CAST((${source.slice((value[0] as Token).start, (value[value.length - 1] as Token).end)}) AS VARCHAR)`,
      start,
      end,
    });
  });
  return out;
}
