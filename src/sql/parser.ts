import type { CallNode, ClauseNode, GroupNode, Node, QueryNode, SemNode } from './ast';
import { parseCall, parseCallArgs, parseGroup, parseParen, parseSemCall, parseType } from './call-parser';
import { parseClause } from './clause-parser';
import { parseExpr, parseOperand } from './expression-parser';
import type { Grammar } from './grammar';
import type { Token } from './lexer';
import { parseLoose } from './loose-parser';
import { parseQuery } from './query-parser';
import { TokenCursor, type ParseInput } from './token-cursor';
import type { ClauseKind } from './types';

/**
 * A tolerant recursive-descent parser for one statement. It understands SQL's expression precedence
 * (libpg_query's, which DuckDB uses), query levels and clauses; anything else is kept as opaque atoms.
 * It throws only SemanticSqlError, and only for mistakes around semantic operators or structure they
 * depend on (brackets, CASE...END, nesting depth).
 *
 * The parser holds a TokenCursor (position, region, errors) and wires the grammar modules together:
 * expression-parser.ts and primary-parser.ts (expressions), call-parser.ts (brackets and calls),
 * query-parser.ts (queries and levels), clause-parser.ts (clause bodies), loose-parser.ts (other
 * statements). Where the grammar recurses across modules they call one another through this object
 * (the Grammar interface) rather than by import, so there are no import cycles.
 */
export class Parser implements Grammar {
  readonly cursor: TokenCursor;

  constructor(input: ParseInput) {
    this.cursor = new TokenCursor(input);
  }

  /** The statement as a tree: a query, or loose nodes for any other statement. */
  parseStatement(): Node[] {
    const c = this.cursor;
    const first = c.tokens[0];
    const end = c.tokens.length;
    if (first !== undefined && (c.isQueryStart(0) || (first.kind === 'punct' && first.text === '('))) {
      const q = this.query(0, end, false);
      return [q, ...this.loose(end)];
    }
    return this.loose(end);
  }

  expr(minPrec: number): Node {
    return parseExpr(this, minPrec);
  }
  operand(minPrec: number, after: string): Node {
    return parseOperand(this, minPrec, after);
  }
  paren(strict = true): Node {
    return parseParen(this, strict);
  }
  group(strict = true): GroupNode {
    return parseGroup(this, strict);
  }
  typeName(): void {
    parseType(this);
  }
  call(name: Token): CallNode {
    return parseCall(this, name);
  }
  callArgs(name: Token, nameIndex: number): CallNode {
    return parseCallArgs(this, name, nameIndex);
  }
  semCall(name: Token): SemNode {
    return parseSemCall(this, name);
  }
  query(from: number, to: number, cte: boolean): QueryNode {
    return parseQuery(this, from, to, cte);
  }
  clause(kind: ClauseKind, keywordWords: number): ClauseNode {
    return parseClause(this, kind, keywordWords);
  }
  loose(to: number): Node[] {
    return parseLoose(this, to);
  }
}
