import { DUCKDB_AGGREGATES } from './duckdb-builtins';
import type { Token } from './lexer';
import type { Registry } from './registry';
import type { StatementShape } from './types';

/**
 * Facts about a statement's top level, from the tokens at bracket depth 0: cheap, and all the
 * executor needs to decide whether "early LIMIT" answers are allowed.
 */
export function statementShape(tokens: readonly Token[], registry: Registry): StatementShape {
  const shape: StatementShape = {
    hasOrderBy: false,
    hasAggregate: false,
    hasGroupBy: false,
    hasDistinct: false,
    hasWindow: false,
    hasSetOp: false,
  };
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        depth--;
      }
      continue;
    }
    if (depth !== 0 || t.kind !== 'word') continue;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    switch (t.upper) {
      case 'ORDER':
        if (next?.upper === 'BY') shape.hasOrderBy = true;
        break;
      case 'GROUP':
        if (next?.upper === 'BY') shape.hasGroupBy = true;
        break;
      case 'DISTINCT':
        if (prev?.upper === 'SELECT') shape.hasDistinct = true;
        break;
      case 'OVER':
      case 'WINDOW':
      case 'QUALIFY':
        shape.hasWindow = true;
        break;
      case 'UNION':
      case 'INTERSECT':
      case 'EXCEPT':
        shape.hasSetOp = true;
        break;
      case 'LIMIT':
        if (next?.kind === 'number' && /^\d+$/.test(next.text)) shape.topLevelLimit = Number(next.text);
        else delete shape.topLevelLimit;
        break;
      default:
        if (next?.kind === 'punct' && next.text === '(' && isAggregateName(t.text, registry)) {
          const close = closingIndex(tokens, i + 1);
          if (tokens[close + 1]?.upper !== 'OVER') shape.hasAggregate = true;
        }
    }
  }
  return shape;
}

function isAggregateName(name: string, registry: Registry): boolean {
  const lower = name.toLowerCase();
  if (DUCKDB_AGGREGATES.has(lower)) return true;
  const op = registry.byFunction(lower);
  return op !== undefined && op.shape !== 'scalar';
}

function closingIndex(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}
