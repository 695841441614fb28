import type { CaseNode, CallNode, GroupNode, Node, QueryNode, SemNode } from './ast';
import type { Token } from './lexer';
import {
  ADDITIVE,
  COMPARISON,
  INTERVAL_UNITS,
  MULTIPLICATIVE,
  POWER,
  P_AND,
  P_CMP,
  P_IS,
  P_LAMBDA,
  P_LIKE,
  P_OR,
  P_OTHER,
  P_POW,
  P_ADD,
  P_MUL,
  P_UNARY,
  TokenCursor,
  atom,
  expr,
  type InfixMatch,
} from './token-cursor';

/** Operators, precedence and primary expressions (see token-cursor.ts for the class chain). */
export abstract class ExpressionParser extends TokenCursor {
  protected abstract parseParen(strict?: boolean): Node;
  protected abstract parseGroup(strict?: boolean): GroupNode;
  protected abstract parseType(): void;
  protected abstract parseCall(name: Token): CallNode;
  protected abstract parseCallArgs(name: Token, nameIndex: number): CallNode;
  protected abstract parseSemCall(name: Token): SemNode;
  abstract parseQuery(from: number, to: number, cte: boolean): QueryNode;
  abstract parseLoose(to: number): Node[];

  // ---- expressions --------------------------------------------------------------------------

  parseExpr(minPrec: number): Node {
    return this.nested(() => this.parseExprAt(minPrec));
  }


  protected parseExprAt(minPrec: number): Node {
    let left = this.parsePrefix();
    for (let guard = 0; guard < 100_000; guard++) {
      const t = this.tok();
      if (t === undefined) break;
      const before = this.p;
      const next = this.parseInfix(left, minPrec);
      if (next === undefined || this.p === before) break;
      left = next;
    }
    return left;
  }

  /** One infix/postfix step on `left`, or undefined when the next token does not continue it. */
  protected parseInfix(left: Node, minPrec: number): Node | undefined {
    const t = this.tok();
    if (t === undefined) return undefined;
    const sem = this.matchInfix(this.p);
    if (sem !== undefined && this.canStartExpr(sem.next)) {
      if (P_CMP < minPrec) return undefined;
      return this.parseSemInfix(left, sem);
    }
    const w = this.word();
    if (t.kind === 'word') {
      switch (w) {
        case 'AND':
        case 'OR': {
          const prec = w === 'AND' ? P_AND : P_OR;
          if (prec < minPrec) return undefined;
          this.p++;
          const right = this.parseOperand(prec + 1, w);
          // Long AND/OR chains stay flat, so later passes do not recurse once per operand.
          if (left.kind === 'logic' && left.op === w) {
            left.children.push(right);
            left.end = right.end;
            return left;
          }
          return { kind: 'logic', op: w, start: left.start, end: right.end, children: [left, right] };
        }
        case 'NOT': {
          const after = this.word(this.p + 1);
          if (!['LIKE', 'ILIKE', 'GLOB', 'IN', 'BETWEEN', 'SIMILAR'].includes(after) || P_LIKE < minPrec) return undefined;
          this.p++;
          return this.parseLikeFamily(left);
        }
        case 'LIKE':
        case 'ILIKE':
        case 'GLOB':
        case 'SIMILAR':
        case 'IN':
        case 'BETWEEN':
          if (P_LIKE < minPrec) return undefined;
          return this.parseLikeFamily(left);
        case 'IS': {
          if (P_IS < minPrec) return undefined;
          // IS VALID with nothing after it would otherwise read as IS <keyword>, like IS NULL.
          if (sem !== undefined) throw this.error(sem.next, `an expression after ${sem.spelling.words.join(' ')}`);
          this.p++;
          if (this.word() === 'NOT') this.p++;
          if (this.word() === 'DISTINCT' && this.word(this.p + 1) === 'FROM') {
            this.p += 2;
            const right = this.parseOperand(P_CMP, 'IS DISTINCT FROM');
            return expr(left.start, right.end, [left, right]);
          }
          if (this.tok() !== undefined) this.p++;
          return expr(left.start, this.endOfPrev(), [left]);
        }
        case 'ISNULL':
        case 'NOTNULL':
          if (P_IS < minPrec) return undefined;
          this.p++;
          return expr(left.start, this.endOfPrev(), [left]);
        case 'COLLATE':
          this.p++;
          if (this.tok() !== undefined) this.p++;
          return expr(left.start, this.endOfPrev(), [left]);
        case 'AT':
          if (this.word(this.p + 1) !== 'TIME' || this.word(this.p + 2) !== 'ZONE') return undefined;
          this.p += 3;
          {
            const right = this.parseOperand(P_UNARY, 'AT TIME ZONE');
            return expr(left.start, right.end, [left, right]);
          }
        default:
          return undefined;
      }
    }
    if (t.kind === 'punct') {
      if (t.text === '[') {
        const group = this.parseGroup();
        return expr(left.start, group.end, [left, group]);
      }
      if (t.text === '.') {
        this.p++;
        const member = this.tok();
        if (member === undefined) return expr(left.start, t.end, [left]);
        this.p++;
        if (this.punct(this.p, '(') && member.kind === 'word') {
          const call = this.parseCallArgs(member, this.p - 1);
          return expr(left.start, call.end, [left, ...call.children]);
        }
        return expr(left.start, member.end, [left]);
      }
      return undefined;
    }
    if (t.kind !== 'op') return undefined;
    const o = t.text;
    if (o === '::') {
      this.p++;
      this.parseType();
      return expr(left.start, this.endOfPrev(), [left]);
    }
    const prec =
      o === '->' || o === ':=' || o === '=>'
        ? P_LAMBDA
        : COMPARISON.has(o)
          ? P_CMP
          : ADDITIVE.has(o)
            ? P_ADD
            : MULTIPLICATIVE.has(o)
              ? P_MUL
              : POWER.has(o)
                ? P_POW
                : P_OTHER;
    if (prec < minPrec) return undefined;
    this.p++;
    // A trailing operator (postfix factorial, or junk) is DuckDB's to judge.
    if (!this.canStartExpr(this.p)) return expr(left.start, t.end, [left]);
    const right = this.parseExpr(prec === P_LAMBDA ? P_LAMBDA : prec + 1);
    if (left.kind === 'expr') {
      // Flat chains (a || b || c ...): operands of plain operators are all values anyway.
      left.children.push(right);
      left.end = right.end;
      return left;
    }
    return expr(left.start, right.end, [left, right]);
  }

  /** An operand that must be there (after AND, IS DISTINCT FROM, a semantic keyword...). */
  protected parseOperand(minPrec: number, after: string): Node {
    if (!this.canStartExpr(this.p)) throw this.error(this.p, `an expression after ${after}`);
    return this.parseExpr(minPrec);
  }

  protected parseLikeFamily(left: Node): Node {
    const w = this.word();
    this.p++;
    if (w === 'SIMILAR' && this.word() === 'TO') this.p++;
    const children: Node[] = [left];
    if (w === 'BETWEEN') {
      if (this.word() === 'SYMMETRIC' || this.word() === 'ASYMMETRIC') this.p++;
      children.push(this.parseOperand(P_OTHER, 'BETWEEN'));
      if (this.word() === 'AND') {
        this.p++;
        children.push(this.parseOperand(P_OTHER, 'BETWEEN ... AND'));
      }
    } else if (this.canStartExpr(this.p)) {
      children.push(this.parseExpr(P_OTHER));
      if (this.word() === 'ESCAPE') {
        this.p++;
        children.push(this.parseOperand(P_OTHER, 'ESCAPE'));
      }
    }
    return expr(left.start, this.endOfPrev(), children);
  }

  protected parseSemInfix(left: Node, m: InfixMatch): SemNode {
    const opToken = this.tok() as Token;
    this.p = m.next;
    const words = m.spelling.words.join(' ');
    const right = this.parseOperand(P_CMP + 1, words);
    const args: Node[] = [left, right];
    // a SAME_AS b AS 'entity type': a string after AS is the entity type, not an alias.
    if (m.spelling.operator.name === 'same_as' && this.word() === 'AS' && this.tok(this.p + 1)?.kind === 'string') {
      const typeToken = this.tok(this.p + 1) as Token;
      this.p += 2;
      args.push(atom(typeToken.start, typeToken.end));
    }
    const last = args[args.length - 1] as Node;
    return {
      kind: 'sem',
      def: m.spelling.operator,
      form: 'infix',
      spelling: this.src.slice(opToken.start, this.t[m.next - 1]?.end ?? opToken.end),
      infix: words,
      negated: m.negated,
      args,
      opToken,
      distinct: false,
      start: left.start,
      end: last.end,
      children: args,
    };
  }

  protected parsePrefix(): Node {
    const t = this.tok();
    if (t === undefined || !this.canStartExpr(this.p)) throw this.error(this.p, 'an expression');
    if (t.kind === 'punct') {
      if (t.text === '(') return this.parseParen();
      return this.parseGroup();
    }
    if (t.kind === 'op') {
      this.p++;
      if (t.text === '*' || !this.canStartExpr(this.p)) return atom(t.start, t.end);
      const operand = this.parseExpr(P_UNARY);
      return expr(t.start, operand.end, [operand]);
    }
    if (t.kind !== 'word') {
      this.p++;
      return atom(t.start, t.end);
    }
    const w = t.upper;
    const next = this.tok(this.p + 1);
    if (w === 'NOT') {
      this.p++;
      const operand = this.parseOperand(P_IS, 'NOT');
      return { kind: 'not', operand, start: t.start, end: operand.end, children: [operand] };
    }
    if (w === 'CASE') return this.parseCase();
    if (w === 'INTERVAL' && next !== undefined && next.kind !== 'punct' && next.kind !== 'op') {
      this.p += 2;
      if (INTERVAL_UNITS.test(this.word())) {
        this.p++;
        if (this.word() === 'TO' && INTERVAL_UNITS.test(this.word(this.p + 1))) this.p += 2;
      }
      return atom(t.start, this.endOfPrev());
    }
    if (w === 'LAMBDA' && next?.kind === 'word') {
      this.p++;
      while (this.tok() !== undefined && !this.punct(this.p, ':')) this.p++;
      this.p++;
      const body = this.parseOperand(P_LAMBDA, 'LAMBDA');
      return expr(t.start, body.end, [body]);
    }
    // ASK 'prompt' FROM a
    if (w === 'ASK' && (next?.kind === 'string' || next?.kind === 'param') && this.word(this.p + 2) === 'FROM') {
      const spelling = this.reg.infixStartingWith('ASK').find((s) => s.operator.name === 'ask');
      if (spelling !== undefined) {
        this.p += 3;
        const operand = this.parseOperand(P_CMP + 1, 'ASK ... FROM');
        const prompt = atom(next.start, next.end);
        return {
          kind: 'sem',
          def: spelling.operator,
          form: 'infix',
          spelling: 'ASK ... FROM',
          infix: 'ASK',
          negated: false,
          args: [operand, prompt],
          opToken: t,
          distinct: false,
          start: t.start,
          end: operand.end,
          children: [prompt, operand],
        };
      }
    }
    if (next?.kind === 'punct' && next.text === '(') {
      if (w === 'EXISTS') {
        this.p++;
        const sub = this.parseParen();
        return expr(t.start, sub.end, [sub]);
      }
      const def = this.reg.byFunction(t.text);
      if (def !== undefined && def.internal !== true) return this.parseSemCall(t);
      return this.parseCall(t);
    }
    // Typed literal: DATE '2024-01-01', TIMESTAMP '...'.
    if (next?.kind === 'string') {
      this.p += 2;
      return atom(t.start, next.end);
    }
    this.p++;
    return atom(t.start, t.end);
  }

  protected parseCase(): CaseNode {
    const start = (this.tok() as Token).start;
    const caseIndex = this.p;
    this.p++;
    const children: Node[] = [];
    const conditions: Node[] = [];
    const searched = this.word() === 'WHEN';
    if (!searched) children.push(this.parseOperand(0, 'CASE'));
    while (this.word() === 'WHEN') {
      this.p++;
      const cond = this.parseOperand(0, 'WHEN');
      this.checkDangling();
      children.push(cond);
      if (searched) conditions.push(cond);
      if (this.word() !== 'THEN') throw this.error(this.p, 'THEN');
      this.p++;
      children.push(this.parseOperand(0, 'THEN'));
      this.checkDangling();
    }
    if (this.word() === 'ELSE') {
      this.p++;
      children.push(this.parseOperand(0, 'ELSE'));
      this.checkDangling();
    }
    if (this.word() !== 'END') {
      throw this.error(this.p, children.length === 0 ? 'WHEN' : `END to close the CASE at line ${this.t[caseIndex]?.line ?? 1}`);
    }
    this.p++;
    return { kind: 'case', conditions, start, end: this.endOfPrev(), children };
  }

}
