import type { Node, SemNode } from './ast';
import type { Use } from './analyze';
import { groupEncodingSql } from './group-encoding';
import type { Registry } from './registry';
import type { OperatorDef } from './types';

/**
 * Writes the rewritten SQL: the source with every analysed operator use replaced by its bridge
 * call, everything else copied byte for byte (rules in rewriter.ts).
 */
export class Emitter {
  private readonly src: string;
  private readonly registry: Registry;
  private readonly uses: ReadonlyMap<SemNode, Use>;
  private readonly threshold: string;

  constructor(src: string, registry: Registry, uses: ReadonlyMap<SemNode, Use>, threshold: number) {
    this.src = src;
    this.registry = registry;
    this.uses = uses;
    this.threshold = formatNumber(threshold);
  }

  splice(start: number, end: number, children: readonly Node[]): string {
    let out = '';
    let pos = start;
    for (const c of children) {
      if (c.start < pos || c.end > end) continue;
      out += this.src.slice(pos, c.start) + this.emit(c);
      pos = c.end;
    }
    return out + this.src.slice(pos, end);
  }

  private emit(node: Node): string {
    if (node.kind === 'sem') {
      const use = this.uses.get(node);
      if (use !== undefined) return this.emitSem(node, use);
    }
    return this.splice(node.start, node.end, node.children);
  }

  private cast(node: Node): string {
    return `CAST(${this.emit(node)} AS VARCHAR)`;
  }

  /** Given arguments cast, then the defaults of omitted optional ones (same call, same cache key). */
  private restArgs(def: OperatorDef, args: readonly Node[], from: number): string[] {
    const out = args.slice(from).map((a) => this.cast(a));
    for (let i = args.length; i < def.args.length; i++) {
      const d = def.args[i]?.default;
      if (d === undefined) break;
      out.push(`CAST(${d} AS VARCHAR)`);
    }
    return out;
  }

  private emitSem(node: SemNode, use: Use): string {
    const def = use.def;
    const subject = node.args[0];
    if (use.shape === 'dimension' && subject !== undefined) {
      const level = use.level?.node;
      const x = this.emit(subject);
      const n = this.restArgs(def, node.args, 1);
      const from = level?.from !== undefined ? ` ${this.emit(level.from)}` : '';
      const where = level?.where !== undefined ? ` ${this.emit(level.where)}` : '';
      const labels = `(SELECT ${def.udf}(${[groupEncodingSql(x), ...n].join(', ')})${from}${where})`;
      const label = this.registry.get(def.labelOperator ?? 'topic_label');
      return `${label?.udf ?? '__sem_topic_label'}(CAST(${x} AS VARCHAR), ${labels})`;
    }
    if (use.shape === 'aggregate' && subject !== undefined) {
      const options: { distinct?: boolean; filter?: string } = { distinct: node.distinct };
      if (node.filter !== undefined) options.filter = this.emit(node.filter);
      const group = groupEncodingSql(this.emit(subject), options);
      return `${def.udf}(${[group, ...this.restArgs(def, node.args, 1)].join(', ')})`;
    }
    const call = `${def.udf}(${this.restArgs(def, node.args, 0).join(', ')})`;
    let sql = use.thresholded ? `${call} > ${this.threshold}` : call;
    if (node.negated) sql = use.thresholded ? `NOT (${sql})` : `NOT ${sql}`;
    const wrap = node.negated || use.thresholded || (node.form === 'infix' && !use.orderTop);
    sql = wrap ? `(${sql})` : sql;
    return use.addDesc ? `${sql} DESC` : sql;
  }
}

function formatNumber(n: number): string {
  const s = String(n);
  // DuckDB reads 1e-7 fine, but a plain decimal is clearer in EXPLAIN output.
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '') : s;
}
