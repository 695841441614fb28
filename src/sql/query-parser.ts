// Queries: WITH, set-operation terms, the query tail, and query levels (SELECT cores).
import type { ClauseNode, LevelNode, QueryNode } from './ast';
import { parseClause, parseFrom, parseSelectList, parseValues } from './clause-parser';
import type { Grammar } from './grammar';
import { LEVEL_END, QUERY_START_NO_CALL, SET_OPERATION_MODIFIERS, SET_OPERATIONS } from './keywords';
import type { Token } from './lexer';

/** Statement words that stand before a query's body and need no parsing: TABLE t, SUMMARIZE ... */
const QUERY_COMMANDS: ReadonlySet<string> = new Set(['TABLE', ...QUERY_START_NO_CALL]);

/** WITH ... / SELECT ... / FROM ... / VALUES / (query) [set operations] [ORDER BY] [LIMIT], in tokens [from, to). */
export function parseQuery(g: Grammar, from: number, to: number, cte: boolean): QueryNode {
  const c = g.cursor;
  return c.nested(() =>
    c.region(from, to, () =>
      c.inMode('query', () => {
        const start = c.startOf(from);
        const q: QueryNode = { kind: 'query', levels: [], ctes: [], cte, bracketed: c.bracketed, setOp: false, start, end: start, children: [] };
        if (c.word() === 'WITH') parseWith(g, q);
        parseTerms(g, q);
        parseTail(g, q);
        const only = q.levels[0];
        if (q.orderBy !== undefined && q.levels.length === 1 && only !== undefined) only.orderBy = q.orderBy;
        q.end = c.endOfPrev();
        return q;
      }),
    ),
  );
}

/** WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (query), ...; each round passes a bracket. */
function parseWith(g: Grammar, q: QueryNode): void {
  const c = g.cursor;
  c.pos++;
  if (c.word() === 'RECURSIVE') c.pos++;
  while (c.tok() !== undefined) {
    // Skip the name and keywords to the next parenthesis.
    while (c.tok() !== undefined && !c.punct(c.pos, '(')) {
      if (c.word() === 'AS' && c.punct(c.pos + 1, '(')) {
        c.pos++;
        break;
      }
      c.pos++;
    }
    if (!c.punct(c.pos, '(')) return;
    const open = c.pos;
    if (c.word(open - 1) !== 'AS' && c.word(open - 1) !== 'MATERIALIZED') {
      // The column list of `name(a, b) AS (...)`.
      c.pos = c.closeOf(open) + 1;
      continue;
    }
    const body = c.inside(open, () => g.query(c.pos, c.limit, true)).value;
    q.ctes.push(body);
    q.children.push(body);
    if (!c.punct(c.pos, ',')) return;
    c.pos++;
  }
}

/** Query terms joined by set operations; a round that continues has read a token. */
function parseTerms(g: Grammar, q: QueryNode): void {
  const c = g.cursor;
  while (c.tok() !== undefined) {
    const w = c.word();
    if (w === 'SELECT' || w === 'FROM') {
      const level = parseLevel(g);
      q.levels.push(level);
      q.children.push(level);
    } else if (w === 'VALUES') {
      c.pos++;
      q.children.push(...parseValues(g));
    } else if (c.punct(c.pos, '(')) {
      q.children.push(g.paren());
    } else if (QUERY_COMMANDS.has(w)) {
      c.pos++;
      continue;
    } else if (q.levels.length === 0 && q.children.length === q.ctes.length) {
      // WITH ... followed by INSERT/UPDATE/DELETE: the rest is loose.
      return;
    }
    if (!SET_OPERATIONS.has(c.word())) return;
    q.setOp = true;
    c.pos++;
    while (SET_OPERATION_MODIFIERS.has(c.word())) c.pos++;
  }
}

/** ORDER BY, LIMIT, OFFSET and whatever else follows the terms, to the region's end. */
function parseTail(g: Grammar, q: QueryNode): void {
  const c = g.cursor;
  while (c.tok() !== undefined) {
    const before = c.pos;
    const w = c.word();
    if (w === 'ORDER' && c.word(c.pos + 1) === 'BY') {
      q.orderBy = parseClause(g, 'order_by', 2);
      q.children.push(q.orderBy);
    } else if (w === 'LIMIT' || w === 'OFFSET') {
      const count = c.tok(c.pos + 1);
      const clause = parseClause(g, 'other', 1);
      q.children.push(clause);
      if (w === 'LIMIT') {
        q.limit = clause;
        if (isRowCount(clause, count)) q.limitCount = Number(count.text);
        else delete q.limitCount;
      }
    } else {
      q.children.push(...g.loose(c.limit));
    }
    c.assertProgress(before, 'the end of a query');
  }
}

/** LIMIT k with k an integer literal: not $1, ALL, an expression, or a percentage (LIMIT 10%). */
function isRowCount(clause: ClauseNode, count: Token | undefined): count is Token {
  const only = clause.children.length === 1 ? clause.children[0] : undefined;
  return (
    count !== undefined && count.kind === 'number' && /^\d+$/.test(count.text) && only?.kind === 'atom' && only.start === count.start && only.end === count.end
  );
}

/** One SELECT core; every round reads the keyword of one clause. */
function parseLevel(g: Grammar): LevelNode {
  const c = g.cursor;
  const start = c.startOf(c.pos);
  const level: LevelNode = { kind: 'level', selectItems: [], distinct: false, window: false, start, end: start, children: [] };
  for (;;) {
    const w = c.word();
    if (w === 'SELECT' && level.select === undefined) {
      level.select = parseSelectList(g, level);
      level.children.push(level.select);
    } else if (w === 'FROM' && level.from === undefined) {
      level.from = parseFrom(g);
      level.children.push(level.from);
    } else if (w === 'WHERE' && level.where === undefined) {
      level.where = parseClause(g, 'where', 1);
      level.children.push(level.where);
    } else if (w === 'GROUP' && c.word(c.pos + 1) === 'BY' && level.groupBy === undefined) {
      level.groupBy = parseClause(g, 'group_by', 2);
      level.children.push(level.groupBy);
    } else if (w === 'HAVING' && level.having === undefined) {
      level.having = parseClause(g, 'having', 1);
      level.children.push(level.having);
    } else if (w === 'QUALIFY' && level.qualify === undefined) {
      level.qualify = parseClause(g, 'qualify', 1);
      level.children.push(level.qualify);
    } else if (w === 'WINDOW') {
      level.window = true;
      c.pos++;
      while (c.tok() !== undefined && !LEVEL_END.has(c.word())) {
        if (c.punct(c.pos, '(')) level.children.push(...c.inside(c.pos, () => g.loose(c.limit)).value);
        else c.pos++;
      }
    } else break;
  }
  level.end = c.endOfPrev();
  return level;
}
