import { errorAtToken, type SemanticSqlError } from './errors';
import { CLAUSE_WORDS, NON_START_WORDS, PREFIX_OPS, QUERY_START, QUERY_START_NO_CALL } from './keywords';
import type { Token } from './lexer';
import { satisfiesRule, SQL_SPELLING_WORDS } from './operand-rules';
import type { InfixSpelling, Registry } from './registry';

/** Deeper nesting is refused with a positioned error rather than a stack overflow. */
const MAX_DEPTH = 256;

export interface ParseInput {
  source: string;
  /** Code tokens of one statement (no comments). */
  tokens: readonly Token[];
  registry: Registry;
}

export interface InfixMatch {
  spelling: InfixSpelling;
  negated: boolean;
  /** Token index after the keywords. */
  next: number;
}

/**
 * What the expressions being read belong to: a query (clauses, subqueries), or the loose parts of
 * another statement (COPY ... TO 'file', column definitions), where spellings that are also SQL
 * words (TO, DEFAULT) keep their SQL meaning.
 */
export type ParseMode = 'query' | 'loose';

/**
 * The parser's position in one statement's tokens: token tests, the bracket-bounded region being
 * read, nesting depth, semantic infix matching, and positioned errors. The parser (parser.ts) holds
 * one; the grammar modules move it.
 */
export class TokenCursor {
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly registry: Registry;
  /** Index of the current token. */
  pos = 0;
  #limit: number;
  #depth = 0;
  #mode: ParseMode = 'query';
  /** Index of the matching bracket for every bracket. */
  readonly #match: Int32Array;

  constructor(input: ParseInput) {
    this.source = input.source;
    this.tokens = input.tokens;
    this.registry = input.registry;
    this.#limit = input.tokens.length;
    this.#match = matchBrackets(input.tokens);
  }

  /** End (exclusive) of the region being read: the statement, or the inside of a bracket. */
  get limit(): number {
    return this.#limit;
  }

  /** Reading inside brackets: every region but the whole statement is a bracket's inside. */
  get bracketed(): boolean {
    return this.#limit < this.tokens.length;
  }

  tok(i = this.pos): Token | undefined {
    return i < this.#limit ? this.tokens[i] : undefined;
  }
  word(i = this.pos): string {
    const t = this.tok(i);
    return t?.kind === 'word' ? t.upper : '';
  }
  punct(i: number, text: string): boolean {
    const t = this.tok(i);
    return t?.kind === 'punct' && t.text === text;
  }
  op(i: number): string {
    const t = this.tok(i);
    return t?.kind === 'op' ? t.text : '';
  }
  endOfPrev(): number {
    return this.tokens[this.pos - 1]?.end ?? this.tokens[0]?.start ?? 0;
  }
  startOf(i: number): number {
    return this.tokens[i]?.start ?? this.endOfPrev();
  }
  /** The bracket matching the one at `i`. */
  closeOf(i: number): number {
    return this.#match[i] ?? i;
  }

  error(at: number, expected: string, message?: string): SemanticSqlError {
    // At a region's end the offending token is the closing bracket, which is what the user sees.
    return errorAtToken(at < this.tokens.length ? this.tokens[at] : undefined, this.tokens[this.tokens.length - 1], expected, message);
  }

  /**
   * Loops that read a list call this once per round. Every round consumes a token by construction;
   * one that consumed none would spin forever, so it is an error at the token where the parser
   * stuck rather than a silent stop (the loops used to give up quietly after 10 to 100,000 rounds).
   */
  assertProgress(before: number, where: string): void {
    if (this.pos > before) return;
    throw this.error(this.pos, `more of ${where}`, `the parser is stuck in ${where} at this token`);
  }

  /**
   * Runs `body` from `from` with the region ending at `to` (at most the current end). Like nested(),
   * it restores nothing when `body` throws: an error ends the parse and the cursor is dropped.
   */
  region<T>(from: number, to: number, body: () => T): T {
    const saved = this.#limit;
    this.#limit = to < saved ? to : saved;
    this.pos = from;
    const value = body();
    this.#limit = saved;
    return value;
  }

  /** Runs `body` over the inside of the bracket at `open`, then stands after the closing bracket. */
  inside<T>(open: number, body: () => T): { value: T; close: number } {
    const close = this.closeOf(open);
    const value = this.region(open + 1, close, body);
    this.pos = close + 1;
    return { value, close };
  }

  /** Counts nesting so absurdly deep input is a positioned error, not a stack overflow. */
  nested<T>(body: () => T): T {
    if (++this.#depth > MAX_DEPTH) {
      throw this.error(this.pos, `at most ${MAX_DEPTH} levels of nesting`, `nested more than ${MAX_DEPTH} levels deep`);
    }
    const value = body();
    this.#depth--;
    return value;
  }

  /** Runs `body` with expressions read in `mode`; like region(), restores nothing when it throws. */
  inMode<T>(mode: ParseMode, body: () => T): T {
    const saved = this.#mode;
    this.#mode = mode;
    const value = body();
    this.#mode = saved;
    return value;
  }

  isQueryStart(i: number): boolean {
    return i < this.#limit && this.queryStartsAt(i);
  }

  /** Ignores the region's end: used to look inside a bracket before entering it. */
  queryStartsAt(i: number): boolean {
    const t = this.tokens[i];
    if (t?.kind !== 'word') return false;
    if (QUERY_START.has(t.upper)) return true;
    const next = this.tokens[i + 1];
    return QUERY_START_NO_CALL.has(t.upper) && !(next?.kind === 'punct' && next.text === '(');
  }

  /** The first token inside the bracket at `open` and any brackets directly inside it. */
  firstInside(open: number): number {
    let first = open + 1;
    while (this.tokens[first]?.kind === 'punct' && this.tokens[first]?.text === '(') first++;
    return first;
  }

  isClauseWord(i: number): boolean {
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

  /**
   * The semantic infix or postfix operator whose keywords start at `i` ([NOT] MEANS, IS [NOT] VALID,
   * CANONICAL, ...). An infix spelling matches only with its right operand there (and fitting its
   * rule), so `x DEFAULT 'c'` is infix and `x DEFAULT` postfix; with `withOperand` false, keywords
   * alone match, to find a keyword whose operand is missing.
   */
  matchInfix(i: number, withOperand = true): InfixMatch | undefined {
    if (this.tok(i) === undefined) return undefined;
    let j = i;
    let negated = false;
    if (this.word(j) === 'NOT') {
      negated = true;
      j++;
    }
    const head = this.tok(j);
    if (head === undefined || (head.kind !== 'word' && head.kind !== 'op')) return undefined;
    for (const spelling of this.registry.infixStartingWith(head.upper)) {
      if (head.kind === 'op' && head.text !== spelling.words[0]) continue;
      if (spelling.queryOnly && this.#mode === 'loose') continue;
      let k = j + 1;
      let neg = negated;
      // IS NOT VALID: the NOT sits after IS.
      if (!negated && spelling.words[0] === 'IS' && this.word(k) === 'NOT') {
        neg = true;
        k++;
      }
      let ok = true;
      for (const w of spelling.words.slice(1)) {
        if (this.word(k) !== w) {
          ok = false;
          break;
        }
        k++;
      }
      if (!ok) continue;
      if (withOperand && !spelling.postfix) {
        if (!this.canStartExpr(k)) continue;
        if (spelling.rule !== undefined && !satisfiesRule(spelling.rule, this.tok(k))) continue;
      }
      return { spelling, negated: neg, next: k };
    }
    return undefined;
  }

  /**
   * A semantic keyword at `i` whose right operand is missing: `text MEANS` then FROM, a comma or the
   * end. Spellings that are SQL words too (IN, TO, IS, DEFAULT, BY, ~, ->) are left to DuckDB.
   */
  danglingInfix(i: number): InfixMatch | undefined {
    if (this.matchInfix(i) !== undefined) return undefined;
    const m = this.matchInfix(i, false);
    if (m === undefined || m.spelling.postfix || SQL_SPELLING_WORDS.has(m.spelling.words[0] ?? '')) return undefined;
    return this.canStartExpr(m.next) ? undefined : m;
  }

  /** After an expression: a semantic keyword with no operand after it is an error at the missing operand. */
  checkDangling(): void {
    const m = this.danglingInfix(this.pos);
    if (m !== undefined) throw this.error(m.next, `an expression after ${m.spelling.words.join(' ')}`);
  }
}

/** The bracket that opens what `close` closes, or undefined if `close` is no closing bracket. */
function openerOf(close: string): string | undefined {
  return close === ')' ? '(' : close === ']' ? '[' : close === '}' ? '{' : undefined;
}

/**
 * Index of the matching bracket for every ( [ { and ) ] }; an unmatched one is a positioned error.
 * Plain comparisons, not lookups in a map: this runs over every token of every parsed statement.
 */
function matchBrackets(tokens: readonly Token[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  const last = tokens[tokens.length - 1];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.kind !== 'punct') continue;
    const text = tok.text;
    if (text === '(' || text === '[' || text === '{') {
      stack.push(i);
      continue;
    }
    const opener = openerOf(text);
    if (opener === undefined) continue;
    const open = stack.pop();
    if (open === undefined || tokens[open]?.text !== opener) {
      throw errorAtToken(tok, last, 'an opening bracket before it', `unmatched '${text}'`);
    }
    match[open] = i;
    match[i] = open;
  }
  const open = stack.pop();
  if (open !== undefined) {
    const text = tokens[open]?.text ?? '(';
    const closer = text === '[' ? ']' : text === '{' ? '}' : ')';
    throw errorAtToken(tokens[open], last, `a closing '${closer}'`, `unmatched '${text}'`);
  }
  return match;
}
