import { classifyStatement, splitStatements } from '../../sql';
import { isNumericType } from './format';
import { sqlIdentifier } from './naming';

/** What a profile describes: a table, or the rows of a query (re-run over cached answers). */
export type ProfileSource = { kind: 'table'; table: string } | { kind: 'query'; sql: string };

/** Bins of a numeric column's small histogram. */
export const HISTOGRAM_BINS = 12;
/** Most frequent values shown per column. */
export const TOP_VALUES = 5;

/** One column's profile, computed by DuckDB (SUMMARIZE and aggregates). */
export interface ColumnProfile {
  name: string;
  type: string;
  rows: number;
  nulls: number;
  /** Approximate distinct count (HyperLogLog, as SUMMARIZE gives it). */
  distinct: number;
  min: string | null;
  max: string | null;
  mean: string | null;
  top: { value: string; count: number }[];
  histogram: { lo: number; hi: number; counts: number[] } | null;
}

/**
 * The FROM-able text of a source: a quoted table name, or the query in brackets. A query must be one
 * statement that returns rows (SELECT, WITH, FROM, VALUES, TABLE); its comments (annotations) stay
 * inside the brackets, on their own lines. Returns a reason instead when it cannot be profiled.
 */
export function profileRelation(source: ProfileSource): { relation: string } | { reason: string } {
  if (source.kind === 'table') return { relation: sqlIdentifier(source.table) };
  let statements;
  try {
    statements = splitStatements(source.sql);
  } catch {
    return { reason: 'the query does not parse' };
  }
  if (statements.length !== 1) return { reason: 'a profile covers one query; this run had several statements, so run the last one on its own' };
  const statement = statements[0] as (typeof statements)[number];
  const code = statement.tokens.filter((t) => t.kind !== 'comment');
  const first = code[0];
  const query = first?.kind === 'punct' ? first.text === '(' : ['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'].includes(first?.upper ?? '');
  if (!query || classifyStatement(code).kind !== 'read') {
    return { reason: 'only a query that returns rows (SELECT …) can be profiled; this statement changes data or is a command' };
  }
  const leading = statement.leading.map((t) => t.text).join('\n');
  return { relation: `(\n${leading ? `${leading}\n` : ''}${statement.text}\n)` };
}

/**
 * `budget: 0` makes the engine refuse rather than call a model: a profile reads cached answers only,
 * it never spends.
 */
const HEAD = '-- @ budget: 0\n';

/** DuckDB's SUMMARIZE of the relation: one row per column. */
export function summaryQuery(relation: string): string {
  return `${HEAD}SUMMARIZE SELECT * FROM ${relation}`;
}

/** The top values of every column and the histogram bins of the numeric ones, one query each. */
export function detailQueries(relation: string, columns: readonly { name: string; type: string }[]): { top: string; histogram: string | null } {
  const numeric = columns.filter((c) => isNumericType(c.type));
  const top =
    `${HEAD}WITH __profiled AS (SELECT * FROM ${relation}),\n` +
    `__values AS (UNPIVOT (SELECT ${columns.map((c) => `CAST(${sqlIdentifier(c.name)} AS VARCHAR) AS ${sqlIdentifier(c.name)}`).join(', ')} FROM __profiled) ON COLUMNS(*) INTO NAME col VALUE val),\n` +
    '__counts AS (SELECT col, val, count(*) AS n FROM __values GROUP BY col, val)\n' +
    `SELECT col, val, n FROM __counts QUALIFY row_number() OVER (PARTITION BY col ORDER BY n DESC, val) <= ${TOP_VALUES} ORDER BY col, n DESC, val`;
  const histogram =
    numeric.length === 0
      ? null
      : `${HEAD}WITH __profiled AS (SELECT * FROM ${relation}),\n` +
        `__numbers AS (UNPIVOT (SELECT ${numeric.map((c) => `CAST(${sqlIdentifier(c.name)} AS DOUBLE) AS ${sqlIdentifier(c.name)}`).join(', ')} FROM __profiled) ON COLUMNS(*) INTO NAME col VALUE x),\n` +
        '__range AS (SELECT col, min(x) AS lo, max(x) AS hi FROM __numbers GROUP BY col)\n' +
        `SELECT col, lo, hi, CAST(coalesce(least(floor((x - lo) / nullif(hi - lo, 0) * ${HISTOGRAM_BINS}), ${HISTOGRAM_BINS - 1}), 0) AS INTEGER) AS bin, count(*) AS n\n` +
        'FROM __numbers JOIN __range USING (col) GROUP BY col, lo, hi, bin ORDER BY col, bin';
  return { top, histogram };
}

type Row = readonly unknown[];

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));

/**
 * The profiles from the three results: SUMMARIZE's rows (column_name, column_type, min, max,
 * approx_unique, avg, std, q25, q50, q75, count, null_percentage), the top values (col, val, n) and
 * the histogram bins (col, lo, hi, bin, n).
 */
export function columnProfiles(summary: readonly Row[], top: readonly Row[], histogram: readonly Row[]): ColumnProfile[] {
  return summary.map((row) => {
    const name = String(row[0]);
    const rows = num(row[10]);
    const nullPct = num(row[11]);
    const bins = histogram.filter((h) => h[0] === name);
    return {
      name,
      type: String(row[1]),
      rows,
      nulls: Math.round((rows * nullPct) / 100),
      distinct: Math.min(num(row[4]), rows),
      min: text(row[2]),
      max: text(row[3]),
      mean: text(row[5]),
      top: top.filter((t) => t[0] === name).map((t) => ({ value: String(t[1]), count: num(t[2]) })),
      histogram:
        bins.length === 0
          ? null
          : {
              lo: num(bins[0]?.[1]),
              hi: num(bins[0]?.[2]),
              counts: Array.from({ length: HISTOGRAM_BINS }, (_, i) => bins.filter((b) => num(b[3]) === i).reduce((n, b) => n + num(b[4]), 0)),
            },
    };
  });
}
