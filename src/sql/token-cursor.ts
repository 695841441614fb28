import type { AtomNode, ExprNode, Node } from './ast';
import { errorAtToken, type SemanticSqlError } from './errors';
import type { Token } from './lexer';
import type { InfixSpelling, Registry } from './registry';

/**
 * The parser is split by concern into a chain of classes (one file each, to stay small):
 *   TokenCursor (tokens, brackets, errors, infix matching)
 *   → ExpressionParser (operators and precedence)
 *   → CallParser (brackets, function calls, semantic function calls)
 *   → Parser (queries, clauses and other statements; parser.ts).
 * Together: a tolerant recursive-descent parser over code tokens. It understands SQL's expression
 * precedence (libpg_query's, which DuckDB uses), query levels and clauses; anything else is kept as
 * opaque atoms. It throws only SemanticSqlError, and only for mistakes around semantic operators or
 * structure they depend on (brackets, CASE...END, nesting depth).
 */

// Binding strength, weakest first, as in PostgreSQL's gram.y. Semantic infix operators bind like
// comparisons (CMP), per SEMANTIC_SQL.md.
export const P_LAMBDA = 0;
export const P_OR = 1;
export const P_AND = 2;
export const P_IS = 4;
export const P_CMP = 5;
export const P_LIKE = 6;
export const P_OTHER = 7;
export const P_ADD = 8;
export const P_MUL = 9;
export const P_POW = 10;
export const P_UNARY = 11;

/** Deeper nesting is refused with a positioned error rather than a stack overflow. */
export const MAX_DEPTH = 256;

export const COMPARISON = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=']);
export const ADDITIVE = new Set(['+', '-']);
export const MULTIPLICATIVE = new Set(['*', '/', '//', '%']);
export const POWER = new Set(['^', '**']);
// '#' starts a positional reference (#1) in DuckDB.
export const PREFIX_OPS = new Set(['-', '+', '~', '!', '@', '#']);

/** Words that end a clause's expression list. */
export const CLAUSE_WORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET',
  'FETCH', 'UNION', 'INTERSECT', 'EXCEPT', 'RETURNING', 'ON', 'USING', 'JOIN', 'INNER', 'LEFT',
  'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'POSITIONAL', 'ASOF', 'ANTI', 'SEMI', 'INTO', 'VALUES', 'SET',
  'WHEN', 'THEN', 'ELSE', 'END', 'DO', 'WITH', 'TABLESAMPLE',
]);
/** Words that continue an expression and so cannot start one. */
export const NON_START_WORDS = new Set([
  'AND', 'OR', 'IS', 'IN', 'LIKE', 'ILIKE', 'GLOB', 'BETWEEN', 'AS', 'ASC', 'DESC', 'NULLS', 'ISNULL',
  'NOTNULL', 'COLLATE', 'ESCAPE', 'OVER', 'FILTER', 'SIMILAR', 'BY',
]);
export const LEVEL_END = new Set([
  'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION',
  'INTERSECT', 'EXCEPT', 'SELECT', 'RETURNING',
]);
export const QUERY_START = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE']);
/** Statement keywords that can open a subquery but are also function-like names, e.g. summarize(x). */
export const QUERY_START_NO_CALL = new Set(['SUMMARIZE', 'DESCRIBE', 'PIVOT', 'UNPIVOT']);
export const TYPE_CONTINUATION = new Set(['PRECISION', 'VARYING', 'WITH', 'WITHOUT', 'TIME', 'ZONE']);
export const INTERVAL_UNITS = /^(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|MILLISECOND|MICROSECOND|WEEK|QUARTER|DECADE|CENTURY|CENTURIES|MILLENNIUM|MILLENNIA|MILLISECONDS|MICROSECONDS)S?$/;
export const CALL_ARG_WORDS = new Set(['FROM', 'FOR', 'IN', 'PLACING', 'SEPARATOR', 'USING']);

export interface InfixMatch {
  spelling: InfixSpelling;
  negated: boolean;
  /** Token index after the keywords. */
  next: number;
}

export interface ParseInput {
  source: string;
  /** Code tokens of one statement (no comments). */
  tokens: readonly Token[];
  registry: Registry;
}

export abstract class TokenCursor {
  protected readonly src: string;
  protected readonly t: readonly Token[];
  protected readonly reg: Registry;
  /** Index of the matching bracket for every ( [ {. */
  protected readonly match: Int32Array;
  protected p = 0;
  protected limit: number;
  protected depth = 0;

  constructor(input: ParseInput) {
    this.src = input.source;
    this.t = input.tokens;
    this.reg = input.registry;
    this.limit = this.t.length;
    this.match = this.matchBrackets();
  }

  // ---- token helpers -------------------------------------------------------------------------

  protected tok(i = this.p): Token | undefined {
    return i < this.limit ? this.t[i] : undefined;
  }
  protected word(i = this.p): string {
    const t = this.tok(i);
    return t?.kind === 'word' ? t.upper : '';
  }
  protected punct(i: number, text: string): boolean {
    const t = this.tok(i);
    return t?.kind === 'punct' && t.text === text;
  }
  protected op(i: number): string {
    const t = this.tok(i);
    return t?.kind === 'op' ? t.text : '';
  }
  protected endOfPrev(): number {
    return this.t[this.p - 1]?.end ?? this.t[0]?.start ?? 0;
  }
  protected startOf(i: number): number {
    return this.t[i]?.start ?? this.endOfPrev();
  }

  error(at: number, expected: string, message?: string): SemanticSqlError {
    // At a region's end the offending token is the closing bracket, which is what the user sees.
    return errorAtToken(at < this.t.length ? this.t[at] : undefined, this.t[this.t.length - 1], expected, message);
  }


  protected matchBrackets(): Int32Array {
    const match = new Int32Array(this.t.length).fill(-1);
    const stack: number[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    this.t.forEach((tok, i) => {
      if (tok.kind !== 'punct') return;
      if (tok.text === '(' || tok.text === '[' || tok.text === '{') stack.push(i);
      else if (tok.text in pairs) {
        const open = stack.pop();
        if (open === undefined || this.t[open]?.text !== pairs[tok.text]) {
          throw this.error(i, 'an opening bracket before it', `unmatched '${tok.text}'`);
        }
        match[open] = i;
        match[i] = open;
      }
    });
    const open = stack.pop();
    if (open !== undefined) {
      const closer = { '(': ')', '[': ']', '{': '}' }[this.t[open]?.text ?? '('] ?? ')';
      throw this.error(open, `a closing '${closer}'`, `unmatched '${this.t[open]?.text ?? '('}'`);
    }
    return match;
  }

  /** Runs `body` with the region limited to the inside of the bracket at `open`; returns after it. */
  protected inside<T>(open: number, body: () => T): { value: T; close: number } {
    const close = this.match[open] ?? -1;
    const savedLimit = this.limit;
    this.limit = close;
    this.p = open + 1;
    const value = body();
    this.limit = savedLimit;
    this.p = close + 1;
    return { value, close };
  }

  protected isQueryStart(i: number): boolean {
    return i < this.limit && this.queryStartsAt(i);
  }

  /** Ignores the region limit: used to look inside a bracket before entering it. */
  protected queryStartsAt(i: number): boolean {
    const t = this.t[i];
    if (t?.kind !== 'word') return false;
    if (QUERY_START.has(t.upper)) return true;
    const next = this.t[i + 1];
    return QUERY_START_NO_CALL.has(t.upper) && !(next?.kind === 'punct' && next.text === '(');
  }

  protected isClauseWord(i: number): boolean {
    const w = this.word(i);
    if (!CLAUSE_WORDS.has(w)) return false;
    // left(s, n) and right(s, n) are functions.
    return !((w === 'LEFT' || w === 'RIGHT') && this.punct(i + 1, '('));
  }

  canStartExpr(i: number): boolean {
    const t = this.tok(i);
    if (t === undefined) return false;
    switch (t.kind) {
      case 'word':
        return !this.isClauseWord(i) && !NON_START_WORDS.has(t.upper);
      case 'punct':
        return t.text === '(' || t.text === '[' || t.text === '{';
      case 'op':
        return PREFIX_OPS.has(t.text) || t.text === '*';
      case 'comment':
        return false;
      default:
        return true;
    }
  }

  // ---- semantic infix -----------------------------------------------------------------------

  protected matchInfix(i: number): InfixMatch | undefined {
    const first = this.tok(i);
    if (first === undefined) return undefined;
    let j = i;
    let negated = false;
    if (this.word(j) === 'NOT') {
      negated = true;
      j++;
    }
    const head = this.tok(j);
    if (head === undefined || (head.kind !== 'word' && head.kind !== 'op')) return undefined;
    for (const spelling of this.reg.infixStartingWith(head.upper)) {
      let k = j + 1;
      const rest = spelling.words.slice(1);
      let neg = negated;
      // IS NOT VALID: the NOT sits after IS.
      if (!negated && spelling.words[0] === 'IS' && this.word(k) === 'NOT') {
        neg = true;
        k++;
      }
      if (head.kind === 'op' && head.text !== spelling.words[0]) continue;
      let ok = true;
      for (const w of rest) {
        if (this.word(k) !== w) {
          ok = false;
          break;
        }
        k++;
      }
      if (ok) return { spelling, negated: neg, next: k };
    }
    return undefined;
  }

  /** After an expression in a clause where no alias can follow: a bare semantic keyword is an error. */
  protected checkDangling(): void {
    const m = this.matchInfix(this.p);
    if (m !== undefined && !this.canStartExpr(m.next)) {
      throw this.error(m.next, `an expression after ${m.spelling.words.join(' ')}`);
    }
  }

  /** Counts nesting so absurdly deep input is a positioned error, not a stack overflow. */
  protected nested<T>(body: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      throw this.error(this.p, `at most ${MAX_DEPTH} levels of nesting`, `nested more than ${MAX_DEPTH} levels deep`);
    }
    try {
      return body();
    } finally {
      this.depth--;
    }
  }
}

export function atom(start: number, end: number): AtomNode {
  return { kind: 'atom', start, end, children: [] };
}

export function expr(start: number, end: number, children: Node[]): ExprNode {
  return { kind: 'expr', start, end, children };
}
