import { analyze } from './analyze';
import { BLOCK_WORDS } from './block-forms';
import { Emitter } from './emit';
import type { Token } from './lexer';
import { Parser } from './parser';
import type { Registry } from './registry';
import { semanticJoins } from './semantic-joins';
import { statementShape } from './shape';
import { identityMap, type SourceMap } from './source-map';
import type { CallSite, SemanticJoin, StatementShape } from './types';

export interface RewriteInput {
  source: string;
  /** Code tokens of the statement (no comments). */
  tokens: readonly Token[];
  registry: Registry;
  threshold: number;
}

export interface RewriteResult {
  sql: string;
  callSites: CallSite[];
  shape: StatementShape;
  /** Where each part of `sql` came from in the source (for errors in the user's terms). */
  sourceMap: SourceMap;
  /** Semantic join conditions (src/sql/semantic-joins.ts); absent when there are none. */
  joins?: SemanticJoin[];
}

/** True when the statement holds something that could be a semantic operator: the fast path. */
export function mayHaveSemanticOperators(tokens: readonly Token[], registry: Registry): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'word' || t.kind === 'op') {
      if (registry.infixStartingWith(t.upper).some((s) => spelledAt(tokens, i, s.words))) return true;
      if (t.kind === 'word' && tokens[i + 1]?.text === '(' && registry.byFunction(t.text) !== undefined) return true;
      if (t.kind === 'word' && BLOCK_WORDS.has(t.upper)) return true;
    }
  }
  return false;
}

/** The keywords `words` at token `i` (IS [NOT] VALID: a NOT may follow IS). */
function spelledAt(tokens: readonly Token[], i: number, words: readonly string[]): boolean {
  let k = i + 1;
  if (words[0] === 'IS' && tokens[k]?.upper === 'NOT') k++;
  for (const w of words.slice(1)) if (tokens[k++]?.upper !== w) return false;
  return true;
}

/**
 * Semantic SQL → DuckDB SQL. Rules (contract with the bridge, see docs/design.md, "The UDF bridge"):
 * - every operator use becomes `__sem_<name>(CAST(arg AS VARCHAR), ...)`; infix uses are wrapped in
 *   parentheses so the surrounding precedence is unchanged;
 * - a score in a boolean position becomes `(__sem_score(...) > threshold)`, infix NOT becomes
 *   `(NOT ...)`;
 * - aggregates get the group as one string: string_agg of escaped values (group-encoding.ts);
 * - `ORDER BY x RELEVANCE TO q` sorts by the score, descending unless a direction is written;
 * - `GROUP BY topics(x, n)` runs in two phases. Every `topics(x, n)` of that level (SELECT list,
 *   GROUP BY, HAVING, ORDER BY) becomes
 *     __sem_topic_label(CAST(x AS VARCHAR),
 *       (SELECT __sem_topics(<group of x>, CAST(n AS VARCHAR)) FROM <level's FROM> [WHERE <level's WHERE>]))
 *   The scalar subquery proposes the labels once over the level's whole input (uncorrelated, so
 *   DuckDB evaluates it once); the outer call labels each row. Identical text in SELECT and GROUP BY
 *   keeps DuckDB's "expression must appear in GROUP BY" matching intact, and no CTE has to be
 *   spliced into a query that may already have one.
 * - classify(x, cats) is an aggregate (classify_agg) when its level groups — it has GROUP BY
 *   (not GROUP BY ALL), HAVING, or another aggregate in SELECT/HAVING — and neither the call nor x
 *   is a grouping key (written in GROUP BY, directly or by alias or ordinal); otherwise, and always
 *   inside another aggregate's arguments or in WHERE/ON/GROUP BY, it is per row.
 * Everything else is copied byte for byte.
 */
export function rewriteStatement(input: RewriteInput): RewriteResult {
  const first = input.tokens[0];
  const last = input.tokens[input.tokens.length - 1];
  if (first === undefined || last === undefined) return { sql: '', callSites: [], shape: statementShape([]), sourceMap: identityMap('', 0) };
  if (!mayHaveSemanticOperators(input.tokens, input.registry)) {
    // Not parsed. Parsing is ~5 µs a statement: for the 34 plain statements of the rewrite corpus's
    // outputs it would add ~170 µs to parseScript's ~300 µs (bundled, Node 20); and it would answer
    // malformed plain SQL with our errors instead of DuckDB's. Nothing reads the shape of a statement
    // without call sites (early LIMIT refuses it first), so it is that of an empty tree: no facts.
    const sql = input.source.slice(first.start, last.end);
    return { sql, callSites: [], shape: statementShape([]), sourceMap: identityMap(sql, first.start) };
  }
  const nodes = new Parser(input).parseStatement();
  const { uses, callSites } = analyze(input.source, input.tokens, input.registry, nodes);
  const out = new Emitter(input.source, input.registry, uses, input.threshold).splice(first.start, last.end, nodes);
  const shape = statementShape(nodes, (node) => uses.get(node)?.shape ?? node.def.shape);
  const joins = semanticJoins({
    source: input.source,
    tokens: input.tokens,
    nodes,
    uses,
    threshold: input.threshold,
    emitter: (replaced) => new Emitter(input.source, input.registry, uses, input.threshold, replaced),
  });
  return { sql: out.text, callSites, shape, sourceMap: { sql: out.text, segments: out.segments }, ...(joins.length > 0 ? { joins } : {}) };
}
