import { tokenize } from '../../sql';

/**
 * The keywords and functions completion offers, most used first: the clauses and functions of
 * everyday analytical SQL, ordered by hand by how common each is in queries (not alphabetically).
 * The SQL standard's long tail (AUTHORIZATION, COLLATION, …) is left out: the editor still
 * highlights it, but it never floods the list ahead of a column. The user's own use reorders it.
 */
const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'AS',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'JOIN',
  'ON',
  'OR',
  'NOT',
  'DESC',
  'COUNT(*)',
  'DISTINCT',
  'IN',
  'LEFT JOIN',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IS NULL',
  'IS NOT NULL',
  'HAVING',
  'WITH',
  'LIKE',
  'ILIKE',
  'BETWEEN',
  'ASC',
  'NULL',
  'TRUE',
  'FALSE',
  'UNION ALL',
  'INNER JOIN',
  'OVER',
  'PARTITION BY',
  'QUALIFY',
  'USING',
  'EXISTS',
  'OFFSET',
  'CREATE TABLE',
  'CREATE OR REPLACE TABLE',
  'INSERT INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE FROM',
  'DROP TABLE',
  'CREATE VIEW',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'FULL OUTER JOIN',
  'CROSS JOIN',
  'DESCRIBE',
  'SUMMARIZE',
  'EXPLAIN',
  'EXPLAIN SEMANTIC',
  'CREATE SEMANTIC FUNCTION',
  'DROP SEMANTIC FUNCTION',
  'SHOW TABLES',
  'COPY',
  'NULLS LAST',
  'FILTER',
  'ROWS BETWEEN',
];

const FUNCTIONS = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'round',
  'lower',
  'upper',
  'length',
  'coalesce',
  'cast',
  'date_trunc',
  'strftime',
  'contains',
  'regexp_matches',
  'string_agg',
  'substring',
  'trim',
  'replace',
  'split_part',
  'concat',
  'abs',
  'median',
  'quantile_cont',
  'stddev',
  'row_number',
  'rank',
  'lag',
  'lead',
  'first',
  'last',
  'list',
  'unnest',
  'regexp_extract',
  'starts_with',
  'ends_with',
  'now',
  'current_date',
  'date_diff',
  'extract',
  'epoch',
  'greatest',
  'least',
  'nullif',
  'approx_count_distinct',
  'mode',
  'arg_max',
  'arg_min',
  'len',
  'left',
  'right',
];

export interface RankedWord {
  label: string;
  kind: 'keyword' | 'function';
  /** CodeMirror boost (-99..99): higher shows first among equally good matches. */
  boost: number;
}

/**
 * The words with their rank: the base order above, raised by the user's own use (how often each
 * word appears in the queries they ran), so what they write most comes first.
 */
export function rankedWords(uses: ReadonlyMap<string, number> = new Map()): RankedWord[] {
  const rank = (list: readonly string[], kind: RankedWord['kind'], top: number): RankedWord[] =>
    list.map((label, i) => {
      const own = uses.get(label.split(/[\s(]/)[0]?.toUpperCase() ?? '') ?? 0;
      return { label, kind, boost: Math.min(99, Math.round(top - (i * 30) / list.length + Math.min(20, Math.log2(1 + own) * 4))) };
    });
  return [...rank(KEYWORDS, 'keyword', 10), ...rank(FUNCTIONS, 'function', 0)];
}

/** How often each word (upper-cased) appears in past queries, for `rankedWords`. */
export function wordUses(queries: readonly string[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const sql of queries) {
    let tokens;
    try {
      tokens = tokenize(sql);
    } catch {
      continue;
    }
    for (const t of tokens) if (t.kind === 'word') uses.set(t.upper, (uses.get(t.upper) ?? 0) + 1);
  }
  return uses;
}
