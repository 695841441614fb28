import type { Node } from './ast';
import type { Grammar } from './grammar';

/**
 * Statements other than queries (INSERT, UPDATE, CREATE TABLE AS, COPY, ...) and query tails, in
 * tokens up to `to`: find the queries and expressions inside and leave every other token alone.
 */
export function parseLoose(g: Grammar, to: number): Node[] {
  const c = g.cursor;
  // Expressions read here directly are loose (TO and DEFAULT keep their SQL meaning); queries,
  // clauses and SET assignments inside read as queries.
  return c.region(c.pos, to, () =>
    c.inMode('loose', () => {
      const out: Node[] = [];
      while (c.tok() !== undefined) {
        const before = c.pos;
        const t = c.tok();
        const w = c.word();
        if (w === 'SELECT' || w === 'WITH' || (w === 'VALUES' && c.punct(c.pos + 1, '('))) {
          out.push(g.query(c.pos, c.limit, false));
        } else if (w === 'WHERE' || w === 'HAVING' || w === 'QUALIFY') {
          out.push(g.clause(w === 'WHERE' ? 'where' : w === 'HAVING' ? 'having' : 'qualify', 1));
        } else if ((w === 'PARTITION' || w === 'ORDER') && c.word(c.pos + 1) === 'BY') {
          out.push(g.clause(w === 'ORDER' ? 'order_by' : 'other', 2));
        } else if (w === 'SET') {
          out.push(...parseAssignments(g));
        } else if (c.punct(c.pos, '(')) {
          out.push(g.paren(false));
        } else if (c.canStartExpr(c.pos) && t?.kind !== 'op') {
          // Only words, literals and brackets start expressions worth parsing in loose parts.
          out.push(g.expr(0));
        } else c.pos++;
        c.assertProgress(before, 'a statement');
      }
      return out;
    }),
  );
}

/** UPDATE ... SET col = expr, ...: the value after '=' is a whole expression. Each round reads an '='. */
function parseAssignments(g: Grammar): Node[] {
  const c = g.cursor;
  return c.inMode('query', () => assignments(g));
}

function assignments(g: Grammar): Node[] {
  const c = g.cursor;
  c.pos++;
  const out: Node[] = [];
  while (c.tok() !== undefined) {
    while (c.tok() !== undefined && c.op(c.pos) !== '=' && !c.isClauseWord(c.pos)) c.pos++;
    if (c.op(c.pos) !== '=') break;
    c.pos++;
    if (!c.canStartExpr(c.pos)) break;
    out.push(g.expr(0));
    c.checkDangling();
    if (!c.punct(c.pos, ',')) break;
    c.pos++;
  }
  return out;
}
