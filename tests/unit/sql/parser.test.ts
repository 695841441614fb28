import { describe, expect, test } from 'vitest';
import { SemanticSqlError } from '../../../src/sql';
import { tokenize, withoutComments } from '../../../src/sql/lexer';
import { TokenCursor } from '../../../src/sql/token-cursor';
import { c, registry, rewrite } from './helpers';

function cursorOver(source: string): TokenCursor {
  return new TokenCursor({ source, tokens: withoutComments(tokenize(source)), registry });
}

describe('parser loop guards (issue 15)', () => {
  test('a round that reads no token is an error at the token where the parser stuck', () => {
    const cursor = cursorOver('SELECT a\nFROM t');
    cursor.pos = 2;
    expect(() => cursor.assertProgress(2, 'a FROM list')).toThrow(SemanticSqlError);
    expect(() => cursor.assertProgress(2, 'a FROM list')).toThrow(
      expect.objectContaining({ line: 2, column: 1, offset: 9, token: 'FROM', detail: expect.stringMatching(/stuck in a FROM list/) }),
    );
  });

  test('a round that read a token passes, and a stop at the end of input points past the last token', () => {
    const cursor = cursorOver('SELECT a');
    cursor.pos = 2;
    expect(() => cursor.assertProgress(1, 'a list item')).not.toThrow();
    expect(() => cursor.assertProgress(2, 'a list item')).toThrow(expect.objectContaining({ line: 1, column: 9, token: '' }));
  });

  test('no silent cap: a call with more than ten suffixes is read to its end, and the operator after it found', () => {
    // The suffix loop used to stop quietly after ten rounds, leaving MEANS unrewritten.
    const suffixes = 'IGNORE NULLS '.repeat(11);
    expect(rewrite(`SELECT * FROM t WHERE lower(a) ${suffixes}MEANS 'x'`)).toBe(
      `SELECT * FROM t WHERE (__sem_matches(${c(`lower(a) ${suffixes.trimEnd()}`)}, ${c("'x'")}))`,
    );
  });
});
