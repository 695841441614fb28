import type { Node, SemNode } from './ast';
import type { Use } from './analysis';
import { groupEncodingParts } from './group-encoding';
import type { Registry } from './registry';
import { rowsFormSql } from './rows-form';
import { copied, join, replacing, type Fragment } from './source-map';
import { expandSqlOperator } from './sql-operators';
import type { OperatorDef } from './types';

/**
 * The tables and columns of the database, as one line (`t(a INTEGER, b VARCHAR); u(...)`): what
 * ask_data_sql writes SQL for. semsql's own call-log tables are left out.
 */
export const SCHEMA_SQL =
  "SELECT string_agg(table_name || '(' || cols || ')', '; ' ORDER BY table_name) FROM (SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS cols FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT IN ('semantic_calls', 'semantic_queries') GROUP BY table_name)";

/** A table name written bare in a table operator's arguments: `vector_search('q', t.c, 5)`. */
const BARE_NAME = /^"?[A-Za-z_][\w$]*"?(?:\s*\.\s*"?[A-Za-z_][\w$]*"?)*$/;

type Part = string | Fragment;

function commaSeparated(parts: readonly Part[]): Part[] {
  return parts.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
}

/**
 * Writes the rewritten SQL: the source with every analysed operator use replaced by its bridge
 * call, everything else copied byte for byte (rules in rewriter.ts). Output is built from fragments
 * that remember their source span (source-map.ts), so errors about it can be told in the source.
 */
export class Emitter {
  private readonly src: string;
  private readonly registry: Registry;
  private readonly uses: ReadonlyMap<SemNode, Use>;
  private readonly threshold: string;
  /** Nodes written as the given SQL instead (the join planner's pairs query: a join condition as TRUE). */
  private readonly replaced: ReadonlyMap<Node, string>;

  constructor(src: string, registry: Registry, uses: ReadonlyMap<SemNode, Use>, threshold: number, replaced: ReadonlyMap<Node, string> = new Map()) {
    this.src = src;
    this.registry = registry;
    this.uses = uses;
    this.threshold = formatNumber(threshold);
    this.replaced = replaced;
  }

  splice(start: number, end: number, children: readonly Node[]): Fragment {
    const parts: Part[] = [];
    let pos = start;
    for (const c of children) {
      if (c.start < pos || c.end > end) continue;
      parts.push(copied(this.src, pos, c.start), this.emit(c));
      pos = c.end;
    }
    parts.push(copied(this.src, pos, end));
    return join(parts);
  }

  private emit(node: Node): Fragment {
    if (node.kind === 'atom' && node.sql !== undefined) return replacing(join([node.sql]), node.start, node.end);
    const replacement = this.replaced.get(node);
    if (replacement !== undefined) return replacing(join([replacement]), node.start, node.end);
    if (node.kind === 'sem') {
      const use = this.uses.get(node);
      if (use !== undefined) return replacing(this.emitSem(node, use), node.start, node.end);
    }
    return this.splice(node.start, node.end, node.children);
  }

  /** An argument as the bridge takes it: text; a missing value as '' where the operator wants it. */
  private cast(node: Node, nullable: boolean): Fragment {
    const inner = this.emit(node);
    return replacing(join(nullable ? ['coalesce(CAST(', inner, " AS VARCHAR), '')"] : ['CAST(', inner, ' AS VARCHAR)']), node.start, node.end);
  }

  /** Given arguments cast, then the defaults of omitted optional ones (same call, same cache key), and implicit ones. */
  private restArgs(def: OperatorDef, args: readonly Node[], from: number): Part[] {
    const out: Part[] = args.slice(from).map((a, i) => {
      const text = this.src.slice(a.start, a.end);
      if (def.table === true && BARE_NAME.test(text))
        return replacing(join([`CAST('${text.replace(/"/g, '').replace(/\s+/g, '')}' AS VARCHAR)`]), a.start, a.end);
      return this.cast(a, def.args[from + i]?.nullable === true);
    });
    for (let i = args.length; i < def.args.length; i++) {
      const arg = def.args[i];
      if (arg?.implicit === 'schema') out.push(`CAST((${SCHEMA_SQL}) AS VARCHAR)`);
      else if (arg?.default !== undefined) out.push(`CAST(${arg.default} AS VARCHAR)`);
      else break;
    }
    return out;
  }

  /**
   * The conditions of the level's WHERE that a table form's row must meet, repeated inside it: DuckDB
   * joins `FROM t, triples_rows(t.text) r` before it filters t (measured: the 2,020 distinct texts of
   * the sample tweets all asked for `WHERE t.id IN (10, 34)`), so without them every row of t would be
   * asked for. Conditions that name the form's alias or its columns stay outside only.
   */
  private rowsGuard(node: SemNode, use: Use): Fragment | undefined {
    const where = use.level?.node.where?.children[0];
    if (where === undefined || use.rows === undefined) return undefined;
    const alias = /^\s+(?:AS\s+)?([A-Za-z_][\w$]*)/i.exec(this.src.slice(node.end))?.[1];
    const names = [
      ...use.rows.columns.map((c) => c.name),
      ...(alias === undefined || /^(?:WHERE|GROUP|ORDER|LIMIT|ON|JOIN|CROSS|LEFT|INNER|USING)$/i.test(alias) ? [] : [alias]),
    ];
    const mentions = new RegExp(`(?<![\\w$."])(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w$])`, 'i');
    const conjuncts = where.kind === 'logic' && where.op === 'AND' ? where.children : [where];
    const kept = conjuncts.filter((c) => {
      const text = this.src.slice(c.start, c.end);
      return !mentions.test(text) && !/\bselect\b/i.test(text);
    });
    if (kept.length === 0) return undefined;
    return join(kept.flatMap((c, i) => (i === 0 ? ['(', this.emit(c), ')'] : [' AND (', this.emit(c), ')'])));
  }

  /** The SQL of each argument a per-row use passes to its bridge function, defaults included. */
  udfArguments(node: SemNode, use: Use): string[] {
    return this.restArgs(use.def, node.args, 0).map((part) => (typeof part === 'string' ? part : part.text));
  }

  private call(udf: string, args: readonly Part[]): Fragment {
    return join([`${udf}(`, ...commaSeparated(args), ')']);
  }

  private emitSem(node: SemNode, use: Use): Fragment {
    const def = use.def;
    const subject = node.args[0];
    if (use.shape === 'dimension' && subject !== undefined) {
      const level = use.level?.node;
      const x = this.emit(subject);
      const from = level?.from !== undefined ? [' ', this.emit(level.from)] : [];
      const where = level?.where !== undefined && use.withWhere ? [' ', this.emit(level.where)] : [];
      const modifiers = this.restArgs(def, node.args, 1);
      const propose = this.call(def.udf, [join(groupEncodingParts(x)), ...modifiers]);
      const labels = join(['(SELECT ', propose, ...from, ...where, ')']);
      const label = this.registry.get(def.labelOperator ?? 'topic_label');
      // The label operator takes (text, labels) and then the modifiers it declares (topic_label none).
      const labelModifiers = modifiers.slice(0, Math.max(0, (label?.args.length ?? 2) - 2));
      return this.call(label?.udf ?? '__sem_topic_label', [join(['CAST(', x, ' AS VARCHAR)']), labels, ...labelModifiers]);
    }
    if (use.shape === 'aggregate' && subject !== undefined) {
      const options: { distinct?: boolean; filter?: Fragment } = { distinct: node.distinct };
      if (node.filter !== undefined) options.filter = this.emit(node.filter);
      const group = join(groupEncodingParts(this.emit(subject), options));
      return this.call(def.udf, [group, ...this.restArgs(def, node.args, 1)]);
    }
    if (use.rows !== undefined) {
      const call = this.call(def.udf, this.restArgs(def, node.args, 0));
      const guard = this.rowsGuard(node, use);
      return rowsFormSql(use.rows, guard === undefined ? call : join(['CASE WHEN ', guard, ' THEN ', call, ' END']));
    }
    if (def.execution === 'sql') {
      const key = node.args[0] === undefined ? undefined : stringLiteral(this.src.slice(node.args[0].start, node.args[0].end));
      return join(['(', expandSqlOperator(def, this.restArgs(def, node.args, 0), key, node.opToken), ')']);
    }
    let call = this.call(def.udf, this.restArgs(def, node.args, 0));
    if (def.sqlType === 'INTEGER') call = join(['CAST(', call, ' AS INTEGER)']);
    let sql: Fragment = use.thresholded ? join([call, ` > ${this.threshold}`]) : call;
    if (node.negated) sql = join(use.thresholded ? ['NOT (', sql, ')'] : ['NOT ', sql]);
    const wrap = node.negated || use.thresholded || (node.form === 'infix' && !use.orderTop);
    if (wrap) sql = join(['(', sql, ')']);
    return use.addDesc ? join([sql, ' DESC']) : sql;
  }
}

/** The value of a SQL string literal written alone ('it''s'), or undefined. */
function stringLiteral(text: string): string | undefined {
  return /^'(?:[^']|'')*'$/.test(text) ? text.slice(1, -1).replace(/''/g, "'") : undefined;
}

function formatNumber(n: number): string {
  const s = String(n);
  // DuckDB reads 1e-7 fine, but a plain decimal is clearer in EXPLAIN output.
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '') : s;
}
