import { describe, expect, test } from 'vitest';
import { SemanticSqlError } from '../../../src/sql';
import { parseError } from './helpers';

describe('positioned errors', () => {
  test.each([
    // [sql, line, column, token, expected]
    ['SELECT * FROM t\nWHERE text MEANS', 2, 17, '', 'an expression after MEANS'],
    ['SELECT * FROM t WHERE text MEANS GROUP BY a', 1, 34, 'GROUP', 'an expression after MEANS'],
    ['SELECT * FROM t WHERE a NOT MEANS )', 1, 1, '', ''],
    ['SELECT summarize(a, b) FROM t', 1, 8, 'summarize', '1 argument'],
    ['SELECT matches(a) FROM t', 1, 17, ')', '2 arguments'],
    ["SELECT classify(a, 'x',) FROM t", 1, 24, ')', 'an argument'],
    ['SELECT summarize(count(a)) FROM t', 1, 18, 'count', 'a value per row'],
    ['SELECT summarize(themes(a)) FROM t', 1, 18, 'themes', 'a value per row'],
    ['SELECT max(summarize(a)) FROM t', 1, 12, 'summarize', 'a value per row'],
    ['SELECT summarize(a) OVER () FROM t', 1, 21, 'OVER', 'a semantic aggregate without OVER'],
    ["SELECT * FROM t WHERE summarize(a) MEANS 'x'", 1, 23, 'summarize', 'a per-row expression'],
    ["SELECT a NOT TRANSLATED TO 'fr' FROM t", 1, 10, 'NOT', 'a condition after NOT'],
    ["SELECT CASE WHEN a MEANS 'x' THEN 1 FROM t", 1, 37, 'FROM', 'END to close the CASE at line 1'],
    ["SELECT (a MEANS 'x' FROM t", 1, 8, '(', "a closing ')'"],
    ["SELECT a MEANS 'x') FROM t", 1, 19, ')', 'an opening bracket before it'],
    ['SELECT DISTINCT condense(DISTINCT a) FROM t', 1, 17, 'condense', 'an aggregate'],
    ['SELECT * FROM t WHERE (text MEANS) AND x', 1, 34, ')', 'an expression after MEANS'],
    ["SELECT * FROM t WHERE text MEANS 'x' AND", 1, 41, '', 'an expression after AND'],
    ['SELECT * FROM t WHERE text IS VALID', 1, 36, '', 'an expression after IS VALID'],
    ["SELECT ASK 'q' FROM FROM t", 1, 21, 'FROM', 'an expression after ASK ... FROM'],
    // llm's prompt is instructions: a column there would let row data instruct the model (issue 14).
    ['SELECT llm(text, text) FROM t', 1, 12, 'text', 'the prompt as a string literal'],
    ["SELECT llm('Is ' || text, text) FROM t", 1, 12, "'Is '", 'the prompt as a string literal'],
  ])('%j', (sql, line, column, token, expected) => {
    const error = parseError(sql);
    if (expected === '') {
      expect(error).toBeInstanceOf(SemanticSqlError);
      return;
    }
    expect({ line: error.line, column: error.column, token: error.token, expected: error.expected }).toEqual({ line, column, token, expected });
    expect(sql.slice(error.offset, error.offset + token.length)).toBe(token);
  });

  test('the message names position, expectation and token', () => {
    const error = parseError('SELECT a FROM t\nWHERE b ABOUT GROUP BY 1');
    expect(error.message).toBe("line 2, column 15: expected an expression after ABOUT, found 'GROUP'");
  });

  test('format renders the source line with a caret under the token', () => {
    const sql = 'SELECT a\nFROM t WHERE b MEANS\n  GROUP BY 1';
    const error = parseError(sql);
    expect(error.format(sql)).toBe(["line 3, column 3: expected an expression after MEANS, found 'GROUP'", '3 |   GROUP BY 1', '  |   ^^^^^'].join('\n'));
  });

  test('the caret lines up after tabs and wide characters', () => {
    const sql = "SELECT '😀',\tsummarize(a, b) FROM t";
    const error = parseError(sql);
    expect(error.column).toBe(13);
    expect(error.format(sql).split('\n')[2]).toBe(`  | ${' '.repeat(11)}\t^^^^^^^^^`);
  });

  test('an error at the end of input points just past the last token', () => {
    const sql = 'SELECT a FROM t WHERE b MEANS';
    const error = parseError(sql);
    expect(error).toMatchObject({ line: 1, column: 30, token: '' });
    expect(error.format(sql)).toContain('found end of input\n1 | SELECT a FROM t WHERE b MEANS\n  |                              ^');
  });
});
