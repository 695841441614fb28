import { describe, expect, test } from 'vitest';
import { SemanticSqlError, splitStatements, stringValue, tokenize } from '../../../src/sql';

const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.text]);

describe('lexer', () => {
  test('single-quoted strings with doubled quotes are one token', () => {
    expect(kinds("SELECT 'it''s MEANS x' AS a")).toEqual([
      ['word', 'SELECT'],
      ['string', "'it''s MEANS x'"],
      ['word', 'AS'],
      ['word', 'a'],
    ]);
    expect(stringValue(tokenize("'it''s'")[0]!)).toBe("it's");
  });

  test('E strings honour backslash escapes, including an escaped quote', () => {
    const [t] = tokenize("E'a\\'b\\nc'");
    expect(t?.kind).toBe('string');
    expect(t?.text).toBe("E'a\\'b\\nc'");
    expect(stringValue(t!)).toBe("a'b\nc");
  });

  test('dollar-quoted strings, with and without a tag', () => {
    expect(kinds("$$it's; MEANS$$ $tag$a $$ b$tag$ $1")).toEqual([
      ['string', "$$it's; MEANS$$"],
      ['string', '$tag$a $$ b$tag$'],
      ['param', '$1'],
    ]);
    expect(stringValue(tokenize('$q$x$q$')[0]!)).toBe('x');
  });

  test('double-quoted identifiers with doubled quotes', () => {
    expect(kinds('SELECT "a ""b"" MEANS" FROM t')).toEqual([
      ['word', 'SELECT'],
      ['quoted', '"a ""b"" MEANS"'],
      ['word', 'FROM'],
      ['word', 't'],
    ]);
  });

  test('line comments and nested block comments', () => {
    expect(kinds('a -- MEANS x\n/* outer /* inner */ still ; */ b')).toEqual([
      ['word', 'a'],
      ['comment', '-- MEANS x'],
      ['comment', '/* outer /* inner */ still ; */'],
      ['word', 'b'],
    ]);
  });

  test('numbers, including decimals, exponents, hex and underscores', () => {
    expect(kinds('1 1.5 .5 1e10 2.5E-3 0xFF 1_000 3.')).toEqual([
      ['number', '1'],
      ['number', '1.5'],
      ['number', '.5'],
      ['number', '1e10'],
      ['number', '2.5E-3'],
      ['number', '0xFF'],
      ['number', '1_000'],
      ['number', '3.'],
    ]);
  });

  test('operators follow the PostgreSQL rules for multi-character operators', () => {
    expect(kinds('a::int <> b || c ~ d != e >= f a=-1 x->>y')).toEqual([
      ['word', 'a'],
      ['op', '::'],
      ['word', 'int'],
      ['op', '<>'],
      ['word', 'b'],
      ['op', '||'],
      ['word', 'c'],
      ['op', '~'],
      ['word', 'd'],
      ['op', '!='],
      ['word', 'e'],
      ['op', '>='],
      ['word', 'f'],
      ['word', 'a'],
      ['op', '='],
      ['op', '-'],
      ['number', '1'],
      ['word', 'x'],
      ['op', '->>'],
      ['word', 'y'],
    ]);
  });

  test('every token has line, column and offset; columns count code points', () => {
    const sql = "SELECT\n  '😀' , x\n\tFROM t";
    const tokens = tokenize(sql);
    const pos = tokens.map((t) => [t.text, t.line, t.column, t.start]);
    expect(pos).toEqual([
      ['SELECT', 1, 1, 0],
      ["'😀'", 2, 3, 9],
      [',', 2, 7, 14],
      ['x', 2, 9, 16],
      ['FROM', 3, 2, 19],
      ['t', 3, 7, 24],
    ]);
    for (const t of tokens) expect(sql.slice(t.start, t.end)).toBe(t.text);
  });

  test('lines advance past multi-line strings and comments', () => {
    const tokens = tokenize("'a\nb' /* c\n d */ x");
    expect(tokens.at(-1)).toMatchObject({ text: 'x', line: 3, column: 7 });
  });

  test('prefixed strings: X, B, N and U& forms', () => {
    expect(kinds("X'ff' B'01' N'x' U&'d\\0061'")).toEqual([
      ['string', "X'ff'"],
      ['string', "B'01'"],
      ['string', "N'x'"],
      ['string', "U&'d\\0061'"],
    ]);
  });

  test('unicode identifiers are words', () => {
    expect(kinds('SELECT café, 日本語 FROM tëst')).toEqual([
      ['word', 'SELECT'],
      ['word', 'café'],
      ['punct', ','],
      ['word', '日本語'],
      ['word', 'FROM'],
      ['word', 'tëst'],
    ]);
  });

  test.each([
    ["SELECT 'abc", 1, 8, 'unterminated string'],
    ['SELECT "abc', 1, 8, 'unterminated quoted identifier'],
    ['SELECT 1 /* a /* b */', 1, 10, 'unterminated block comment'],
    ['SELECT\n  $x$ abc', 2, 3, 'unterminated dollar-quoted string'],
  ])('unterminated literal %j is a positioned error', (sql, line, column, message) => {
    let error: unknown;
    try {
      tokenize(sql);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SemanticSqlError);
    expect(error).toMatchObject({ line, column, detail: message });
  });
});

describe('splitStatements', () => {
  test('splits on top-level semicolons only, with source spans', () => {
    const sql = 'SELECT \'a;b\';\n-- c; d\nSELECT "x;y" /* ; */ FROM t ;SELECT $$;$$;;';
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.text)).toEqual(["SELECT 'a;b'", 'SELECT "x;y" /* ; */ FROM t', 'SELECT $$;$$']);
    for (const s of statements) expect(sql.slice(s.span.start, s.span.end)).toBe(s.text);
    expect(statements[1]?.span).toMatchObject({ line: 3, column: 1 });
    expect(statements[1]?.leading.map((t) => t.text)).toEqual(['-- c; d']);
  });

  test('a script with no statements gives none', () => {
    expect(splitStatements('  -- nothing\n ; ;')).toEqual([]);
  });
});
