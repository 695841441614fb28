/**
 * The mock's SQL writers: ask_data_sql (a query for a question, given the schema line the rewriter
 * passes: `t(a INTEGER, b VARCHAR); u(...)`) and sql_expression. Questions of the common shapes
 * ("how many", "top 3 authors by ...", "average likes") get the query a model would write; anything
 * else a look at the most relevant table.
 */
import { arg, type Handler } from '../args';

interface Table {
  name: string;
  columns: { name: string; type: string }[];
}

function tablesOf(schema: string): Table[] {
  return schema
    .split(';')
    .map((part) => /^\s*([\w."]+)\((.*)\)\s*$/s.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      name: m[1] ?? '',
      columns: (m[2] ?? '')
        .split(',')
        .map((c) => c.trim().split(/\s+/))
        .filter((c) => c[0] !== undefined && c[0] !== '')
        .map((c) => ({ name: c[0] ?? '', type: (c.slice(1).join(' ') || 'VARCHAR').toUpperCase() })),
    }));
}

const singular = (w: string) =>
  w
    .toLowerCase()
    .replace(/ies$/, 'y')
    .replace(/(?<!s)s$/, '');
const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const numeric = (type: string) => /INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL/.test(type);

/** The column a word of the question names ("authors" → author, "likes" → likes). */
function columnNamed(table: Table, word: string | undefined): { name: string; type: string } | undefined {
  if (word === undefined) return undefined;
  const w = singular(word);
  return table.columns.find((c) => singular(c.name) === w || c.name.toLowerCase() === word.toLowerCase());
}

function askDataSql(question: string, schema: string): string {
  const q = question.trim();
  // A question that is already SQL is taken as written, keywords in capitals as a model writes them.
  if (/^\s*(?:select|with)\b/i.test(q)) return q.replace(/;\s*$/, '').replace(/^\s*(select|with)\b/i, (k) => k.toUpperCase());
  const tables = tablesOf(schema);
  const words = q.toLowerCase().match(/[a-z_]+/g) ?? [];
  const table = tables.find((t) => words.some((w) => singular(w) === singular(t.name))) ?? tables[0];
  if (table === undefined) return 'SELECT 1 AS no_tables';
  const from = quote(table.name);
  const k = Number(/\b(?:top|first|the)?\s*(\d+)\b/.exec(q.toLowerCase())?.[1] ?? 10);
  const mentioned = words.map((w) => columnNamed(table, w)).filter((c) => c !== undefined);
  const measure = mentioned.find((c) => numeric(c.type));
  const group = mentioned.find((c) => !numeric(c.type));
  if (/\b(?:how many|count|number of)\b/i.test(q) && group === undefined) return `SELECT count(*) AS n FROM ${from}`;
  if (/\b(?:average|mean)\b/i.test(q) && measure !== undefined) {
    return group === undefined
      ? `SELECT avg(${quote(measure.name)}) AS average_${measure.name} FROM ${from}`
      : `SELECT ${quote(group.name)}, avg(${quote(measure.name)}) AS average_${measure.name} FROM ${from} GROUP BY 1 ORDER BY 2 DESC`;
  }
  if (/\b(?:total|sum)\b/i.test(q) && measure !== undefined) {
    return group === undefined
      ? `SELECT sum(${quote(measure.name)}) AS total_${measure.name} FROM ${from}`
      : `SELECT ${quote(group.name)}, sum(${quote(measure.name)}) AS total_${measure.name} FROM ${from} GROUP BY 1 ORDER BY 2 DESC LIMIT ${k}`;
  }
  if (group !== undefined && /\b(?:most|top|per|each|by)\b/i.test(q))
    return `SELECT ${quote(group.name)}, count(*) AS n FROM ${from} GROUP BY 1 ORDER BY n DESC, 1 LIMIT ${k}`;
  if (measure !== undefined && /\b(?:most|highest|top|largest|best)\b/i.test(q)) return `SELECT * FROM ${from} ORDER BY ${quote(measure.name)} DESC LIMIT ${k}`;
  return `SELECT * FROM ${from} LIMIT ${k}`;
}

function sqlExpression(description: string, context: string): string {
  const d = description.toLowerCase();
  const columns = context
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter((c) => c !== '');
  const column = columns.find((c) => d.includes(c.toLowerCase())) ?? /\bof (?:the )?([a-z_]+)/.exec(d)?.[1] ?? columns[0];
  const col = column === undefined ? '*' : quote(column);
  const part = /\b(year|month|day|hour|week|quarter)\b/.exec(d)?.[1];
  if (part !== undefined && col !== '*') return `${part}(${col})`;
  if (/\bcount\b|how many|number of/.test(d)) return /distinct|unique/.test(d) && col !== '*' ? `count(DISTINCT ${col})` : 'count(*)';
  if (/average|mean/.test(d)) return `avg(${col})`;
  if (/total|sum/.test(d)) return `sum(${col})`;
  if (/upper/.test(d)) return `upper(${col})`;
  if (/lower/.test(d)) return `lower(${col})`;
  if (/length|characters/.test(d)) return `length(${col})`;
  return col === '*' ? 'count(*)' : col;
}

export const SQL_WRITERS: Readonly<Record<string, Handler>> = {
  ask_data_sql: (r) => askDataSql(arg(r, 0), arg(r, 1)),
  sql_expression: (r) => sqlExpression(arg(r, 0), arg(r, 1)),
};
