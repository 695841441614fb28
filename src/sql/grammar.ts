import type { CallNode, ClauseNode, GroupNode, Node, QueryNode, SemNode } from './ast';
import type { Token } from './lexer';
import type { TokenCursor } from './token-cursor';
import type { ClauseKind } from './types';

/**
 * What the grammar modules call across module lines. SQL's grammar is recursive across them (an
 * expression holds a subquery, whose clauses hold expressions), so each module reaches the others
 * through the parser object that implements this (parser.ts) instead of importing them: no import
 * cycles, and every module can be read on its own.
 */
export interface Grammar {
  readonly cursor: TokenCursor;
  /** expression-parser.ts */
  expr(minPrec: number): Node;
  /** An expression that must be there; `after` names what it follows, for the error. */
  operand(minPrec: number, after: string): Node;
  /** call-parser.ts: `strict` makes a dangling semantic keyword an error (expression context). */
  paren(strict?: boolean): Node;
  group(strict?: boolean): GroupNode;
  /** Skips a type name after :: or AS. */
  typeName(): void;
  /** name( ... ) at the current token. */
  call(name: Token): CallNode;
  /** The arguments and suffixes of a call whose name is at `nameIndex`. */
  callArgs(name: Token, nameIndex: number): CallNode;
  semCall(name: Token): SemNode;
  /** query-parser.ts */
  query(from: number, to: number, cte: boolean): QueryNode;
  /** clause-parser.ts */
  clause(kind: ClauseKind, keywordWords: number): ClauseNode;
  /** loose-parser.ts */
  loose(to: number): Node[];
}
