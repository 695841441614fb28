import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SemanticSqlError, tokenize } from '../../../src/sql';
import { REWRITE_CORPUS } from '../../fixtures/rewrite-corpus';
import { parse } from './helpers';

/**
 * Plain DuckDB SQL that holds no semantic operator, but is full of traps: columns named like
 * operators, operator words in strings, quoted identifiers and comments, odd spacing.
 */
const column = fc.constantFrom('id', 'text', 't.author', 'likes', 'means', 'about', 'ask', 'summarize', 'matches', '"MEANS"', '"a b"', 'café', '日本', 'x1');
const literal = fc.constantFrom(
  "'x MEANS y'",
  "'it''s ABOUT'",
  '42',
  '3.5',
  'NULL',
  'TRUE',
  "E'\\' ALIGNS'",
  '$$ x ~ y $$',
  "DATE '2024-01-01'",
  "'😀'",
  "INTERVAL '1' DAY",
);
const space = fc.constantFrom(' ', '  ', '\n', '\t', ' /* a MEANS b */ ', ' -- x ABOUT y\n', '\r\n');
const binary = fc.constantFrom('=', '<>', '<', '>=', '+', '-', '*', '||', 'AND', 'OR', 'LIKE', 'IS DISTINCT FROM');
const fn = fc.constantFrom('lower', 'upper', 'coalesce', 'length', 'abs', 'concat');

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    column,
    literal,
    fc.tuple(tie('expr'), space, binary, space, tie('expr')).map(([a, s1, op, s2, b]) => `${a}${s1}${op}${s2}${b}`),
    fc.tuple(fn, tie('expr')).map(([f, a]) => `${f}(${a})`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `NOT ${a}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `CASE WHEN ${a} THEN ${b} ELSE NULL END`),
    tie('expr').map((a) => `CAST(${a} AS VARCHAR)`),
    tie('expr').map((a) => `${a} IS NOT NULL`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} IN (${b}, 1)`),
    tie('expr').map((a) => `${a}::VARCHAR`),
    tie('expr').map((a) => `(SELECT max(${a}) FROM u)`),
    tie('expr').map((a) => `count(DISTINCT ${a})`),
  ),
}));

const alias = fc.option(fc.constantFrom(' AS means', ' AS "about"', ' s', ' AS x'), { nil: '' });
const selectItem = fc.tuple(expr, alias).map(([e, a]) => `${e}${a}`);
const plainQuery = fc
  .record({
    with: fc.option(
      expr.map((e) => `WITH w AS (SELECT ${e} AS v FROM t) `),
      { nil: '' },
    ),
    items: fc.array(selectItem, { minLength: 1, maxLength: 4 }),
    from: fc.constantFrom('t', 'tweets t JOIN labels l ON t.id = l.id', '(SELECT * FROM t) AS sub', "read_csv('x.csv')", 'w'),
    where: fc.option(
      expr.map((e) => ` WHERE ${e}`),
      { nil: '' },
    ),
    group: fc.option(fc.constantFrom(' GROUP BY 1', ' GROUP BY ALL', ' GROUP BY means HAVING count(*) > 1'), { nil: '' }),
    order: fc.option(fc.constantFrom(' ORDER BY 1 DESC', ' ORDER BY about NULLS LAST'), { nil: '' }),
    limit: fc.option(fc.constantFrom(' LIMIT 10', ' LIMIT 5 OFFSET 2'), { nil: '' }),
    union: fc.option(fc.constant(' UNION ALL SELECT 1'), { nil: '' }),
  })
  .map((q) => `${q.with}SELECT ${q.items.join(', ')} FROM ${q.from}${q.where}${q.group}${q.union}${q.order}${q.limit}`);

function expectOnlyPositionedErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SemanticSqlError)) throw e;
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(Number.isInteger(e.column) && e.column >= 1).toBe(true);
    expect(typeof e.expected).toBe('string');
  }
}

describe('properties', () => {
  test('the rewriter is the identity on SQL with no semantic operator', () => {
    fc.assert(
      fc.property(fc.array(plainQuery, { minLength: 1, maxLength: 3 }), (queries) => {
        const script = queries.join(';\n');
        const statements = parse(script);
        expect(statements).toHaveLength(queries.length);
        for (const s of statements) {
          expect(s.kind).toBe('passthrough');
          if (s.kind === 'passthrough') {
            expect(s.sql).toBe(s.text);
            expect(script.slice(s.span.start, s.span.end)).toBe(s.text);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test('arbitrary text: success or a positioned error, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcMEANSABOUT (),;\'"$-/*\n~:.=<>0123456789'.split('')), maxLength: 80 }), (text) => {
        expectOnlyPositionedErrors(() => parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('mutated semantic queries: success or a positioned error, quickly', () => {
    const seeds = REWRITE_CORPUS.map((q) => q.sql);
    const junk = [
      '(',
      ')',
      ',',
      "'",
      'MEANS',
      'NOT',
      'ABOUT',
      'CASE',
      'END',
      'AND',
      'summarize(',
      'GROUP BY',
      'topics(x, 2)',
      '$$',
      '"',
      '/*',
      '--',
      'AS',
      'RELEVANCE',
      'TO',
      'IS',
      'VALID',
      'ASK',
      'FROM',
      'SELECT',
      ';',
      'WHEN',
    ];
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      ops: fc.array(
        fc.record({
          kind: fc.constantFrom('delete', 'insert', 'duplicate', 'swap', 'truncate'),
          at: fc.nat(),
          other: fc.nat(),
          junk: fc.constantFrom(...junk),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, ops }) => {
        let sql = seeds[seed] ?? '';
        for (const op of ops) {
          let tokens: string[];
          try {
            tokens = tokenize(sql).map((t) => t.text);
          } catch {
            tokens = sql.split(/\s+/);
          }
          if (tokens.length === 0) break;
          const i = op.at % tokens.length;
          const j = op.other % tokens.length;
          if (op.kind === 'delete') tokens.splice(i, 1);
          else if (op.kind === 'insert') tokens.splice(i, 0, op.junk);
          else if (op.kind === 'duplicate') tokens.splice(i, 0, tokens[i] ?? '');
          else if (op.kind === 'swap') [tokens[i], tokens[j]] = [tokens[j] ?? '', tokens[i] ?? ''];
          else tokens = tokens.slice(0, i);
          sql = tokens.join(' ');
        }
        expectOnlyPositionedErrors(() => parse(sql));
      }),
      { numRuns: 3000 },
    );
  });

  test('rewrites are deterministic and idempotent on their own output’s plain parts', () => {
    for (const { sql } of REWRITE_CORPUS) {
      const once = parse(sql);
      expect(parse(sql)).toEqual(once);
      const last = once.at(-1);
      if (last?.kind !== 'query') throw new Error(`not a query: ${sql}`);
      // The output holds only bridge calls: running it again finds nothing semantic.
      expect(parse(last.sql)[0]?.kind).toBe('passthrough');
    }
  });

  test('a long query (4,000 operator uses) is rewritten, every use found', () => {
    const item = "text MEANS 'x' AND (a || b) ABOUT 'y' > 0.3";
    const sql = `SELECT id FROM t WHERE ${Array.from({ length: 2000 }, () => item).join(' AND ')}`;
    const last = parse(sql).at(-1);
    expect(last?.kind === 'query' ? last.callSites.length : 0).toBe(4000);
  });
});

test('absurd nesting is a positioned error, not a stack overflow', () => {
  for (const sql of [
    `SELECT ${'('.repeat(5000)}a MEANS 'x'${')'.repeat(5000)}`,
    `SELECT * FROM ${'(SELECT * FROM '.repeat(2000)}t${')'.repeat(2000)} WHERE a MEANS 'x'`,
    `SELECT * FROM ${'('.repeat(3000)}t${')'.repeat(3000)} WHERE a MEANS 'x'`,
    `SELECT ${'NOT '.repeat(5000)} a MEANS 'x'`,
    `SELECT ${'- '.repeat(5000)}1 WHERE a MEANS 'x'`,
  ]) {
    expect(() => parse(sql)).toThrow(SemanticSqlError);
  }
});
