// A loose syntax tree: only as much structure as the rewriter needs (operand extents, boolean
// contexts, query levels, and the top level's shape). Every node covers a source span, and its
// children lie inside that span in order, so output is the source with rewritten children spliced
// in: whatever is not a semantic operator comes out byte for byte.
import type { Token } from './lexer';
import type { ClauseKind, OperatorDef } from './types';

interface NodeBase {
  start: number;
  end: number;
  children: Node[];
}

/** A literal, a name, or tokens the rewriter has no reason to understand. */
export interface AtomNode extends NodeBase {
  kind: 'atom';
  /** SQL semsql writes in place of the span (a block form's conditions as one JSON array). */
  sql?: string;
}

/** ( ... ), [ ... ] or { ... } holding expressions (not a subquery). */
export interface GroupNode extends NodeBase {
  kind: 'group';
  open: string;
}

/** AND / OR, whose operands are in the same boolean context as the node itself. */
export interface LogicNode extends NodeBase {
  kind: 'logic';
  op: 'AND' | 'OR';
}

/** Prefix NOT. */
export interface NotNode extends NodeBase {
  kind: 'not';
  operand: Node;
}

/** Any other operator, cast, IS, BETWEEN, IN...: operands are values, not conditions. */
export interface ExprNode extends NodeBase {
  kind: 'expr';
  /** a.f(b): the chained call f(a, b), whose arguments are among the children. */
  chained?: CallNode;
}

export interface CaseNode extends NodeBase {
  kind: 'case';
  /** WHEN conditions of a searched CASE (CASE WHEN cond ...); empty for CASE x WHEN value. */
  conditions: Node[];
}

export interface CallNode extends NodeBase {
  kind: 'call';
  /** Lower-cased function name. */
  name: string;
  args: Node[];
  /** Has an OVER clause: a window function, not a grouping aggregate. */
  window: boolean;
  /** FILTER (WHERE ...) condition. */
  filter?: Node;
}

export interface SemNode extends NodeBase {
  kind: 'sem';
  def: OperatorDef;
  form: 'infix' | 'function';
  /** The keywords or function name as written, for messages. */
  spelling: string;
  /** Upper-cased infix keywords, e.g. 'RELEVANCE TO'; '' for the function form. */
  infix: string;
  negated: boolean;
  args: Node[];
  /** Token that names the operator (function name or first keyword). */
  opToken: Token;
  distinct: boolean;
  filter?: Node;
  /** The call had an OVER clause (an error for semantic aggregates). */
  overToken?: Token;
}

export interface ClauseNode extends NodeBase {
  kind: 'clause';
  clause: ClauseKind;
  /** Start of the clause keyword (the body starts later). */
  keywordStart: number;
  /** ORDER BY: each item's expression and whether ASC/DESC was written. */
  orderItems: { expr: Node; hasDirection: boolean }[];
  /** GROUP BY ALL. */
  all: boolean;
}

export interface SelectItem {
  expr: Node;
  alias?: string;
}

/** One SELECT core: a query level that aggregates and filters on its own. */
export interface LevelNode extends NodeBase {
  kind: 'level';
  selectItems: SelectItem[];
  /** SELECT DISTINCT or DISTINCT ON (...). */
  distinct: boolean;
  /** Declares named windows (WINDOW w AS (...)). */
  window: boolean;
  select?: ClauseNode;
  from?: ClauseNode;
  where?: ClauseNode;
  groupBy?: ClauseNode;
  having?: ClauseNode;
  qualify?: ClauseNode;
  /** The query's ORDER BY when this level is the only one (it may name aggregates). */
  orderBy?: ClauseNode;
}

/** WITH ... SELECT ... [UNION ...] [ORDER BY] [LIMIT]: a (sub)query. */
export interface QueryNode extends NodeBase {
  kind: 'query';
  levels: LevelNode[];
  ctes: QueryNode[];
  /** Written as a CTE body. */
  cte: boolean;
  /** Written inside brackets: a subquery, CTE body, argument, or parenthesised term. */
  bracketed: boolean;
  /** Terms joined by UNION, INTERSECT or EXCEPT. */
  setOp: boolean;
  orderBy?: ClauseNode;
  limit?: ClauseNode;
  /** LIMIT k with k an integer literal (not $1, ALL, an expression or a percentage). */
  limitCount?: number;
}

export type Node = AtomNode | GroupNode | LogicNode | NotNode | ExprNode | CaseNode | CallNode | SemNode | ClauseNode | LevelNode | QueryNode;

export function atom(start: number, end: number): AtomNode {
  return { kind: 'atom', start, end, children: [] };
}

export function expr(start: number, end: number, children: Node[]): ExprNode {
  return { kind: 'expr', start, end, children };
}
