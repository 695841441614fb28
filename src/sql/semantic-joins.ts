import type { Use } from './analysis';
import type { ClauseNode, LevelNode, Node, QueryNode, SemNode } from './ast';
import type { Emitter } from './emit';
import type { Token } from './lexer';
import type { SemanticJoin } from './types';

/**
 * Finds the semantic join conditions of a statement (docs/semantic-joins.md) and writes, for each,
 * the query that lists the pairs it is asked about. A condition qualifies when it is a conjunct of
 * an ON, or of the WHERE of a level that reads several relations, and is a yes/no operator or a
 * score compared with a number, not negated, with exactly two arguments that vary (the sides) and
 * the others constant. Which relation a side reads needs the catalogue, so it is not checked here:
 * the planner sees the pairs themselves, and a condition whose "sides" are one relation's columns
 * simply has as many pairs as rows, where no plan saves anything. Only sides qualified by the same
 * name (`t.a MEANS t.b`) are left out here.
 */

export interface JoinSearch {
  source: string;
  tokens: readonly Token[];
  nodes: readonly Node[];
  uses: ReadonlyMap<SemNode, Use>;
  /** The statement's threshold: a score alone in a condition means `> threshold`. */
  threshold: number;
  /** An emitter that writes the given nodes as the given SQL. */
  emitter(replaced: ReadonlyMap<Node, string>): Emitter;
}

interface Condition {
  conjunct: Node;
  clause: 'on' | 'where';
  sem: SemNode;
  use: Use;
  holds: SemanticJoin['holds'];
  sides: [number, number];
}

/**
 * Join kinds whose rows are not "the pairs the condition holds for": ANTI keeps what matches nothing,
 * ASOF and POSITIONAL pair rows by order, LATERAL reads the other side per row.
 */
const UNPLANNED_JOINS: ReadonlySet<string> = new Set(['ANTI', 'ASOF', 'POSITIONAL', 'LATERAL']);
const OUTER_JOINS: ReadonlySet<string> = new Set(['LEFT', 'RIGHT', 'FULL']);

export function semanticJoins(search: JoinSearch): SemanticJoin[] {
  const found: SemanticJoin[] = [];
  const visit = (node: Node, withs: readonly QueryNode[]): void => {
    if (node.kind === 'query') {
      const inner = node.ctes.length > 0 ? [...withs, node] : withs;
      for (const child of node.children) visit(child, inner);
      return;
    }
    if (node.kind === 'level') {
      const join = levelJoin(search, node, withs);
      if (join !== undefined) found.push(join);
    }
    for (const child of node.children) visit(child, withs);
  };
  for (const node of search.nodes) visit(node, []);
  return found;
}

/**
 * The level's first semantic join condition, with the query listing its pairs: the level's FROM and
 * WHERE with that condition, and any other semantic join condition of the level, written as TRUE
 * (the others are asked of the pairs the planned one leaves). The WHERE is left out for a condition
 * in an outer join's ON, where it filters after the join rather than before.
 */
function levelJoin(search: JoinSearch, level: LevelNode, withs: readonly QueryNode[]): SemanticJoin | undefined {
  const from = level.from;
  // Two WITH clauses would need merging into one; a join that deep is left to the nested loop.
  if (from === undefined || withs.length > 1) return undefined;
  const words = fromWords(search.tokens, from);
  if ([...UNPLANNED_JOINS].some((w) => words.words.has(w))) return undefined;
  const conditions: Condition[] = [];
  for (const on of onClauses(from)) for (const c of conjuncts(on)) pushCondition(search, c, 'on', conditions);
  const severalRelations = words.words.has('JOIN') || words.topComma;
  if (level.where !== undefined && severalRelations) for (const c of conjuncts(level.where)) pushCondition(search, c, 'where', conditions);
  const first = conditions[0];
  if (first === undefined) return undefined;
  const emitter = search.emitter(new Map(conditions.map((c) => [c.conjunct, 'TRUE'])));
  const fromSql = emitter.splice(from.start, from.end, from.children).text;
  const outer = [...OUTER_JOINS].some((w) => words.words.has(w));
  const where =
    level.where !== undefined && !(first.clause === 'on' && outer) ? ` ${emitter.splice(level.where.start, level.where.end, level.where.children).text}` : '';
  const args = search.emitter(new Map()).udfArguments(first.sem, first.use);
  const columns = args.map((_, i) => `a${i}`);
  const prefix = withs[0] === undefined ? '' : `${withPrefix(search, emitter, withs[0])} `;
  const pairsSql =
    `${prefix}SELECT ${columns.join(', ')}, count(*) AS n FROM (SELECT ${args.map((a, i) => `${a} AS a${i}`).join(', ')} ${fromSql}${where}) AS __semsql_pairs ` +
    `WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ALL`;
  const opToken = search.tokens.find((t) => t.start === first.sem.start) ?? first.sem.opToken;
  const text = (i: number) => {
    const arg = first.sem.args[i] as Node;
    return search.source.slice(arg.start, arg.end);
  };
  return {
    operator: first.use.def.name,
    span: { start: first.sem.start, end: first.sem.end, line: opToken.line, column: opToken.column },
    clause: first.clause,
    sides: first.sides,
    sideText: [text(first.sides[0]), text(first.sides[1])],
    holds: first.holds,
    pairsSql,
  };
}

/**
 * The upper-cased words of a FROM clause outside its derived tables, and whether a comma separates
 * relations at its top.
 */
function fromWords(tokens: readonly Token[], from: ClauseNode): { words: Set<string>; topComma: boolean } {
  const derived = derivedTables(from);
  const words = new Set<string>();
  let depth = 0;
  let topComma = false;
  for (const t of tokens) {
    if (t.start < from.start || t.end > from.end || derived.some((q) => t.start >= q.start && t.end <= q.end)) continue;
    if (t.kind === 'word') words.add(t.upper);
    else if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (t.kind === 'punct' && t.text === ',' && depth === 0) topComma = true;
  }
  return { words, topComma };
}

function derivedTables(node: Node): QueryNode[] {
  if (node.kind === 'query') return [node];
  return node.children.flatMap(derivedTables);
}

/** ON clauses of a FROM list, inside parenthesised joins too, but not inside derived tables. */
function onClauses(node: Node): ClauseNode[] {
  if (node.kind === 'clause' && node.clause === 'on') return [node];
  if (node.kind === 'query') return [];
  return node.children.flatMap(onClauses);
}

/** The AND-ed parts of a condition, through parentheses. */
function conjuncts(node: Node): Node[] {
  if (node.kind === 'clause') return node.children.flatMap(conjuncts);
  if (node.kind === 'logic' && node.op === 'AND') return node.children.flatMap(conjuncts);
  const only = node.kind === 'group' && node.open === '(' && node.children.length === 1 ? node.children[0] : undefined;
  return only !== undefined ? conjuncts(only) : [node];
}

function unwrapped(node: Node): Node {
  const only = node.kind === 'group' && node.open === '(' && node.children.length === 1 ? node.children[0] : undefined;
  return only !== undefined ? unwrapped(only) : node;
}

function pushCondition(search: JoinSearch, conjunct: Node, clause: 'on' | 'where', out: Condition[]): void {
  const found = holding(search, conjunct);
  if (found === undefined) return;
  const sides = varyingArgs(search, found.sem);
  if (sides === undefined) return;
  out.push({ conjunct, clause, ...found, sides });
}

/** A yes/no use, a score alone in the condition (`> threshold`), or a score compared with a number. */
function holding(search: JoinSearch, node: Node): Pick<Condition, 'sem' | 'use' | 'holds'> | undefined {
  if (node.kind === 'sem') {
    const use = perRowUse(search, node);
    if (use === undefined) return undefined;
    if (use.def.returns === 'BOOLEAN') return { sem: node, use, holds: { kind: 'yes' } };
    return use.thresholded ? { sem: node, use, holds: { kind: 'above', threshold: search.threshold, inclusive: false } } : undefined;
  }
  if (node.kind !== 'expr' || node.children.length !== 2) return undefined;
  const left = unwrapped(node.children[0] as Node);
  const right = unwrapped(node.children[1] as Node);
  const between = search.tokens.filter((t) => t.start >= (node.children[0] as Node).end && t.end <= (node.children[1] as Node).start);
  const op = between.length === 1 && between[0]?.kind === 'op' ? between[0].text : '';
  // sem > t and t < sem hold above t; >= and <= at t too.
  const semFirst = left.kind === 'sem' ? { sem: left, other: right, above: op === '>' || op === '>=', inclusive: op === '>=' } : undefined;
  const semLast = right.kind === 'sem' ? { sem: right, other: left, above: op === '<' || op === '<=', inclusive: op === '<=' } : undefined;
  const form = semFirst ?? semLast;
  if (form === undefined || !form.above) return undefined;
  const threshold = numberLiteral(search.tokens, form.other);
  const use = perRowUse(search, form.sem);
  if (threshold === undefined || use === undefined || use.def.returns !== 'DOUBLE' || use.thresholded) return undefined;
  return { sem: form.sem, use, holds: { kind: 'above', threshold, inclusive: form.inclusive } };
}

function perRowUse(search: JoinSearch, sem: SemNode): Use | undefined {
  const use = search.uses.get(sem);
  return use !== undefined && use.shape === 'scalar' && !sem.negated && use.def.execution !== 'embeddings' ? use : undefined;
}

function numberLiteral(tokens: readonly Token[], node: Node): number | undefined {
  if (node.kind !== 'atom') return undefined;
  const inside = tokens.filter((t) => t.start >= node.start && t.end <= node.end);
  const only = inside.length === 1 ? inside[0] : undefined;
  return only?.kind === 'number' && Number.isFinite(Number(only.text)) ? Number(only.text) : undefined;
}

/** Words that do not name a column: literals and the syntax of casts, CASE and comparisons. */
const NOT_COLUMNS: ReadonlySet<string> = new Set([
  'NULL',
  'TRUE',
  'FALSE',
  'CAST',
  'TRY_CAST',
  'AS',
  'INTERVAL',
  'DATE',
  'TIMESTAMP',
  'TIME',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'AND',
  'OR',
  'NOT',
  'IS',
  'IN',
  'LIKE',
  'ILIKE',
  'GLOB',
  'BETWEEN',
  'COLLATE',
  'DISTINCT',
  'FROM',
  'ESCAPE',
]);

/** The two arguments that vary from row to row, when exactly two do and they are not one relation's. */
function varyingArgs(search: JoinSearch, sem: SemNode): [number, number] | undefined {
  const varying: number[] = [];
  const qualifiers: Set<string>[] = [];
  sem.args.forEach((arg, i) => {
    const tokens = search.tokens.filter((t) => t.start >= arg.start && t.end <= arg.end);
    const columns = columnTokens(tokens);
    if (columns.length === 0) return;
    varying.push(i);
    qualifiers.push(new Set(columns.flatMap((c) => (c.qualifier === undefined ? [] : [c.qualifier]))));
  });
  const [a, b] = varying;
  if (varying.length !== 2 || a === undefined || b === undefined) return undefined;
  const [qa, qb] = qualifiers as [Set<string>, Set<string>];
  const one = (q: Set<string>) => (q.size === 1 ? [...q][0] : undefined);
  if (one(qa) !== undefined && one(qa) === one(qb)) return undefined;
  return [a, b];
}

/** Column references among an argument's tokens, each with its qualifier (`p` of `p.name`) when written. */
function columnTokens(tokens: readonly Token[]): { qualifier?: string }[] {
  const out: { qualifier?: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const next = tokens[i + 1];
    const previous = tokens[i - 1];
    if (next?.text === '(' || next?.text === '.') continue;
    if (t.kind === 'word' && (NOT_COLUMNS.has(t.upper) || previous?.upper === 'AS' || previous?.text === '::')) continue;
    const dotted = previous?.text === '.' ? tokens[i - 2] : undefined;
    out.push(dotted === undefined ? {} : { qualifier: (dotted.kind === 'quoted' ? dotted.text : dotted.upper).toLowerCase() });
  }
  return out;
}

/** `WITH … (…)` of the query around the level, written as in the statement (RECURSIVE kept). */
function withPrefix(search: JoinSearch, emitter: Emitter, query: QueryNode): string {
  const last = query.ctes[query.ctes.length - 1] as QueryNode;
  const close = search.tokens.find((t) => t.start >= last.end && t.text === ')');
  return emitter.splice(query.start, close?.end ?? last.end, query.ctes).text;
}
