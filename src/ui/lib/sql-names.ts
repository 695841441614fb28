import { tokenize } from '../../sql';

/**
 * The identifiers a query names, lower-cased: words and quoted identifiers, never text inside a
 * string or a comment. Unlexable text (an unterminated string) falls back to its words.
 */
export function namesIn(sql: string): Set<string> {
  let tokens;
  try {
    tokens = tokenize(sql);
  } catch {
    return new Set(sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  }
  const names = new Set<string>();
  for (const t of tokens) {
    if (t.kind === 'word') names.add(t.text.toLowerCase());
    else if (t.kind === 'quoted') names.add(t.text.slice(1, -1).replace(/""/g, '"').toLowerCase());
  }
  return names;
}

/** Which of `tables` a query names (the tables a history entry depends on). */
export function tablesNamedIn(sql: string, tables: readonly string[]): string[] {
  const names = namesIn(sql);
  return tables.filter((t) => names.has(t.toLowerCase()));
}
