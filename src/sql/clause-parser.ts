// Clause bodies: SELECT lists, expression lists with aliases and directions, FROM lists, VALUES.
import type { ClauseNode, LevelNode, Node, SelectItem } from './ast';
import type { Grammar } from './grammar';
import { CLAUSE_WORDS, LEVEL_END } from './keywords';
import { quotedValue, stringValue, type Token } from './lexer';
import type { TokenCursor } from './token-cursor';
import type { ClauseKind } from './types';

/** The rows after VALUES: (...), (...), each a group of expressions. */
export function parseValues(g: Grammar): Node[] {
  const c = g.cursor;
  const rows: Node[] = [];
  while (c.punct(c.pos, '(')) {
    rows.push(g.group());
    if (c.punct(c.pos, ',')) c.pos++;
  }
  return rows;
}

function newClause(c: TokenCursor, clause: ClauseKind, keywordWords: number): ClauseNode {
  const start = c.startOf(c.pos);
  c.pos += keywordWords;
  return { kind: 'clause', clause, keywordStart: start, orderItems: [], all: false, start, end: start, children: [] };
}

export function parseSelectList(g: Grammar, level: LevelNode): ClauseNode {
  const c = g.cursor;
  const clause = newClause(c, 'select', 1);
  if (c.word() === 'DISTINCT') {
    level.distinct = true;
    c.pos++;
    if (c.word() === 'ON' && c.punct(c.pos + 1, '(')) {
      c.pos++;
      clause.children.push(g.group());
    }
  } else if (c.word() === 'ALL') c.pos++;
  parseList(g, clause, (item) => level.selectItems.push(item));
  clause.end = c.endOfPrev();
  return clause;
}

/**
 * WHERE / HAVING / QUALIFY / GROUP BY / ORDER BY / LIMIT bodies: comma-separated expressions,
 * each maybe followed by ASC/DESC, NULLS FIRST/LAST.
 */
export function parseClause(g: Grammar, kind: ClauseKind, keywordWords: number): ClauseNode {
  const c = g.cursor;
  return c.inMode('query', () => {
    const clause = newClause(c, kind, keywordWords);
    if (kind === 'group_by' && c.word() === 'ALL') {
      clause.all = true;
      c.pos++;
    }
    parseList(g, clause, undefined);
    clause.end = c.endOfPrev();
    return clause;
  });
}

/** A comma-separated list; every round reads an expression or skips a token, or ends the list. */
function parseList(g: Grammar, clause: ClauseNode, onSelectItem: ((item: SelectItem) => void) | undefined): void {
  const c = g.cursor;
  const strict = clause.clause !== 'select';
  for (;;) {
    if (c.tok() === undefined || c.isClauseWord(c.pos) || c.punct(c.pos, ')')) return;
    if (!c.canStartExpr(c.pos)) {
      c.pos++;
      continue;
    }
    const before = c.pos;
    const exprNode = g.expr(0);
    c.assertProgress(before, 'a list item');
    if (strict) c.checkDangling();
    clause.children.push(exprNode);
    const item: SelectItem = { expr: exprNode };
    const hasDirection = parseItemTail(g, clause, item, onSelectItem !== undefined);
    if (clause.clause === 'order_by') clause.orderItems.push({ expr: exprNode, hasDirection });
    onSelectItem?.(item);
    if (!c.punct(c.pos, ',')) return;
    c.pos++;
  }
}

/**
 * After a list item: alias, direction, and tokens the rewriter need not understand, up to the
 * next comma or clause. Every round reads a token. Returns whether ASC/DESC was written.
 */
function parseItemTail(g: Grammar, clause: ClauseNode, item: SelectItem, selectList: boolean): boolean {
  const c = g.cursor;
  let hasDirection = false;
  for (;;) {
    const t = c.tok();
    if (t === undefined || c.punct(c.pos, ',') || c.isClauseWord(c.pos)) return hasDirection;
    const w = c.word();
    const before = c.pos;
    // `SELECT text MEANS FROM t`: an operator keyword missing its operand, not an alias named MEANS.
    if (selectList) c.checkDangling();
    if (w === 'AS') {
      c.pos++;
      const alias = c.tok();
      if (alias !== undefined) {
        item.alias = aliasName(alias);
        c.pos++;
      }
    } else if (w === 'ASC' || w === 'DESC') {
      hasDirection = true;
      c.pos++;
    } else if (w === 'NULLS') {
      c.pos += 2;
    } else if (selectList && (t.kind === 'word' || t.kind === 'quoted') && item.alias === undefined && !canContinue(c, c.pos)) {
      item.alias = aliasName(t);
      c.pos++;
    } else if (c.canStartExpr(c.pos)) {
      clause.children.push(g.expr(0));
    } else c.pos++;
    c.assertProgress(before, 'a list item');
  }
}

/** A bare word followed by more expression: not an alias. */
function canContinue(c: TokenCursor, i: number): boolean {
  const next = c.tok(i + 1);
  return next !== undefined && !(next.kind === 'punct' && next.text === ',') && !c.isClauseWord(i + 1) && !c.punct(i + 1, ')');
}

function aliasName(t: Token): string {
  if (t.kind === 'quoted') return quotedValue(t);
  if (t.kind === 'string') return stringValue(t);
  return t.text.toLowerCase();
}

export function parseFrom(g: Grammar): ClauseNode {
  const c = g.cursor;
  const clause = newClause(c, 'from', 1);
  parseFromItems(g, clause.children);
  clause.end = c.endOfPrev();
  return clause;
}

/** Tables, joins, ON conditions, table functions, derived tables, to the end of the FROM list. */
function parseFromItems(g: Grammar, out: Node[]): void {
  const c = g.cursor;
  for (;;) {
    const t = c.tok();
    if (t === undefined || LEVEL_END.has(c.word())) return;
    const before = c.pos;
    const w = c.word();
    if (c.punct(c.pos, '(')) {
      if (c.queryStartsAt(c.firstInside(c.pos))) out.push(g.paren());
      else {
        const inner: Node[] = [];
        const { close } = c.inside(c.pos, () => c.nested(() => parseFromItems(g, inner)));
        out.push({ kind: 'group', open: '(', start: t.start, end: c.tokens[close]?.end ?? t.end, children: inner });
      }
    } else if (w === 'ON') {
      const on = newClause(c, 'on', 1);
      on.children.push(g.operand(0, 'ON'));
      c.checkDangling();
      on.end = c.endOfPrev();
      out.push(on);
    } else if (w === 'VALUES') {
      c.pos++;
      out.push(...parseValues(g));
    } else if (t.kind === 'word' && c.punct(c.pos + 1, '(') && !CLAUSE_WORDS.has(w)) {
      // vector_search('q', t.c, 5): a semantic operator that returns a table.
      out.push(c.registry.byFunction(t.text)?.table === true ? g.semCall(t) : g.call(t));
    } else c.pos++;
    c.assertProgress(before, 'a FROM list');
  }
}
