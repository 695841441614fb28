// Brackets, type names, function calls and semantic function calls.
import type { CallNode, GroupNode, Node, SemNode } from './ast';
import type { Grammar } from './grammar';
import { CALL_ARG_WORDS, TYPE_CONTINUATION } from './keywords';
import type { Token } from './lexer';

/**
 * ( ... ): a subquery, or expressions. `strict` (expression context) makes a dangling semantic
 * keyword an error; loose statement parts such as column definitions stay lenient.
 */
export function parseParen(g: Grammar, strict = true): Node {
  const c = g.cursor;
  const open = c.pos;
  const first = c.firstInside(open);
  if (c.queryStartsAt(first) && first < c.closeOf(open)) {
    return c.inside(open, () => g.query(c.pos, c.limit, false)).value;
  }
  return parseGroup(g, strict);
}

/** ( ... ), [ ... ] or { ... } of comma- or colon-separated expressions. */
export function parseGroup(g: Grammar, strict = true): GroupNode {
  const c = g.cursor;
  const open = c.tok() as Token;
  const { value: children, close } = c.inside(c.pos, () => parseItems(g, strict));
  return { kind: 'group', open: open.text, start: open.start, end: c.tokens[close]?.end ?? open.end, children };
}

/** Expressions up to the region's end; separators and unknown tokens skipped. */
export function parseItems(g: Grammar, strict: boolean): Node[] {
  const c = g.cursor;
  const items: Node[] = [];
  while (c.tok() !== undefined) {
    const before = c.pos;
    if (c.punct(c.pos, ',') || c.punct(c.pos, ':')) c.pos++;
    else if (c.word() === 'AS') {
      c.pos++;
      parseType(g);
    } else if (c.isQueryStart(c.pos) && c.word() !== 'TABLE') {
      items.push(g.query(c.pos, c.limit, false));
    } else if (c.canStartExpr(c.pos)) {
      items.push(g.expr(0));
      if (strict) c.checkDangling();
    } else c.pos++;
    c.assertProgress(before, 'a bracketed list');
  }
  return items;
}

/** A type name after :: or AS: words, dotted names, and (...) or [...] parts; every step reads a token. */
export function parseType(g: Grammar): void {
  const c = g.cursor;
  if (c.tok() === undefined) return;
  c.pos++;
  for (;;) {
    if (TYPE_CONTINUATION.has(c.word())) c.pos++;
    else if (c.punct(c.pos, '.') && c.tok(c.pos + 1) !== undefined) c.pos += 2;
    else if (c.punct(c.pos, '(') || c.punct(c.pos, '[')) c.pos = c.closeOf(c.pos) + 1;
    else return;
  }
}

/** name( ... ) for any function that is not a semantic operator. */
export function parseCall(g: Grammar, name: Token): CallNode {
  g.cursor.pos++;
  return parseCallArgs(g, name, g.cursor.pos - 1);
}

export function parseCallArgs(g: Grammar, name: Token, nameIndex: number): CallNode {
  const c = g.cursor;
  const { value: args } = c.inside(nameIndex + 1, () => {
    const out: Node[] = [];
    if (c.word() === 'DISTINCT' || c.word() === 'ALL') c.pos++;
    if (['SELECT', 'WITH', 'VALUES'].includes(c.word()) && c.isQueryStart(c.pos)) {
      out.push(g.query(c.pos, c.limit, false));
      return out;
    }
    while (c.tok() !== undefined) {
      const before = c.pos;
      const w = c.word();
      if (c.punct(c.pos, ',')) c.pos++;
      else if (w === 'AS') {
        c.pos++;
        parseType(g);
      } else if (w === 'ORDER' && c.word(c.pos + 1) === 'BY') {
        c.pos += 2;
      } else if (CALL_ARG_WORDS.has(w) || w === 'ASC' || w === 'DESC' || w === 'NULLS' || w === 'IGNORE' || w === 'RESPECT') {
        c.pos++;
      } else if (c.canStartExpr(c.pos)) {
        out.push(g.expr(0));
        c.checkDangling();
      } else c.pos++;
      c.assertProgress(before, "a call's arguments");
    }
    return out;
  });
  const children = [...args];
  const call: CallNode = { kind: 'call', name: name.text.toLowerCase(), args, window: false, start: name.start, end: c.endOfPrev(), children };
  parseCallSuffix(g, call, children);
  call.end = c.endOfPrev();
  return call;
}

/**
 * FILTER (WHERE ...), WITHIN GROUP (...), OVER (...) / OVER name, IGNORE|RESPECT NULLS, in any
 * number and order; every branch reads at least one token. Returns the OVER token, if any.
 */
function parseCallSuffix(g: Grammar, call: { filter?: Node; window?: boolean }, children: Node[]): Token | undefined {
  const c = g.cursor;
  let over: Token | undefined;
  for (;;) {
    const w = c.word();
    if (w === 'FILTER' && c.punct(c.pos + 1, '(')) {
      c.pos++;
      c.inside(c.pos, () => {
        if (c.word() === 'WHERE') c.pos++;
        const cond = g.operand(0, 'FILTER (WHERE');
        c.checkDangling();
        call.filter = cond;
        children.push(cond, ...parseItems(g, false));
      });
    } else if (w === 'WITHIN' && c.word(c.pos + 1) === 'GROUP' && c.punct(c.pos + 2, '(')) {
      c.pos += 2;
      children.push(...c.inside(c.pos, () => g.loose(c.limit)).value);
    } else if (w === 'OVER') {
      over = c.tok();
      if ('window' in call) call.window = true;
      c.pos++;
      if (c.punct(c.pos, '(')) children.push(...c.inside(c.pos, () => g.loose(c.limit)).value);
      else if (c.tok() !== undefined) c.pos++;
    } else if ((w === 'IGNORE' || w === 'RESPECT') && c.word(c.pos + 1) === 'NULLS') {
      c.pos += 2;
    } else return over;
  }
}

export function parseSemCall(g: Grammar, name: Token): SemNode {
  const c = g.cursor;
  const def = c.registry.byFunction(name.text);
  if (def === undefined) throw c.error(c.pos, 'a semantic function');
  const nameIndex = c.pos;
  let distinct = false;
  const { value: args, close } = c.inside(nameIndex + 1, () => {
    const out: Node[] = [];
    if (c.word() === 'DISTINCT') {
      distinct = true;
      c.pos++;
    }
    while (c.tok() !== undefined) {
      const firstAt = c.pos;
      const first = c.tok();
      out.push(g.operand(0, out.length === 0 ? `${name.text}(` : "','"));
      // A variadic operator's first argument is its instructions (llm's prompt): it must come from
      // the query, never from a column, so row data can never become instructions (issue 14).
      if (out.length === 1 && def.args.some((a) => a.variadic === true) && !(first?.kind === 'string' && out[0]?.end === first.end)) {
        throw c.error(firstAt, 'the prompt as a string literal', `${name.text}()'s prompt must be a string literal: row values go in the arguments after it`);
      }
      c.checkDangling();
      if (c.punct(c.pos, ',')) {
        c.pos++;
        if (c.tok() === undefined) throw c.error(c.limit, 'an argument');
      } else if (c.tok() !== undefined) throw c.error(c.pos, "',' or ')'");
    }
    return out;
  });
  const written = def.args.filter((a) => a.implicit === undefined);
  const required = written.filter((a) => a.optional !== true && a.variadic !== true).length;
  const variadic = written.some((a) => a.variadic === true);
  const max = variadic ? Infinity : written.length;
  if (args.length < required || args.length > max) {
    const want = required === max ? `${required}` : variadic ? `at least ${required}` : `${required} to ${max}`;
    throw c.error(
      args.length > max ? nameIndex : close,
      `${want} argument${want === '1' ? '' : 's'}`,
      `${name.text}() takes ${want} argument${want === '1' ? '' : 's'}, found ${args.length}`,
    );
  }
  const children: Node[] = [...args];
  const node: SemNode = {
    kind: 'sem',
    def,
    form: 'function',
    spelling: name.text,
    infix: '',
    negated: false,
    args,
    opToken: name,
    distinct,
    start: name.start,
    end: c.endOfPrev(),
    children,
  };
  const over = parseCallSuffix(g, node, children);
  if (over !== undefined) node.overToken = over;
  node.end = c.endOfPrev();
  children.sort((a, b) => a.start - b.start);
  return node;
}
