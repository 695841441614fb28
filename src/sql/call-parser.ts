import type { CallNode, GroupNode, Node, SemNode } from './ast';
import type { Token } from './lexer';
import { ExpressionParser } from './expression-parser';
import { CALL_ARG_WORDS, TYPE_CONTINUATION } from './token-cursor';

/** Brackets, function calls and semantic function calls (see token-cursor.ts for the class chain). */
export abstract class CallParser extends ExpressionParser {
  /**
   * ( ... ): a subquery, or expressions. `strict` (expression context) makes a dangling semantic
   * keyword an error; loose statement parts such as column definitions stay lenient.
   */
  protected parseParen(strict = true): Node {
    const open = this.p;
    let first = open + 1;
    while (this.t[first]?.kind === 'punct' && this.t[first]?.text === '(') first++;
    if (this.queryStartsAt(first) && first < (this.match[open] ?? 0)) {
      const close = this.match[open] ?? open;
      const savedLimit = this.limit;
      const q = this.parseQuery(open + 1, close, false);
      this.limit = savedLimit;
      this.p = close + 1;
      return q;
    }
    return this.parseGroup(strict);
  }

  /** ( ... ), [ ... ] or { ... } of comma- or colon-separated expressions. */
  protected parseGroup(strict = true): GroupNode {
    const open = this.tok() as Token;
    const { value: children, close } = this.inside(this.p, () => this.parseItems(strict));
    return { kind: 'group', open: open.text, start: open.start, end: this.t[close]?.end ?? open.end, children };
  }

  /** Expressions up to the region's end; separators and unknown tokens skipped. */
  protected parseItems(strict: boolean): Node[] {
    const items: Node[] = [];
    while (this.tok() !== undefined) {
      const before = this.p;
      if (this.punct(this.p, ',') || this.punct(this.p, ':')) this.p++;
      else if (this.word() === 'AS') {
        this.p++;
        if (this.tok() !== undefined) this.parseType();
      } else if (this.isQueryStart(this.p) && this.word() !== 'TABLE') {
        items.push(this.parseQuery(this.p, this.limit, false));
      } else if (this.canStartExpr(this.p)) {
        items.push(this.parseExpr(0));
        if (strict) this.checkDangling();
      } else this.p++;
      if (this.p === before) this.p++;
    }
    return items;
  }

  protected parseType(): void {
    if (this.tok() === undefined) return;
    this.p++;
    for (let guard = 0; guard < 1000; guard++) {
      if (TYPE_CONTINUATION.has(this.word())) this.p++;
      else if (this.punct(this.p, '.') && this.tok(this.p + 1) !== undefined) this.p += 2;
      else if (this.punct(this.p, '(') || this.punct(this.p, '[')) this.p = (this.match[this.p] ?? this.p) + 1;
      else break;
    }
  }

  /** name( ... ) for any function that is not a semantic operator. */
  protected parseCall(name: Token): CallNode {
    this.p++;
    const call = this.parseCallArgs(name, this.p - 1);
    return call;
  }

  protected parseCallArgs(name: Token, nameIndex: number): CallNode {
    const openIndex = nameIndex + 1;
    const { value: args } = this.inside(openIndex, () => {
      const out: Node[] = [];
      if (this.word() === 'DISTINCT' || this.word() === 'ALL') this.p++;
      if (['SELECT', 'WITH', 'VALUES'].includes(this.word()) && this.isQueryStart(this.p)) {
        out.push(this.parseQuery(this.p, this.limit, false));
        return out;
      }
      while (this.tok() !== undefined) {
        const before = this.p;
        const w = this.word();
        if (this.punct(this.p, ',')) this.p++;
        else if (w === 'AS') {
          this.p++;
          this.parseType();
        } else if (w === 'ORDER' && this.word(this.p + 1) === 'BY') {
          this.p += 2;
        } else if (CALL_ARG_WORDS.has(w) || w === 'ASC' || w === 'DESC' || w === 'NULLS' || w === 'IGNORE' || w === 'RESPECT') {
          this.p++;
        } else if (this.canStartExpr(this.p)) {
          out.push(this.parseExpr(0));
          this.checkDangling();
        } else this.p++;
        if (this.p === before) this.p++;
      }
      return out;
    });
    const children = [...args];
    const call: CallNode = { kind: 'call', name: name.text.toLowerCase(), args, window: false, start: name.start, end: this.endOfPrev(), children };
    this.parseCallSuffix(call, children);
    call.end = this.endOfPrev();
    return call;
  }

  /** FILTER (WHERE ...), WITHIN GROUP (...), OVER (...) / OVER name. */
  protected parseCallSuffix(call: { filter?: Node; end: number; window?: boolean }, children: Node[]): Token | undefined {
    let over: Token | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const w = this.word();
      if (w === 'FILTER' && this.punct(this.p + 1, '(')) {
        this.p++;
        this.inside(this.p, () => {
          if (this.word() === 'WHERE') this.p++;
          const cond = this.parseOperand(0, 'FILTER (WHERE');
          this.checkDangling();
          call.filter = cond;
          children.push(cond);
          children.push(...this.parseItems(false));
        });
      } else if (w === 'WITHIN' && this.word(this.p + 1) === 'GROUP' && this.punct(this.p + 2, '(')) {
        this.p += 2;
        children.push(...this.inside(this.p, () => this.parseLoose(this.limit)).value);
      } else if (w === 'OVER') {
        over = this.tok();
        if ('window' in call) call.window = true;
        this.p++;
        if (this.punct(this.p, '(')) children.push(...this.inside(this.p, () => this.parseLoose(this.limit)).value);
        else if (this.tok() !== undefined) this.p++;
      } else if ((w === 'IGNORE' || w === 'RESPECT') && this.word(this.p + 1) === 'NULLS') {
        this.p += 2;
      } else break;
    }
    return over;
  }

  protected parseSemCall(name: Token): SemNode {
    const def = this.reg.byFunction(name.text);
    if (def === undefined) throw this.error(this.p, 'a semantic function');
    const nameIndex = this.p;
    const openIndex = this.p + 1;
    let distinct = false;
    const { value: args, close } = this.inside(openIndex, () => {
      const out: Node[] = [];
      if (this.word() === 'DISTINCT') {
        distinct = true;
        this.p++;
      }
      while (this.tok() !== undefined) {
        out.push(this.parseOperand(0, out.length === 0 ? `${name.text}(` : "','"));
        this.checkDangling();
        if (this.punct(this.p, ',')) {
          this.p++;
          if (this.tok() === undefined) throw this.error(this.limit, 'an argument');
        } else if (this.tok() !== undefined) throw this.error(this.p, "',' or ')'");
      }
      return out;
    });
    const required = def.args.filter((a) => a.optional !== true && a.variadic !== true).length;
    const variadic = def.args.some((a) => a.variadic === true);
    const max = variadic ? Infinity : def.args.length;
    if (args.length < required || args.length > max) {
      const want = required === max ? `${required}` : variadic ? `at least ${required}` : `${required} to ${max}`;
      throw this.error(
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
      end: this.endOfPrev(),
      children,
    };
    const overIndex = this.p;
    const over = this.parseCallSuffix(node, children);
    if (over !== undefined) node.overToken = this.t[overIndex] ?? over;
    node.end = this.endOfPrev();
    children.sort((a, b) => a.start - b.start);
    return node;
  }

}
