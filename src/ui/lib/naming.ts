/**
 * A table name from a file name or URL: `My Sales (2024).csv` → `my_sales_2024`, not one of
 * `taken`. The one naming rule for the app, the widget and its configuration.
 */
export function tableNameFor(fileName: string, taken: readonly string[] = []): string {
  const base =
    fileName
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? fileName;
  let name = base
    .replace(/\.(csv|tsv|parquet|json|ndjson|jsonl|txt)(\.gz)?$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') name = 'data';
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  const used = new Set(taken.map((t) => t.toLowerCase()));
  if (!used.has(name)) return name;
  let n = 2;
  while (used.has(`${name}_${n}`)) n++;
  return `${name}_${n}`;
}

/** Quotes an identifier when DuckDB would not accept it bare. */
export function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** What clicking a table in the schema browser inserts. */
export function starterQuery(table: string, columns: readonly { name: string; type: string }[]): string {
  const text =
    columns.find((c) => /^(VARCHAR|TEXT|STRING)$/i.test(c.type) && /text|body|content|comment|review|message|description/i.test(c.name)) ??
    columns.find((c) => /^(VARCHAR|TEXT|STRING)$/i.test(c.type));
  const select = columns.length > 0 && columns.length <= 8 ? columns.map((c) => sqlIdentifier(c.name)).join(', ') : '*';
  const lines = [`SELECT ${select}`, `FROM ${sqlIdentifier(table)}`];
  if (text) lines.push(`-- WHERE ${sqlIdentifier(text.name)} MEANS 'your criterion'`);
  lines.push('LIMIT 100;');
  return lines.join('\n');
}
