import { join, type Fragment } from './source-map';
import type { RowsColumn, RowsForm } from './types';

/**
 * The SQL of a table form (`triples_rows(text)`): the base operator's answer, a JSON array of flat
 * objects, read into rows with DuckDB's regular expressions. DuckDB-WASM's json extension is a download
 * (src/db/extension-guard.ts) that must not be needed offline, so the array is split into its objects by
 * a pattern that skips strings (a brace inside a value stays inside it) and each column is the value of
 * its key. Keys are matched only where a key can stand: inside a JSON string every quote is escaped.
 */

/** One JSON object with no nested objects: anything but braces and quotes, or a whole string. */
const OBJECT = String.raw`\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}`;
const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const ARRAY = String.raw`(\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])`;

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const keyPattern = (key: string): string => String.raw`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\s*:\s*`;

/** A JSON string's escapes undone: \\ kept apart first (chr(1) holds it), then the common escapes. */
function unescaped(sql: string): string {
  const steps: [string, string][] = [
    [String.raw`\\`, 'chr(1)'],
    [String.raw`\"`, `'"'`],
    [String.raw`\n`, 'chr(10)'],
    [String.raw`\t`, 'chr(9)'],
    [String.raw`\r`, 'chr(13)'],
    [String.raw`\/`, "'/'"],
  ];
  let out = sql;
  for (const [from, to] of steps) out = `replace(${out}, ${literal(from)}, ${to})`;
  return `replace(${out}, chr(1), '\\')`;
}

function column(c: RowsColumn): string {
  const name = `"${c.name.replace(/"/g, '""')}"`;
  const value = (pattern: string) => `regexp_extract(__o, ${literal(keyPattern(c.name) + pattern)}, 1)`;
  if (c.type === 'INTEGER') return `TRY_CAST(nullif(${value('(-?[0-9]+)')}, '') AS INTEGER) AS ${name}`;
  if (c.type === 'JSON') return `nullif(${value(ARRAY)}, '') AS ${name}`;
  return `nullif(${unescaped(value(STRING))}, '') AS ${name}`;
}

/** `(SELECT <columns> FROM (SELECT unnest(<objects of answer>) AS __o))`: a derived table, lateral when `answer` reads a row. */
export function rowsFormSql(form: RowsForm, answer: Fragment): Fragment {
  return join([`(SELECT ${form.columns.map(column).join(', ')} FROM (SELECT unnest(regexp_extract_all(`, answer, `, ${literal(OBJECT)})) AS __o))`]);
}
