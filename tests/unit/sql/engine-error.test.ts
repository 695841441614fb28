import { describe, expect, test } from 'vitest';
import { engineErrorInUserTerms, SemanticSqlError, sourceSpanAt, type QueryStatement } from '../../../src/sql';
import { parse } from './helpers';

/** DuckDB's message for an error at `offset` of `sql` (its LINE excerpt and caret, doubled as its parser does). */
function duckdbError(head: string, sql: string, offset: number, times = 1): Error {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineText = sql.slice(lineStart).split('\n')[0] ?? '';
  const prefix = `LINE ${line}: `;
  const excerpt = `\n\n${prefix}${lineText}\n${' '.repeat(prefix.length + offset - lineStart)}^`;
  return new Error(head + excerpt.repeat(times));
}

function only(sql: string): QueryStatement {
  const [s] = parse(sql);
  if (s?.kind !== 'query') throw new Error(`expected a query: ${sql}`);
  return s;
}

describe('DuckDB errors in the user’s terms (issue 18)', () => {
  test('an unknown column inside a semantic operator is placed at the column as the user wrote it, with no __sem_ or CAST', () => {
    const sql = "SELECT id, txt FROM tweets WHERE txt MEANS 'x'";
    const s = only(sql);
    const inCast = s.sql.indexOf('CAST(txt') + 'CAST('.length;
    const mapped = engineErrorInUserTerms(
      duckdbError('Binder Error: Referenced column "txt" not found in FROM clause!\nCandidate bindings: "text"', s.sql, inCast),
      s,
      sql,
    );
    expect(mapped).toBeInstanceOf(SemanticSqlError);
    const e = mapped as SemanticSqlError;
    expect(e.offset).toBe(sql.indexOf('txt MEANS'));
    expect([e.line, e.column, e.token]).toEqual([1, sql.indexOf('txt MEANS') + 1, 'txt']);
    const shown = e.format(sql);
    expect(shown).toContain('"txt"');
    expect(shown).not.toMatch(/__sem_|CAST\(|LINE 1/);
    expect(shown.match(/\^/g)?.length).toBe(3);
    expect(shown.split('\n')[1]).toBe(`1 | ${sql}`);
  });

  test('a parser error of a plain statement shows one excerpt, not DuckDB’s two', () => {
    const sql = 'SELEC id FROM tweets';
    const [s] = parse(sql);
    if (s?.kind !== 'passthrough') throw new Error('expected passthrough');
    const mapped = engineErrorInUserTerms(duckdbError('Parser Error: syntax error at or near "SELEC"', s.sql, 0, 2), s, sql) as SemanticSqlError;
    const shown = mapped.format(sql);
    expect(shown.match(/\^/g)?.length).toBe(5);
    expect(shown).not.toContain('LINE');
    expect(mapped.detail).toBe('Parser Error: syntax error at or near "SELEC"');
  });

  test('DuckDB-WASM’s JSON error record is read too: its message and its position', () => {
    const sql = 'SELECT 1;\nSELEC id FROM tweets';
    const s = parse(sql)[1];
    if (s?.kind !== 'passthrough') throw new Error('expected passthrough');
    const record = JSON.stringify({
      exception_type: 'Parser',
      exception_message: 'syntax error at or near "SELEC"\n\nLINE 1: SELEC id FROM tweets\n        ^',
      error_subtype: 'SYNTAX_ERROR',
      position: '0',
    });
    const mapped = engineErrorInUserTerms(new Error(record), s, sql) as SemanticSqlError;
    expect([mapped.line, mapped.column, mapped.token, mapped.detail]).toEqual([2, 1, 'SELEC', 'Parser Error: syntax error at or near "SELEC"']);
    expect(mapped.format(sql)).not.toContain('LINE');
  });

  test('positions count from the statement’s place in a script of several statements and lines', () => {
    const sql = "SELECT 1;\n-- @ threshold: 0.7\nSELECT id,\n  txt FROM tweets WHERE text ABOUT 'x'";
    const s = parse(sql)[1];
    if (s?.kind !== 'query') throw new Error('expected a query');
    const offset = s.sql.indexOf('txt');
    const mapped = engineErrorInUserTerms(
      duckdbError('Binder Error: Referenced column "txt" not found in FROM clause!', s.sql, offset),
      s,
      sql,
    ) as SemanticSqlError;
    expect([mapped.line, mapped.column, mapped.token]).toEqual([4, 3, 'txt']);
  });

  test('an error inside what the rewriter wrote points at the operator use and names it as written', () => {
    const sql = "SELECT text MEANS 'x' FROM tweets";
    const s = only(sql);
    const mapped = engineErrorInUserTerms(
      duckdbError('Catalog Error: Scalar Function with name __sem_matches does not exist!', s.sql, s.sql.indexOf('__sem_matches')),
      s,
      sql,
    ) as SemanticSqlError;
    expect(mapped.offset).toBe(sql.indexOf('text'));
    expect(mapped.detail).toBe('Catalog Error: Scalar Function with name matches does not exist!');
    const expression = engineErrorInUserTerms(
      new Error(`Binder Error: No function matches the given name and argument types 'lower(${s.sql.slice(7, s.sql.indexOf(' FROM'))})'`),
      s,
      sql,
    ) as Error;
    expect(expression.message).toContain("lower(text MEANS 'x')");
    expect(expression.message).not.toContain('__sem_');
  });

  test('errors that are not DuckDB’s pass through untouched', () => {
    const s = only("SELECT text MEANS 'x' FROM t");
    const cancelled = new Error('query cancelled');
    expect(engineErrorInUserTerms(cancelled, s, 'x')).toBe(cancelled);
  });

  test('the source map sends copied text back character by character, written text to its operator use', () => {
    const sql = "SELECT id, text ABOUT 'bread' AS s FROM tweets";
    const s = only(sql);
    expect(sourceSpanAt(s.sourceMap, s.sql.indexOf('id'))).toEqual({ start: sql.indexOf('id'), end: sql.indexOf('id') + 1 });
    expect(sourceSpanAt(s.sourceMap, s.sql.indexOf("'bread'"))?.start).toBe(sql.indexOf("'bread'"));
    expect(sourceSpanAt(s.sourceMap, s.sql.indexOf('__sem_score'))).toEqual({ start: sql.indexOf('text ABOUT'), end: sql.indexOf(' AS s') });
    expect(sourceSpanAt(s.sourceMap, s.sql.indexOf(' FROM tweets') + 1)?.start).toBe(sql.indexOf('FROM'));
  });
});
