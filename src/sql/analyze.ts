import type { ClauseNode, LevelNode, Node, QueryNode, SemNode } from './ast';
import { DUCKDB_AGGREGATES } from './duckdb-builtins';
import { errorAtToken, SemanticSqlError } from './errors';
import type { Token } from './lexer';
import { normalizedText } from './normalized-text';
import type { Registry } from './registry';
import type { Analysis, LevelInfo, Use } from './analysis';
import type { CallContext, CallSite, ClauseKind, OperatorDef, OperatorShape } from './types';

interface Ctx {
  clause: ClauseKind;
  depth: number;
  inCte: boolean;
  bool: boolean;
  conj: boolean;
  underNot: boolean;
  underOr: boolean;
  underCase: boolean;
  agg: 'none' | 'sql' | 'sem';
  level: LevelInfo | undefined;
}

const BOOLEAN_CLAUSES: ReadonlySet<ClauseKind> = new Set(['where', 'having', 'qualify', 'on']);
const AGGREGATE_CLAUSES: ReadonlySet<ClauseKind> = new Set(['select', 'having', 'order_by', 'qualify']);
const NO_AGGREGATE_CLAUSES: ReadonlySet<ClauseKind> = new Set(['where', 'on', 'group_by']);

/** The context at the start of a query level: no clause, no boolean position, nothing enclosing. */
const QUERY_START = {
  clause: 'other',
  bool: false,
  conj: false,
  underNot: false,
  underOr: false,
  underCase: false,
  agg: 'none',
  level: undefined,
} as const satisfies Omit<Ctx, 'depth' | 'inCte'>;

/**
 * Decides what each semantic operator use becomes (rules in rewriter.ts): per row, per group or a
 * GROUP BY dimension; whether a score is used as a condition; where it sits (clause, depth, AND-only
 * path) for the executor. Records one call site per use.
 */
export function analyze(source: string, tokens: readonly Token[], registry: Registry, nodes: readonly Node[]): Analysis {
  const analyzer = new Analyzer(source, tokens, registry);
  const root: Ctx = { ...QUERY_START, depth: 0, inCte: false };
  for (const node of nodes) analyzer.walk(node, root);
  analyzer.callSites.sort((a, b) => a.span.start - b.span.start);
  return { uses: analyzer.uses, callSites: analyzer.callSites };
}

class Analyzer {
  readonly uses = new Map<SemNode, Use>();
  readonly callSites: CallSite[] = [];
  private readonly orderTops = new Map<Node, boolean>();
  private readonly tokenAt = new Map<number, Token>();
  private readonly levelInfos = new Map<LevelNode, LevelInfo>();

  constructor(
    private readonly src: string,
    private readonly tokens: readonly Token[],
    private readonly registry: Registry,
  ) {
    for (const t of tokens) this.tokenAt.set(t.start, t);
  }

  walk(node: Node, ctx: Ctx): void {
    switch (node.kind) {
      case 'query':
        this.walkQuery(node, ctx, ctx.level !== undefined || ctx.clause !== 'other' ? ctx.depth + 1 : ctx.depth);
        return;
      case 'level':
        this.walkLevel(node, ctx);
        return;
      case 'clause':
        this.walkClause(node, ctx, ctx.level);
        return;
      case 'logic': {
        // Operands of AND/OR are conditions wherever the AND/OR stands (docs/semantic-sql.md, "Rules").
        const inner = node.op === 'OR' ? { ...ctx, bool: true, conj: false, underOr: true } : { ...ctx, bool: true };
        for (const c of node.children) this.walk(c, inner);
        return;
      }
      case 'not':
        this.walk(node.operand, { ...ctx, bool: true, conj: false, underNot: true });
        return;
      case 'group': {
        const only = node.children.length === 1 && node.open === '(';
        const inner = only ? ctx : { ...ctx, bool: false, conj: false };
        for (const c of node.children) this.walk(c, inner);
        return;
      }
      case 'case':
        for (const c of node.children) {
          const cond = node.conditions.includes(c);
          this.walk(c, { ...ctx, bool: cond, conj: false, underCase: true });
        }
        return;
      case 'call': {
        const aggregate = !node.window && DUCKDB_AGGREGATES.has(node.name);
        if (aggregate && ctx.agg === 'sem') {
          throw this.errorAtNode(node, 'a value per row', `aggregate ${node.name}() cannot be nested inside a semantic aggregate`);
        }
        const inner: Ctx = { ...ctx, bool: false, conj: false, agg: aggregate && ctx.agg === 'none' ? 'sql' : ctx.agg };
        for (const c of node.children) this.walk(c, c === node.filter ? { ...inner, bool: true } : inner);
        return;
      }
      case 'sem':
        this.walkSem(node, ctx);
        return;
      default:
        for (const c of node.children) this.walk(c, { ...ctx, bool: false, conj: false });
    }
  }

  /** A query met inside a clause (subquery, derived table) is one level deeper; set-op terms are not. */
  private walkQuery(q: QueryNode, ctx: Ctx, depth: number): void {
    const base: Ctx = { ...ctx, ...QUERY_START, depth };
    const only = q.levels.length === 1 ? q.levels[0] : undefined;
    for (const child of q.children) {
      if (child.kind === 'query' && q.ctes.includes(child)) this.walkQuery(child, { ...base, inCte: true }, depth + 1);
      else if (child.kind === 'query') this.walkQuery(child, base, depth);
      else if (child.kind === 'clause') this.walkClause(child, base, only !== undefined ? this.levelInfo(only) : undefined);
      else this.walk(child, base);
    }
  }

  private levelInfo(level: LevelNode): LevelInfo {
    const known = this.levelInfos.get(level);
    if (known !== undefined) return known;
    const groupKeys = new Set<string>();
    const keyItems: Node[] = [];
    const dimensionKeys = new Set<string>();
    const groupBy = level.groupBy;
    if (groupBy !== undefined) {
      for (const item of groupBy.children) {
        let target: Node = item;
        const text = this.src.slice(item.start, item.end);
        if (item.kind === 'atom' && /^\d+$/.test(text)) {
          const selected = level.selectItems[Number(text) - 1];
          if (selected !== undefined) target = selected.expr;
        } else if (item.kind === 'atom') {
          const name = text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
          const selected = level.selectItems.find((s) => s.alias !== undefined && s.alias.toLowerCase() === name.toLowerCase());
          if (selected !== undefined) target = selected.expr;
        }
        if (target !== item) keyItems.push(target);
        groupKeys.add(this.normalized(target));
        if (target.kind === 'sem' && (target.def.shape === 'dimension' || target.def.dimensionVariant !== undefined))
          dimensionKeys.add(this.normalized(target));
      }
    }
    const grouped = groupBy !== undefined || level.having !== undefined || this.hasAggregate(level);
    const info: LevelInfo = {
      node: level,
      grouped,
      groupAll: groupBy?.all === true,
      groupKeys,
      keyItems,
      dimensionKeys,
      collection:
        !grouped &&
        level.from !== undefined &&
        level.selectItems.length > 0 &&
        level.selectItems.every((item) => !this.perRow(item.expr)) &&
        level.selectItems.some((item) => this.hasClassify(item.expr)),
    };
    this.levelInfos.set(level, info);
    return info;
  }

  /** An aggregate other than classify in the level's SELECT or HAVING (not in subqueries). */
  private hasAggregate(level: LevelNode): boolean {
    const visit = (node: Node): boolean => {
      if (node.kind === 'query') return false;
      if (node.kind === 'call' && !node.window && DUCKDB_AGGREGATES.has(node.name)) return true;
      if (node.kind === 'sem' && (node.def.shape === 'aggregate' || node.def.dimension?.ungrouped === 'aggregate')) return true;
      return node.children.some(visit);
    };
    return [level.select, level.having].some((c) => c !== undefined && visit(c));
  }

  /** Whether an expression reads a row's values outside any aggregate (a column, `*`). */
  private perRow(node: Node): boolean {
    switch (node.kind) {
      case 'query':
        return false;
      case 'atom': {
        const t = this.tokenAt.get(node.start);
        if (t === undefined) return true;
        return !(t.kind === 'string' || t.kind === 'number' || t.kind === 'param' || ['NULL', 'TRUE', 'FALSE'].includes(t.upper));
      }
      case 'call':
        return !(!node.window && DUCKDB_AGGREGATES.has(node.name)) && node.children.some((c) => this.perRow(c));
      case 'sem':
        if (node.def.aggregateVariant !== undefined || node.def.shape === 'aggregate') return false;
        return node.children.some((c) => this.perRow(c));
      default:
        return node.children.some((c) => this.perRow(c));
    }
  }

  private hasClassify(node: Node): boolean {
    if (node.kind === 'query') return false;
    if (node.kind === 'sem' && node.def.aggregateVariant !== undefined) return true;
    return node.children.some((c) => this.hasClassify(c));
  }

  private walkLevel(level: LevelNode, ctx: Ctx): void {
    const info = this.levelInfo(level);
    for (const clause of level.children) this.walkClause(clause as ClauseNode, ctx, info);
  }

  private walkClause(clause: Node, ctx: Ctx, level: LevelInfo | undefined): void {
    if (clause.kind !== 'clause') {
      this.walk(clause, { ...ctx, level });
      return;
    }
    const bool = BOOLEAN_CLAUSES.has(clause.clause);
    const inner: Ctx = {
      ...ctx,
      clause: clause.clause,
      bool,
      conj: bool,
      underNot: false,
      underOr: false,
      underCase: false,
      agg: 'none',
      level,
    };
    if (clause.clause === 'order_by') {
      for (const item of clause.orderItems) this.orderTops.set(item.expr, !item.hasDirection);
    }
    for (const c of clause.children) this.walk(c, inner);
  }

  private walkSem(node: SemNode, ctx: Ctx): void {
    let def = node.def;
    let shape: OperatorShape = def.shape;
    const level = ctx.level;
    const placed = ctx.agg === 'none' && (AGGREGATE_CLAUSES.has(ctx.clause) || ctx.clause === 'group_by');
    const groupKey = placed && level !== undefined && level.dimensionKeys.has(this.normalized(node));
    if (node.def.table === true && ctx.clause !== 'from') {
      throw errorAtToken(node.opToken, undefined, 'a table', `${node.spelling}() returns a table: use it in FROM`);
    }
    const rows = def.rows;
    if (rows !== undefined) def = this.registry.get(rows.of) ?? def;
    if (def.name === 'ask_data') {
      throw errorAtToken(
        node.opToken,
        undefined,
        'ASK_DATA',
        `ask_data() runs the query it writes, so it must be the whole statement: SELECT * FROM ask_data('question') or ASK_DATA 'question'`,
      );
    }
    // sentiment(x) is a number, but a sentiment label as a GROUP BY key or with a focus (LARS's dimension).
    // MEANING(x, n) is the cluster aggregate, but a cluster label per row as a GROUP BY key.
    if (def.dimensionVariant !== undefined && (groupKey || (node.args.length > 1 && def.shape === 'scalar')))
      def = this.registry.get(def.dimensionVariant) ?? def;
    if (def.aggregateVariant !== undefined) {
      shape = this.classifyIsAggregate(node, ctx) ? 'aggregate' : 'scalar';
      if (shape === 'aggregate') def = this.registry.get(def.aggregateVariant) ?? def;
    } else if (def.shape === 'dimension') {
      shape = this.dimensionShape(node, def, ctx, groupKey);
    }
    if (shape !== 'scalar') {
      if (node.overToken !== undefined) {
        throw errorAtToken(node.overToken, undefined, 'a semantic aggregate without OVER', `semantic aggregate ${node.spelling}() cannot be a window function`);
      }
      if (ctx.agg !== 'none') {
        throw this.errorAtNode(node, 'a value per row', `${node.spelling}() is an aggregate and cannot be nested inside another aggregate`);
      }
      if (shape === 'aggregate' && NO_AGGREGATE_CLAUSES.has(ctx.clause)) {
        const where = ctx.clause.toUpperCase().replace('_', ' ');
        throw this.errorAtNode(
          node,
          'a per-row expression',
          `semantic aggregate ${node.spelling}() cannot be used in ${where}${ctx.clause === 'where' ? '; use HAVING' : ''}`,
        );
      }
    } else {
      if (node.distinct) throw errorAtToken(node.opToken, undefined, 'an aggregate', `DISTINCT is only allowed when ${node.spelling}() aggregates a group`);
      if (node.filter !== undefined)
        throw errorAtToken(node.opToken, undefined, 'an aggregate', `FILTER is only allowed when ${node.spelling}() aggregates a group`);
      if (node.overToken !== undefined)
        throw errorAtToken(node.overToken, undefined, 'no OVER clause', `semantic operator ${node.spelling} cannot be a window function`);
    }
    if (node.negated && def.returns === 'VARCHAR') {
      throw errorAtToken(node.opToken, undefined, 'a condition after NOT', `NOT cannot negate ${node.spelling}, which returns text`);
    }
    const thresholded = shape === 'scalar' && def.score && (ctx.bool || node.negated);
    const orderFlag = this.orderTops.get(node);
    const use: Use = {
      def,
      shape,
      thresholded,
      orderTop: orderFlag !== undefined,
      addDesc: orderFlag === true && node.infix === 'RELEVANCE TO',
      withWhere: ctx.clause !== 'where',
    };
    if ((shape === 'dimension' || rows !== undefined) && level !== undefined) use.level = level;
    if (rows !== undefined) use.rows = rows;
    this.uses.set(node, use);
    // SQL written in an operator's place calls no model: it is no call site.
    if (def.execution !== 'sql') this.record(node, use, ctx);
    const agg = shape === 'scalar' ? ctx.agg : 'sem';
    const inner: Ctx = { ...ctx, bool: false, conj: false, agg };
    for (const c of node.children) this.walk(c, c === node.filter ? { ...inner, bool: true } : inner);
  }

  /**
   * A dimension labels rows (`dimension`) as a GROUP BY key, and outside GROUP BY where it labels
   * rows when ungrouped (LARS); a fixed one labels each row by itself (`scalar`); anywhere else it
   * answers for the group (`aggregate`: its proposed labels).
   */
  private dimensionShape(node: SemNode, def: OperatorDef, ctx: Ctx, groupKey: boolean): OperatorShape {
    if (def.dimension?.labels === 'fixed') return 'scalar';
    if (ctx.clause === 'on')
      throw this.errorAtNode(node, 'a per-row expression', `dimension ${node.spelling}() cannot be used in ON; label the rows in a subquery first`);
    if (groupKey) return 'dimension';
    const labelsRows = def.dimension?.ungrouped === 'label' && ctx.agg === 'none' && ctx.level?.grouped !== true;
    return labelsRows ? 'dimension' : 'aggregate';
  }

  private classifyIsAggregate(node: SemNode, ctx: Ctx): boolean {
    const level = ctx.level;
    if (node.form !== 'function' || level === undefined || ctx.agg !== 'none') return false;
    if (!AGGREGATE_CLAUSES.has(ctx.clause)) return false;
    if (level.collection) return true;
    if (!level.grouped || level.groupAll) return false;
    if (level.groupKeys.has(this.normalized(node))) return false;
    const subject = node.args[0];
    if (subject !== undefined && level.groupKeys.has(this.normalized(subject))) return false;
    return !level.keyItems.some((item) => item.start <= node.start && node.end <= item.end);
  }

  private record(node: SemNode, use: Use, ctx: Ctx): void {
    const start = this.tokenAt.get(node.start) ?? node.opToken;
    const context: CallContext = {
      clause: ctx.clause,
      depth: ctx.depth,
      inCte: ctx.inCte,
      conjunctive: ctx.conj,
      underNot: ctx.underNot,
      underOr: ctx.underOr,
      underCase: ctx.underCase,
      inAggregate: ctx.agg !== 'none',
      thresholded: use.thresholded,
      negated: node.negated,
      topLevelFilter: ctx.depth === 0 && !ctx.inCte && ctx.clause === 'where' && ctx.conj && !node.negated,
    };
    const site = (operator: OperatorDef, shape: OperatorShape): CallSite => ({
      operator: operator.name,
      udf: operator.udf,
      span: { start: node.start, end: node.end, line: start.line, column: start.column },
      args: node.args.map((a) => this.src.slice(a.start, a.end)),
      shape,
      spelling: use.orderTop && node.infix === 'RELEVANCE TO' ? 'order_by' : use.shape === 'dimension' ? 'group_by' : node.form,
      context,
    });
    this.callSites.push(site(use.def, use.shape));
    if (use.shape === 'dimension') {
      const label = this.registry.get(use.def.labelOperator ?? 'topic_label');
      if (label !== undefined) this.callSites.push(site(label, 'scalar'));
    }
  }

  private normalized(node: Node): string {
    return normalizedText(this.tokens, node);
  }

  private errorAtNode(node: Node, expected: string, message: string): SemanticSqlError {
    const t = this.tokenAt.get(node.start);
    if (t === undefined) return new SemanticSqlError({ line: 1, column: 1, offset: node.start, token: '', expected, message });
    return errorAtToken(t, undefined, expected, message);
  }
}
