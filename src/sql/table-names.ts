import { tokenize } from './lexer';

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

/** Which of `tables` a query names (the tables a history entry depends on, a kept table to restore). */
export function tablesNamedIn(sql: string, tables: readonly string[]): string[] {
  const names = namesIn(sql);
  return tables.filter((t) => names.has(t.toLowerCase()));
}

/** The tables `DROP TABLE [IF EXISTS] a, b` statements in a script drop, lower-cased. */
export function tablesDroppedIn(sql: string): string[] {
  let tokens;
  try {
    tokens = tokenize(sql);
  } catch {
    return [];
  }
  const dropped: string[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i]?.upper !== 'DROP' || tokens[i + 1]?.upper !== 'TABLE') continue;
    let j = i + 2;
    if (tokens[j]?.upper === 'IF' && tokens[j + 1]?.upper === 'EXISTS') j += 2;
    for (; j < tokens.length; j += 2) {
      const t = tokens[j];
      if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) break;
      dropped.push(t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"').toLowerCase() : t.text.toLowerCase());
      if (tokens[j + 1]?.text !== ',') break;
    }
  }
  return dropped;
}
