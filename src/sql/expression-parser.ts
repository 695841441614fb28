import { atom, expr, type Node, type SemNode } from './ast';
import type { Grammar } from './grammar';
import type { Token } from './lexer';
import { parsePrimary } from './primary-parser';
import { P_AND, P_CMP, P_IS, P_LAMBDA, P_LIKE, P_OR, P_OTHER, P_UNARY, operatorPrecedence } from './precedence';
import type { InfixMatch } from './token-cursor';

/**
 * Operator expressions by precedence climbing: a primary (primary-parser.ts), then infix and
 * postfix steps while they bind at least as tightly as `minPrec`.
 */
export function parseExpr(g: Grammar, minPrec: number): Node {
  return g.cursor.nested(() => {
    let left = parsePrimary(g);
    for (;;) {
      const before = g.cursor.pos;
      const next = parseInfix(g, left, minPrec);
      if (next === undefined) return left;
      g.cursor.assertProgress(before, 'an expression');
      left = next;
    }
  });
}

/** An operand that must be there (after AND, IS DISTINCT FROM, a semantic keyword...). */
export function parseOperand(g: Grammar, minPrec: number, after: string): Node {
  if (!g.cursor.canStartExpr(g.cursor.pos)) throw g.cursor.error(g.cursor.pos, `an expression after ${after}`);
  return parseExpr(g, minPrec);
}

/** One infix/postfix step on `left`, or undefined when the next token does not continue it. */
function parseInfix(g: Grammar, left: Node, minPrec: number): Node | undefined {
  const c = g.cursor;
  const t = c.tok();
  if (t === undefined) return undefined;
  const sem = c.matchInfix(c.pos);
  if (sem !== undefined) {
    if (P_CMP < minPrec) return undefined;
    return parseSemInfix(g, left, sem);
  }
  if (t.kind === 'word') return parseKeywordInfix(g, left, minPrec);
  if (t.kind === 'punct') {
    if (t.text === '[') {
      const group = g.group();
      return expr(left.start, group.end, [left, group]);
    }
    if (t.text !== '.') return undefined;
    c.pos++;
    const member = c.tok();
    if (member === undefined) return expr(left.start, t.end, [left]);
    c.pos++;
    if (c.punct(c.pos, '(') && member.kind === 'word') {
      // a.f(b), DuckDB's function chaining for f(a, b). The operands are values, as before the
      // chain; the call is kept for the statement's shape (a.count() aggregates).
      const call = g.callArgs(member, c.pos - 1);
      return { ...expr(left.start, call.end, [left, ...call.children]), chained: call };
    }
    return expr(left.start, member.end, [left]);
  }
  if (t.kind !== 'op') return undefined;
  if (t.text === '::') {
    c.pos++;
    g.typeName();
    return expr(left.start, c.endOfPrev(), [left]);
  }
  const prec = operatorPrecedence(t.text);
  if (prec < minPrec) return undefined;
  c.pos++;
  // A trailing operator (postfix factorial, or junk) is DuckDB's to judge.
  if (!c.canStartExpr(c.pos)) return expr(left.start, t.end, [left]);
  const right = parseExpr(g, prec === P_LAMBDA ? P_LAMBDA : prec + 1);
  if (left.kind === 'expr') {
    // Flat chains (a || b || c ...): operands of plain operators are all values anyway.
    left.children.push(right);
    left.end = right.end;
    return left;
  }
  return expr(left.start, right.end, [left, right]);
}

/** AND, OR, [NOT] LIKE/IN/BETWEEN..., IS ..., COLLATE, AT TIME ZONE. */
function parseKeywordInfix(g: Grammar, left: Node, minPrec: number): Node | undefined {
  const c = g.cursor;
  const w = c.word();
  switch (w) {
    case 'AND':
    case 'OR': {
      const prec = w === 'AND' ? P_AND : P_OR;
      if (prec < minPrec) return undefined;
      c.pos++;
      const right = parseOperand(g, prec + 1, w);
      // Long AND/OR chains stay flat, so later passes do not recurse once per operand.
      if (left.kind === 'logic' && left.op === w) {
        left.children.push(right);
        left.end = right.end;
        return left;
      }
      return { kind: 'logic', op: w, start: left.start, end: right.end, children: [left, right] };
    }
    case 'NOT': {
      const after = c.word(c.pos + 1);
      if (!['LIKE', 'ILIKE', 'GLOB', 'IN', 'BETWEEN', 'SIMILAR'].includes(after) || P_LIKE < minPrec) return undefined;
      c.pos++;
      return parseLikeFamily(g, left);
    }
    case 'LIKE':
    case 'ILIKE':
    case 'GLOB':
    case 'SIMILAR':
    case 'IN':
    case 'BETWEEN':
      if (P_LIKE < minPrec) return undefined;
      return parseLikeFamily(g, left);
    case 'IS': {
      if (P_IS < minPrec) return undefined;
      // IS VALID with nothing after it would otherwise read as IS <keyword>, like IS NULL.
      const bare = c.matchInfix(c.pos, false);
      if (bare !== undefined && !bare.spelling.postfix) throw c.error(bare.next, `an expression after ${bare.spelling.words.join(' ')}`);
      c.pos++;
      if (c.word() === 'NOT') c.pos++;
      if (c.word() === 'DISTINCT' && c.word(c.pos + 1) === 'FROM') {
        c.pos += 2;
        const right = parseOperand(g, P_CMP, 'IS DISTINCT FROM');
        return expr(left.start, right.end, [left, right]);
      }
      if (c.tok() !== undefined) c.pos++;
      return expr(left.start, c.endOfPrev(), [left]);
    }
    case 'ISNULL':
    case 'NOTNULL':
      if (P_IS < minPrec) return undefined;
      c.pos++;
      return expr(left.start, c.endOfPrev(), [left]);
    case 'COLLATE':
      c.pos++;
      if (c.tok() !== undefined) c.pos++;
      return expr(left.start, c.endOfPrev(), [left]);
    case 'AT': {
      if (c.word(c.pos + 1) !== 'TIME' || c.word(c.pos + 2) !== 'ZONE') return undefined;
      c.pos += 3;
      const right = parseOperand(g, P_UNARY, 'AT TIME ZONE');
      return expr(left.start, right.end, [left, right]);
    }
    default:
      return undefined;
  }
}

function parseLikeFamily(g: Grammar, left: Node): Node {
  const c = g.cursor;
  const w = c.word();
  c.pos++;
  if (w === 'SIMILAR' && c.word() === 'TO') c.pos++;
  const children: Node[] = [left];
  if (w === 'BETWEEN') {
    if (c.word() === 'SYMMETRIC' || c.word() === 'ASYMMETRIC') c.pos++;
    children.push(parseOperand(g, P_OTHER, 'BETWEEN'));
    if (c.word() === 'AND') {
      c.pos++;
      children.push(parseOperand(g, P_OTHER, 'BETWEEN ... AND'));
    }
  } else if (c.canStartExpr(c.pos)) {
    children.push(parseExpr(g, P_OTHER));
    if (c.word() === 'ESCAPE') {
      c.pos++;
      children.push(parseOperand(g, P_OTHER, 'ESCAPE'));
    }
  }
  return expr(left.start, c.endOfPrev(), children);
}

/** `left WORDS right`, or `left WORDS` for a postfix spelling. */
function parseSemInfix(g: Grammar, left: Node, m: InfixMatch): SemNode {
  const c = g.cursor;
  const opToken = c.tok() as Token;
  c.pos = m.next;
  const words = m.spelling.words.join(' ');
  const args: Node[] = [left];
  if (!m.spelling.postfix) args.push(parseOperand(g, P_CMP + 1, words));
  // a SAME_AS b AS 'entity type': a string after AS is the entity type, not an alias.
  if (m.spelling.operator.name === 'same_as' && c.word() === 'AS' && c.tok(c.pos + 1)?.kind === 'string') {
    const typeToken = c.tok(c.pos + 1) as Token;
    c.pos += 2;
    args.push(atom(typeToken.start, typeToken.end));
  }
  const keywordsEnd = c.tokens[m.next - 1]?.end ?? opToken.end;
  const last = args[args.length - 1] as Node;
  return {
    kind: 'sem',
    def: m.spelling.operator,
    form: 'infix',
    spelling: c.source.slice(opToken.start, keywordsEnd),
    infix: words,
    negated: m.negated,
    args,
    opToken,
    distinct: false,
    start: left.start,
    end: m.spelling.postfix && args.length === 1 ? keywordsEnd : last.end,
    children: args,
  };
}
