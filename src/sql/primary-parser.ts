import { atom, expr, type CaseNode, type Node } from './ast';
import { isBlockStart, parseBlock, parseCascade } from './block-forms';
import type { Grammar } from './grammar';
import { INTERVAL_UNITS } from './keywords';
import type { Token } from './lexer';
import { P_CMP, P_IS, P_LAMBDA, P_UNARY } from './precedence';

/**
 * The operand an operator chain starts with: a literal or name, a bracket, a prefix operator, NOT,
 * CASE, INTERVAL, a lambda, ASK 'prompt' FROM x, or a call.
 */
export function parsePrimary(g: Grammar): Node {
  const c = g.cursor;
  const t = c.tok();
  if (t === undefined || !c.canStartExpr(c.pos)) throw c.error(c.pos, 'an expression');
  if (t.kind === 'punct') return t.text === '(' ? g.paren() : g.group();
  if (t.kind === 'op') {
    const deref = t.text === '@' ? c.tok(c.pos + 1) : undefined;
    // LARS's @param_get('key'): the @ marks a session-parameter call, not DuckDB's absolute value.
    if (deref?.kind === 'word' && c.punct(c.pos + 2, '(') && c.registry.byFunction(deref.text)?.deref === true) {
      c.pos++;
      const call = g.semCall(deref);
      return { ...call, start: t.start };
    }
    c.pos++;
    if (t.text === '*' || !c.canStartExpr(c.pos)) return atom(t.start, t.end);
    const operand = g.expr(P_UNARY);
    return expr(t.start, operand.end, [operand]);
  }
  if (t.kind !== 'word') {
    c.pos++;
    return atom(t.start, t.end);
  }
  const w = t.upper;
  const next = c.tok(c.pos + 1);
  if (w === 'NOT') {
    c.pos++;
    const operand = g.operand(P_IS, 'NOT');
    return { kind: 'not', operand, start: t.start, end: operand.end, children: [operand] };
  }
  if (w === 'CASE') return parseCase(g);
  if (isBlockStart(g)) return parseBlock(g);
  if (w === 'INTERVAL' && next !== undefined && next.kind !== 'punct' && next.kind !== 'op') {
    c.pos += 2;
    if (INTERVAL_UNITS.test(c.word())) {
      c.pos++;
      if (c.word() === 'TO' && INTERVAL_UNITS.test(c.word(c.pos + 1))) c.pos += 2;
    }
    return atom(t.start, c.endOfPrev());
  }
  if (w === 'LAMBDA' && next?.kind === 'word') {
    c.pos++;
    while (c.tok() !== undefined && !c.punct(c.pos, ':')) c.pos++;
    c.pos++;
    const body = g.operand(P_LAMBDA, 'LAMBDA');
    return expr(t.start, body.end, [body]);
  }
  if (w === 'ASK' && (next?.kind === 'string' || next?.kind === 'param') && c.word(c.pos + 2) === 'FROM') {
    const ask = parseAsk(g, t, next);
    if (ask !== undefined) return ask;
  }
  if (next?.kind === 'punct' && next.text === '(') {
    if (w === 'EXISTS') {
      c.pos++;
      const sub = g.paren();
      return expr(t.start, sub.end, [sub]);
    }
    const def = c.registry.byFunction(t.text);
    if (def?.name === 'cascade' && def.builtin) return parseCascade(g, t);
    return def !== undefined && def.internal !== true ? g.semCall(t) : g.call(t);
  }
  // Typed literal: DATE '2024-01-01', TIMESTAMP '...'.
  if (next?.kind === 'string') {
    c.pos += 2;
    return atom(t.start, next.end);
  }
  c.pos++;
  return atom(t.start, t.end);
}

/** ASK 'prompt' FROM x: the prefix spelling of x ASK 'prompt' (undefined if ask is not registered). */
function parseAsk(g: Grammar, askToken: Token, prompt: Token): Node | undefined {
  const c = g.cursor;
  const spelling = c.registry.infixStartingWith('ASK').find((s) => s.operator.name === 'ask');
  if (spelling === undefined) return undefined;
  c.pos += 3;
  const operand = g.operand(P_CMP + 1, 'ASK ... FROM');
  const promptNode = atom(prompt.start, prompt.end);
  return {
    kind: 'sem',
    def: spelling.operator,
    form: 'infix',
    spelling: 'ASK ... FROM',
    infix: 'ASK',
    negated: false,
    args: [operand, promptNode],
    opToken: askToken,
    distinct: false,
    start: askToken.start,
    end: operand.end,
    children: [promptNode, operand],
  };
}

function parseCase(g: Grammar): CaseNode {
  const c = g.cursor;
  const caseIndex = c.pos;
  const start = (c.tok() as Token).start;
  c.pos++;
  const children: Node[] = [];
  const conditions: Node[] = [];
  const searched = c.word() === 'WHEN';
  if (!searched) children.push(g.operand(0, 'CASE'));
  while (c.word() === 'WHEN') {
    c.pos++;
    const cond = g.operand(0, 'WHEN');
    c.checkDangling();
    children.push(cond);
    if (searched) conditions.push(cond);
    if (c.word() !== 'THEN') throw c.error(c.pos, 'THEN');
    c.pos++;
    children.push(g.operand(0, 'THEN'));
    c.checkDangling();
  }
  if (c.word() === 'ELSE') {
    c.pos++;
    children.push(g.operand(0, 'ELSE'));
    c.checkDangling();
  }
  if (c.word() !== 'END') {
    throw c.error(c.pos, children.length === 0 ? 'WHEN' : `END to close the CASE at line ${c.tokens[caseIndex]?.line ?? 1}`);
  }
  c.pos++;
  return { kind: 'case', conditions, start, end: c.endOfPrev(), children };
}
