import { tokenize, type Token } from '../../sql';

/** A table the statement reads, and the name it goes by in it (its alias, else its own name). */
export interface TableRef {
  table: string;
  alias: string | null;
}

/** What the word at the cursor can be, read from the statement around it. */
export type CompletionSpot =
  /** After `name.`: a column of the table or alias called `qualifier`. */
  | { kind: 'qualified'; qualifier: string }
  /** After FROM, JOIN, INTO, UPDATE, …: a table name. */
  | { kind: 'table' }
  /** Anywhere else in code: a column, a keyword, a function, an operator. */
  | { kind: 'expression' };

export interface CompletionScope {
  spot: CompletionSpot;
  /** The tables the statement reads, in order. */
  refs: TableRef[];
}

const TABLE_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'DESCRIBE', 'SUMMARIZE']);
/** Words that follow a table reference and are never its alias. */
const NOT_ALIAS = new Set([
  'WHERE',
  'JOIN',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'HAVING',
  'WINDOW',
  'QUALIFY',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'FULL',
  'CROSS',
  'NATURAL',
  'POSITIONAL',
  'ASOF',
  'ANTI',
  'SEMI',
  'LATERAL',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'SAMPLE',
  'TABLESAMPLE',
  'RETURNING',
  'SET',
  'VALUES',
  'FETCH',
  'FOR',
  'SELECT',
  'BY',
  'DEFAULT',
  'AS',
]);

/**
 * The completion scope of `statement` at `cursor` (an offset into it): which tables are read under
 * which names, and whether the word being typed is a column of a named table, a table, or free.
 * Pure and forgiving: text being typed is often not valid SQL yet.
 */
export function completionScope(statement: string, cursor: number): CompletionScope {
  const tokens = tokensOf(statement, cursor);
  const code = tokens.filter((t) => t.kind !== 'comment');
  // The tokens before the word at the cursor (a word that ends at the cursor is the one typed).
  const before = code.filter((t) => t.end <= cursor && !(t.kind === 'word' && t.end === cursor));
  const last = before[before.length - 1];
  const prev = before[before.length - 2];
  let spot: CompletionSpot = { kind: 'expression' };
  if (last?.text === '.' && prev && (prev.kind === 'word' || prev.kind === 'quoted')) spot = { kind: 'qualified', qualifier: nameOf(prev) };
  else if (last?.kind === 'word' && TABLE_BEFORE.has(last.upper)) spot = { kind: 'table' };
  else if (last?.text === ',' && inFromList(before)) spot = { kind: 'table' };
  return { spot, refs: tableRefs(code, cursor) };
}

/** Tokens of the statement; text after an unterminated string or comment is dropped, not fatal. */
function tokensOf(statement: string, cursor: number): Token[] {
  for (const text of [statement, statement.slice(0, cursor)]) {
    try {
      return tokenize(text);
    } catch {
      // Try the shorter text.
    }
  }
  return [];
}

function nameOf(token: Token): string {
  return token.kind === 'quoted' ? token.text.slice(1, -1).replace(/""/g, '"') : token.text;
}

/** Whether the last clause keyword before a comma is FROM (a list of tables) rather than SELECT, BY, … */
function inFromList(before: readonly Token[]): boolean {
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i] as Token;
    if (t.text === ')') depth++;
    else if (t.text === '(') {
      if (depth === 0) return false;
      depth--;
    } else if (
      depth === 0 &&
      t.kind === 'word' &&
      (t.upper === 'FROM' || t.upper === 'SELECT' || t.upper === 'BY' || t.upper === 'WHERE' || t.upper === 'SET' || t.upper === 'VALUES')
    ) {
      return t.upper === 'FROM';
    }
  }
  return false;
}

/** `FROM a [AS] x, b JOIN c [AS] y …`: every table named after FROM, JOIN or a comma of a FROM list. */
function tableRefs(code: readonly Token[], cursor: number): TableRef[] {
  const refs: TableRef[] = [];
  for (let i = 0; i < code.length; i++) {
    const t = code[i] as Token;
    const startsRef = (t.kind === 'word' && (t.upper === 'FROM' || t.upper === 'JOIN')) || (t.text === ',' && inFromList(code.slice(0, i)));
    if (!startsRef) continue;
    let j = i + 1;
    const first = code[j];
    // A subquery or a table function: no name to complete columns from.
    if (!first || (first.kind !== 'word' && first.kind !== 'quoted') || code[j + 1]?.text === '(') continue;
    // A word being typed at the cursor is not a table yet.
    if (first.end === cursor && first.kind === 'word') continue;
    let table = nameOf(first);
    // schema.table: the last part names the table.
    while (code[j + 1]?.text === '.' && code[j + 2] && (code[j + 2]?.kind === 'word' || code[j + 2]?.kind === 'quoted')) {
      j += 2;
      table = nameOf(code[j] as Token);
    }
    let next = code[j + 1];
    if (next?.kind === 'word' && next.upper === 'AS') next = code[j + 2];
    const alias = next && (next.kind === 'quoted' || (next.kind === 'word' && !NOT_ALIAS.has(next.upper))) && next.end !== cursor ? nameOf(next) : null;
    refs.push({ table, alias });
  }
  return refs;
}
