import type { ClauseNode, LevelNode, Node, QueryNode, SelectItem } from './ast';
import { CallParser } from './call-parser';
import { quotedValue, stringValue, type Token } from './lexer';
import { CLAUSE_WORDS, LEVEL_END } from './token-cursor';
import type { ClauseKind } from './types';

export type { ParseInput } from './token-cursor';

/**
 * Queries, clauses and every other statement: the top of the parser's class chain (see
 * token-cursor.ts). `parseStatement` gives the statement's tree.
 */
export class Parser extends CallParser {
  /** The statement as a tree: a query, or loose nodes for any other statement. */
  parseStatement(): Node[] {
    const first = this.t[0];
    if (first !== undefined && (this.isQueryStart(0) || (first.kind === 'punct' && first.text === '('))) {
      const q = this.parseQuery(0, this.t.length, false);
      const rest = this.parseLoose(this.t.length);
      return [q, ...rest];
    }
    return this.parseLoose(this.t.length);
  }

  // ---- queries ------------------------------------------------------------------------------

  /** WITH ... / SELECT ... / FROM ... / VALUES / (query) [set operations] [ORDER BY] [LIMIT]. */
  parseQuery(from: number, to: number, cte: boolean): QueryNode {
    return this.nested(() => this.parseQueryAt(from, to, cte));
  }

  protected parseQueryAt(from: number, to: number, cte: boolean): QueryNode {
    const savedLimit = this.limit;
    this.limit = to;
    this.p = from;
    const start = this.startOf(from);
    const q: QueryNode = { kind: 'query', levels: [], ctes: [], cte, start, end: start, children: [] };
    if (this.word() === 'WITH') {
      this.p++;
      if (this.word() === 'RECURSIVE') this.p++;
      for (let guard = 0; guard < 10_000 && this.tok() !== undefined; guard++) {
        while (this.tok() !== undefined && !this.punct(this.p, '(') ) {
          // name [(columns)] AS [NOT] [MATERIALIZED]: skip to the body's parenthesis.
          if (this.word() === 'AS' && this.punct(this.p + 1, '(')) {
            this.p++;
            break;
          }
          if (this.punct(this.p, '(')) break;
          this.p++;
        }
        if (!this.punct(this.p, '(')) break;
        const open = this.p;
        if (this.word(open - 1) !== 'AS' && this.word(open - 1) !== 'MATERIALIZED') {
          // The column list of `name(a, b) AS (...)`.
          this.p = (this.match[open] ?? open) + 1;
          continue;
        }
        const close = this.match[open] ?? open;
        const body = this.parseQuery(open + 1, close, true);
        this.limit = to;
        this.p = close + 1;
        q.ctes.push(body);
        q.children.push(body);
        if (this.punct(this.p, ',')) this.p++;
        else break;
      }
    }
    let orderBy: ClauseNode | undefined;
    for (let guard = 0; guard < 100_000 && this.tok() !== undefined; guard++) {
      const w = this.word();
      if (w === 'SELECT' || w === 'FROM') {
        const level = this.parseLevel();
        q.levels.push(level);
        q.children.push(level);
      } else if (w === 'VALUES') {
        this.p++;
        q.children.push(...this.parseValues());
      } else if (this.punct(this.p, '(')) {
        q.children.push(this.parseParen());
      } else if (w === 'TABLE' || w === 'SUMMARIZE' || w === 'DESCRIBE' || w === 'PIVOT' || w === 'UNPIVOT') {
        this.p++;
        continue;
      } else if (q.levels.length === 0 && q.children.length === q.ctes.length) {
        // WITH ... followed by INSERT/UPDATE/DELETE: the rest is loose.
        break;
      }
      if (['UNION', 'INTERSECT', 'EXCEPT'].includes(this.word())) {
        this.p++;
        while (['ALL', 'DISTINCT', 'BY', 'NAME'].includes(this.word())) this.p++;
        continue;
      }
      break;
    }
    // Query tail: ORDER BY, LIMIT, OFFSET and whatever else follows.
    for (let guard = 0; guard < 100_000 && this.tok() !== undefined; guard++) {
      const before = this.p;
      const w = this.word();
      if (w === 'ORDER' && this.word(this.p + 1) === 'BY') {
        orderBy = this.parseClause('order_by', 2);
        q.children.push(orderBy);
      } else if (w === 'LIMIT' || w === 'OFFSET') {
        q.children.push(this.parseClause('other', 1));
      } else {
        q.children.push(...this.parseLoose(this.limit));
      }
      if (this.p === before) this.p++;
    }
    const only = q.levels[0];
    if (orderBy !== undefined && q.levels.length === 1 && only !== undefined) only.orderBy = orderBy;
    q.end = this.endOfPrev();
    this.limit = savedLimit;
    return q;
  }

  protected parseValues(): Node[] {
    const rows: Node[] = [];
    while (this.punct(this.p, '(')) {
      rows.push(this.parseGroup());
      if (this.punct(this.p, ',')) this.p++;
    }
    return rows;
  }

  protected parseLevel(): LevelNode {
    const start = this.startOf(this.p);
    const level: LevelNode = { kind: 'level', selectItems: [], start, end: start, children: [] };
    for (let guard = 0; guard < 100; guard++) {
      const w = this.word();
      if (w === 'SELECT' && level.select === undefined) {
        level.select = this.parseSelectList(level);
        level.children.push(level.select);
      } else if (w === 'FROM' && level.from === undefined) {
        level.from = this.parseFrom();
        level.children.push(level.from);
      } else if (w === 'WHERE' && level.where === undefined) {
        level.where = this.parseClause('where', 1);
        level.children.push(level.where);
      } else if (w === 'GROUP' && this.word(this.p + 1) === 'BY' && level.groupBy === undefined) {
        level.groupBy = this.parseClause('group_by', 2);
        level.children.push(level.groupBy);
      } else if (w === 'HAVING' && level.having === undefined) {
        level.having = this.parseClause('having', 1);
        level.children.push(level.having);
      } else if (w === 'QUALIFY' && level.qualify === undefined) {
        level.qualify = this.parseClause('qualify', 1);
        level.children.push(level.qualify);
      } else if (w === 'WINDOW') {
        this.p++;
        while (this.tok() !== undefined && !LEVEL_END.has(this.word())) {
          if (this.punct(this.p, '(')) level.children.push(...this.inside(this.p, () => this.parseLoose(this.limit)).value);
          else this.p++;
        }
      } else break;
    }
    level.end = this.endOfPrev();
    return level;
  }

  protected newClause(clause: ClauseKind, keywordWords: number): ClauseNode {
    const start = this.startOf(this.p);
    this.p += keywordWords;
    return { kind: 'clause', clause, keywordStart: start, orderItems: [], all: false, start, end: start, children: [] };
  }

  protected parseSelectList(level: LevelNode): ClauseNode {
    const clause = this.newClause('select', 1);
    if (this.word() === 'DISTINCT') {
      this.p++;
      if (this.word() === 'ON' && this.punct(this.p + 1, '(')) {
        this.p++;
        clause.children.push(this.parseGroup());
      }
    } else if (this.word() === 'ALL') this.p++;
    this.parseList(clause, (item) => level.selectItems.push(item));
    clause.end = this.endOfPrev();
    return clause;
  }

  /**
   * WHERE / HAVING / QUALIFY / GROUP BY / ORDER BY / LIMIT bodies: comma-separated expressions,
   * each maybe followed by ASC/DESC, NULLS FIRST/LAST.
   */
  protected parseClause(kind: ClauseKind, keywordWords: number): ClauseNode {
    const clause = this.newClause(kind, keywordWords);
    if (kind === 'group_by' && this.word() === 'ALL') {
      clause.all = true;
      this.p++;
    }
    this.parseList(clause, undefined);
    clause.end = this.endOfPrev();
    return clause;
  }

  protected parseList(clause: ClauseNode, onSelectItem: ((item: SelectItem) => void) | undefined): void {
    const strict = clause.clause !== 'select';
    for (let guard = 0; guard < 100_000; guard++) {
      if (this.tok() === undefined || this.isClauseWord(this.p) || this.punct(this.p, ')')) break;
      if (!this.canStartExpr(this.p)) {
        this.p++;
        continue;
      }
      const exprNode = this.parseExpr(0);
      if (strict) this.checkDangling();
      clause.children.push(exprNode);
      const item: SelectItem = { expr: exprNode };
      let hasDirection = false;
      // Item tail: alias, direction, and tokens the rewriter need not understand.
      for (let g = 0; g < 100_000; g++) {
        const t = this.tok();
        if (t === undefined || this.punct(this.p, ',') || this.isClauseWord(this.p)) break;
        const w = this.word();
        if (w === 'AS') {
          this.p++;
          const alias = this.tok();
          if (alias !== undefined) {
            item.alias = aliasName(alias);
            this.p++;
          }
        } else if (w === 'ASC' || w === 'DESC') {
          hasDirection = true;
          this.p++;
        } else if (w === 'NULLS') {
          this.p += 2;
        } else if (onSelectItem !== undefined && (t.kind === 'word' || t.kind === 'quoted') && item.alias === undefined && !this.canContinue(this.p)) {
          item.alias = aliasName(t);
          this.p++;
        } else if (this.canStartExpr(this.p)) {
          clause.children.push(this.parseExpr(0));
        } else this.p++;
      }
      if (clause.clause === 'order_by') clause.orderItems.push({ expr: exprNode, hasDirection });
      onSelectItem?.(item);
      if (this.punct(this.p, ',')) this.p++;
      else break;
    }
  }

  /** A bare word followed by more expression: not an alias. */
  protected canContinue(i: number): boolean {
    const next = this.tok(i + 1);
    return next !== undefined && !(next.kind === 'punct' && next.text === ',') && !this.isClauseWord(i + 1) && !this.punct(i + 1, ')');
  }

  protected parseFrom(): ClauseNode {
    const clause = this.newClause('from', 1);
    this.parseFromItems(clause.children);
    clause.end = this.endOfPrev();
    return clause;
  }

  protected parseFromItems(out: Node[]): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const t = this.tok();
      if (t === undefined || LEVEL_END.has(this.word())) break;
      const before = this.p;
      const w = this.word();
      if (this.punct(this.p, '(')) {
        const open = this.p;
        let first = open + 1;
        while (this.t[first]?.kind === 'punct' && this.t[first]?.text === '(') first++;
        if (this.queryStartsAt(first)) out.push(this.parseParen());
        else {
          const inner: Node[] = [];
          const { close } = this.inside(open, () => this.nested(() => this.parseFromItems(inner)));
          out.push({ kind: 'group', open: '(', start: t.start, end: this.t[close]?.end ?? t.end, children: inner });
        }
      } else if (w === 'ON') {
        const on = this.newClause('on', 1);
        on.children.push(this.parseOperand(0, 'ON'));
        this.checkDangling();
        on.end = this.endOfPrev();
        out.push(on);
      } else if (w === 'VALUES') {
        this.p++;
        out.push(...this.parseValues());
      } else if (t.kind === 'word' && this.punct(this.p + 1, '(') && !CLAUSE_WORDS.has(w)) {
        out.push(this.parseCall(t));
      } else this.p++;
      if (this.p === before) this.p++;
    }
  }

  /**
   * Statements other than queries (INSERT, UPDATE, CREATE TABLE AS, COPY, ...) and query tails:
   * find the queries and expressions inside and leave every other token alone.
   */
  parseLoose(to: number): Node[] {
    const savedLimit = this.limit;
    this.limit = Math.min(to, savedLimit);
    const out: Node[] = [];
    for (let guard = 0; guard < 100_000 && this.tok() !== undefined; guard++) {
      const before = this.p;
      const w = this.word();
      if (w === 'SELECT' || w === 'WITH' || (w === 'VALUES' && this.punct(this.p + 1, '('))) {
        out.push(this.parseQuery(this.p, this.limit, false));
      } else if (w === 'WHERE' || w === 'HAVING' || w === 'QUALIFY') {
        out.push(this.parseClause(w === 'WHERE' ? 'where' : w === 'HAVING' ? 'having' : 'qualify', 1));
      } else if ((w === 'PARTITION' || w === 'ORDER') && this.word(this.p + 1) === 'BY') {
        out.push(this.parseClause(w === 'ORDER' ? 'order_by' : 'other', 2));
      } else if (w === 'SET') {
        out.push(...this.parseAssignments());
      } else if (this.punct(this.p, '(')) {
        out.push(this.parseParen(false));
      } else if (this.canStartExpr(this.p) && t0IsExpressionish(this.tok())) {
        out.push(this.parseExpr(0));
      } else this.p++;
      if (this.p === before) this.p++;
    }
    this.limit = savedLimit;
    return out;
  }

  /** UPDATE ... SET col = expr, ...: the value after '=' is a whole expression. */
  protected parseAssignments(): Node[] {
    this.p++;
    const out: Node[] = [];
    for (let guard = 0; guard < 100_000 && this.tok() !== undefined; guard++) {
      while (this.tok() !== undefined && this.op(this.p) !== '=' && !this.isClauseWord(this.p)) this.p++;
      if (this.op(this.p) !== '=') break;
      this.p++;
      if (!this.canStartExpr(this.p)) break;
      out.push(this.parseExpr(0));
      this.checkDangling();
      if (this.punct(this.p, ',')) this.p++;
      else break;
    }
    return out;
  }
}

/** Loose statement parts: only words, literals and brackets start expressions worth parsing. */
function t0IsExpressionish(t: Token | undefined): boolean {
  return t !== undefined && t.kind !== 'op';
}

function aliasName(t: Token): string {
  if (t.kind === 'quoted') return quotedValue(t);
  if (t.kind === 'string') return stringValue(t);
  return t.text.toLowerCase();
}
