// The SQL words and operator spellings the parser steers by (DuckDB's grammar, libpg_query's).

/** Words that end a clause's expression list. */
export const CLAUSE_WORDS: ReadonlySet<string> = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'RETURNING',
  'ON',
  'USING',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'POSITIONAL',
  'ASOF',
  'ANTI',
  'SEMI',
  'INTO',
  'VALUES',
  'SET',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'DO',
  'WITH',
  'TABLESAMPLE',
]);

/** Words that continue an expression and so cannot start one. */
export const NON_START_WORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'IS',
  'IN',
  'LIKE',
  'ILIKE',
  'GLOB',
  'BETWEEN',
  'AS',
  'ASC',
  'DESC',
  'NULLS',
  'ISNULL',
  'NOTNULL',
  'COLLATE',
  'ESCAPE',
  'OVER',
  'FILTER',
  'SIMILAR',
  'BY',
]);

/** Words that end a query level's FROM list or WINDOW clause. */
export const LEVEL_END: ReadonlySet<string> = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'WINDOW',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'SELECT',
  'RETURNING',
]);

export const SET_OPERATIONS: ReadonlySet<string> = new Set(['UNION', 'INTERSECT', 'EXCEPT']);
/** Words between a set operation and its next term: UNION ALL BY NAME. */
export const SET_OPERATION_MODIFIERS: ReadonlySet<string> = new Set(['ALL', 'DISTINCT', 'BY', 'NAME']);

export const QUERY_START: ReadonlySet<string> = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE']);
/** Statement keywords that can open a subquery but are also function-like names, e.g. summarize(x). */
export const QUERY_START_NO_CALL: ReadonlySet<string> = new Set(['SUMMARIZE', 'DESCRIBE', 'PIVOT', 'UNPIVOT']);

// '#' starts a positional reference (#1) in DuckDB.
export const PREFIX_OPS: ReadonlySet<string> = new Set(['-', '+', '~', '!', '@', '#']);

export const TYPE_CONTINUATION: ReadonlySet<string> = new Set(['PRECISION', 'VARYING', 'WITH', 'WITHOUT', 'TIME', 'ZONE']);
export const INTERVAL_UNITS =
  /^(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|MILLISECOND|MICROSECOND|WEEK|QUARTER|DECADE|CENTURY|CENTURIES|MILLENNIUM|MILLENNIA|MILLISECONDS|MICROSECONDS)S?$/;
/** Keywords that separate a call's arguments: substring(s FROM 1 FOR 2), trim(BOTH FROM s), ... */
export const CALL_ARG_WORDS: ReadonlySet<string> = new Set(['FROM', 'FOR', 'IN', 'PLACING', 'SEPARATOR', 'USING']);
