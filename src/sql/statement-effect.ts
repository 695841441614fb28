import type { Token } from './lexer';
import type { TransactionAction } from './types';

/**
 * What running a statement does to the database, which decides how the executor may repeat it
 * (docs/design.md, "Statements that write, and paying once"). Passes re-run a statement until every
 * semantic answer is known, so:
 * - `read`: safe to run any number of times (queries, and utility statements that change nothing a
 *   later pass would see twice: SET, PRAGMA, DESCRIBE, ...);
 * - `write`: each pass runs inside a transaction that is rolled back while answers are missing; the
 *   pass that finds every answer is committed, so the statement takes effect exactly once;
 * - `copy`: COPY ... TO writes a file, which no rollback undoes: its source is resolved by read
 *   passes first, then the COPY runs once;
 * - `transaction`: BEGIN / COMMIT / ROLLBACK, run once as written.
 */
export type StatementClass = { kind: 'read' } | { kind: 'write' } | { kind: 'copy'; source: CopySource } | { kind: 'transaction'; action: TransactionAction };

/** The rows a COPY ... TO writes: a query in brackets (token range) or a table with optional columns. */
export type CopySource = { kind: 'query'; from: number; to: number } | { kind: 'table'; table: string; columns: string | null };

const READ_FIRST = new Set([
  'SELECT',
  'FROM',
  'VALUES',
  'TABLE',
  'SUMMARIZE',
  'DESCRIBE',
  'SHOW',
  'PIVOT',
  'UNPIVOT',
  // Utility statements: repeating them changes nothing a pass could see twice.
  'SET',
  'RESET',
  'PRAGMA',
  'LOAD',
  'INSTALL',
  'USE',
  'CALL',
  'EXPORT',
  'CHECKPOINT',
  'FORCE',
  'VACUUM',
  'ATTACH',
  'DETACH',
]);
const BEGIN = new Set(['BEGIN', 'START']);
const COMMIT = new Set(['COMMIT', 'END']);
const ROLLBACK = new Set(['ROLLBACK', 'ABORT']);
const WRITE_AFTER_WITH = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** `tokens`: a statement's code tokens (no comments). */
export function classifyStatement(tokens: readonly Token[]): StatementClass {
  const first = tokens[0];
  if (first === undefined) return { kind: 'read' };
  if (first.kind === 'punct' && first.text === '(') return { kind: 'read' };
  const word = first.kind === 'word' ? first.upper : '';
  if (BEGIN.has(word)) return { kind: 'transaction', action: 'begin' };
  if (COMMIT.has(word)) return { kind: 'transaction', action: 'commit' };
  if (ROLLBACK.has(word)) return { kind: 'transaction', action: 'rollback' };
  if (word === 'WITH') return writesAfterCtes(tokens) ? { kind: 'write' } : { kind: 'read' };
  // EXPLAIN ANALYZE runs the statement it explains.
  if (word === 'EXPLAIN') return tokens[1]?.upper === 'ANALYZE' ? { kind: 'write' } : { kind: 'read' };
  if (word === 'COPY') {
    const source = copyToSource(tokens);
    return source === null ? { kind: 'write' } : { kind: 'copy', source };
  }
  return READ_FIRST.has(word) ? { kind: 'read' } : { kind: 'write' };
}

/** `WITH ... INSERT/UPDATE/DELETE`: a write keyword at bracket depth 0 after the CTEs. */
function writesAfterCtes(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    } else if (depth === 0 && t.kind === 'word' && WRITE_AFTER_WITH.has(t.upper)) return true;
  }
  return false;
}

/**
 * The source of `COPY (query) TO ...` or `COPY table [(columns)] TO ...`; null for COPY ... FROM
 * (an import, which is an ordinary write).
 */
function copyToSource(tokens: readonly Token[]): CopySource | null {
  const open = tokens[1];
  if (open?.kind === 'punct' && open.text === '(') {
    const close = matching(tokens, 1);
    if (close < 0 || tokens[close + 1]?.upper !== 'TO') return null;
    return { kind: 'query', from: 2, to: close };
  }
  // A possibly qualified table name, then an optional column list.
  let i = 1;
  const parts: string[] = [];
  while (tokens[i] !== undefined && (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'quoted')) {
    parts.push((tokens[i] as Token).text);
    if (tokens[i + 1]?.text !== '.') break;
    i += 2;
  }
  if (parts.length === 0) return null;
  i++;
  let columns: string | null = null;
  if (tokens[i]?.kind === 'punct' && tokens[i]?.text === '(') {
    const close = matching(tokens, i);
    if (close < 0) return null;
    columns = tokens
      .slice(i + 1, close)
      .map((t) => t.text)
      .join(' ');
    i = close + 1;
  }
  if (tokens[i]?.upper !== 'TO') return null;
  return { kind: 'table', table: parts.join('.'), columns };
}

function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) return i;
  }
  return -1;
}
