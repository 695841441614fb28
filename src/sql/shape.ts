import type { CallNode, Node, QueryNode, SemNode } from './ast';
import { DUCKDB_AGGREGATES } from './duckdb-builtins';
import type { OperatorShape, StatementShape } from './types';

/**
 * How a semantic operator use was resolved (analyze.ts): classify is per row or per group, topics
 * a dimension or an aggregate. Without the analysis, each counts as its declared shape.
 */
export type SemShapeOf = (node: SemNode) => OperatorShape;

/**
 * Facts about a statement's top level, read from its parse tree: what the executor needs to decide
 * whether "early LIMIT" answers are allowed (early-limit.ts).
 *
 * The top level is depth 0 as call sites count it (analyze.ts): a query met inside a clause or a
 * level is a subquery, a CTE body is one level down, and a parenthesised set-operation term or a
 * query inside INSERT/CREATE ... AS stays at the top. Aggregates and windows count wherever they
 * sit in a top-level query's expressions (coalesce(count(*), 0) aggregates), but not in subqueries.
 */
export function statementShape(nodes: readonly Node[], semShapeOf: SemShapeOf = (node) => node.def.shape): StatementShape {
  const shape: StatementShape = {
    hasOrderBy: false,
    hasAggregate: false,
    hasGroupBy: false,
    hasDistinct: false,
    hasWindow: false,
    hasSetOp: false,
  };
  let limitSeen = false;

  const query = (q: QueryNode): void => {
    if (q.cte) return;
    if (q.orderBy !== undefined) shape.hasOrderBy = true;
    if (q.setOp) shape.hasSetOp = true;
    // Only a LIMIT outside brackets limits the statement: not (SELECT ... LIMIT 2) in
    // `... UNION (SELECT ... LIMIT 2)`. The first one met is the outermost.
    if (q.limit !== undefined && !q.bracketed && !limitSeen) {
      limitSeen = true;
      if (q.limitCount !== undefined) shape.topLevelLimit = q.limitCount;
    }
    for (const child of q.children) top(child);
  };

  /** A node outside any clause or level: a query here is still at the top. */
  const top = (node: Node): void => {
    switch (node.kind) {
      case 'query':
        query(node);
        return;
      case 'level':
        if (node.groupBy !== undefined) shape.hasGroupBy = true;
        if (node.distinct) shape.hasDistinct = true;
        if (node.window || node.qualify !== undefined) shape.hasWindow = true;
        for (const child of node.children) inClause(child);
        return;
      case 'clause':
        inClause(node);
        return;
      default:
        expression(node);
        for (const child of node.children) top(child);
    }
  };

  /** A node inside a clause or level: a query here is a subquery, and its facts are its own. */
  const inClause = (node: Node): void => {
    if (node.kind === 'query') return;
    expression(node);
    for (const child of node.children) inClause(child);
  };

  const call = (node: CallNode): void => {
    if (node.window) shape.hasWindow = true;
    else if (DUCKDB_AGGREGATES.has(node.name)) shape.hasAggregate = true;
  };

  const expression = (node: Node): void => {
    if (node.kind === 'call') call(node);
    else if (node.kind === 'expr' && node.chained !== undefined) call(node.chained);
    else if (node.kind === 'sem' && semShapeOf(node) !== 'scalar') shape.hasAggregate = true;
  };

  for (const node of nodes) top(node);
  return shape;
}
