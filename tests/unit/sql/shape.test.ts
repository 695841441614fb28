import { describe, expect, test } from 'vitest';
import { earlyLimitPlan, type StatementShape } from '../../../src/sql';
import { tokenize, withoutComments } from '../../../src/sql/lexer';
import { Parser } from '../../../src/sql/parser';
import { statementShape } from '../../../src/sql/shape';
import { buildBenchQuery } from '../../../bench/cases/rewrite-query';
import { REWRITE_CORPUS } from '../../fixtures/rewrite-corpus';
import { parse, registry } from './helpers';

const NONE: StatementShape = { hasOrderBy: false, hasAggregate: false, hasGroupBy: false, hasDistinct: false, hasWindow: false, hasSetOp: false };

/** The shape read from the parse tree alone (operators count as their declared shape). */
function treeShape(sql: string): StatementShape {
  const tokens = withoutComments(tokenize(sql));
  return statementShape(new Parser({ source: sql, tokens, registry }).parseStatement());
}

/** The shape parseScript gives a one-statement script with semantic operators (tree + analysis). */
function queryShape(sql: string): StatementShape {
  const [s] = parse(sql);
  if (s?.kind !== 'query' && s?.kind !== 'explain') throw new Error(`not a semantic query: ${sql}`);
  return s.shape;
}

describe('statement shape from the parse tree', () => {
  // The cases of explain-and-context.test.ts, read from the tree directly: the same facts.
  test.each([
    ["SELECT * FROM t WHERE a MEANS 'x' LIMIT 10", { ...NONE, topLevelLimit: 10 }],
    ["SELECT DISTINCT a FROM t WHERE a MEANS 'x' ORDER BY a LIMIT 5", { ...NONE, topLevelLimit: 5, hasOrderBy: true, hasDistinct: true }],
    ["SELECT count(*) FROM t WHERE a MEANS 'x'", { ...NONE, hasAggregate: true }],
    ['SELECT a, summarize(b) FROM t GROUP BY a', { ...NONE, hasAggregate: true, hasGroupBy: true }],
    ["SELECT rank() OVER (ORDER BY a) FROM t WHERE a MEANS 'x' LIMIT 3", { ...NONE, hasWindow: true, topLevelLimit: 3 }],
    ["SELECT a FROM t WHERE a MEANS 'x' UNION SELECT b FROM u LIMIT 2", { ...NONE, hasSetOp: true, topLevelLimit: 2 }],
    ["SELECT * FROM (SELECT * FROM t ORDER BY a LIMIT 4) WHERE a MEANS 'x'", NONE],
    ["SELECT * FROM t WHERE a MEANS 'x' LIMIT $1", NONE],
  ])('%s', (sql, expected) => {
    expect(treeShape(sql)).toEqual(expected);
    expect(queryShape(sql)).toEqual(expected);
  });

  test.each([
    ['SELECT a FROM t UNION ALL SELECT b FROM u', { hasSetOp: true }],
    ['SELECT a FROM t INTERSECT SELECT b FROM u', { hasSetOp: true }],
    ['SELECT a FROM t EXCEPT SELECT b FROM u', { hasSetOp: true }],
    ['SELECT * FROM t UNION ALL BY NAME SELECT * FROM u', { hasSetOp: true }],
    ['(SELECT a FROM t) UNION (SELECT b FROM u)', { hasSetOp: true }],
    ['SELECT a FROM t UNION DISTINCT SELECT b FROM u', { hasSetOp: true, hasDistinct: false }],
    ['SELECT * FROM t WHERE a IN (SELECT b FROM u UNION SELECT c FROM v)', { hasSetOp: false }],
  ])('set operations: %s', (sql, expected) => {
    expect(treeShape(sql)).toMatchObject(expected);
  });

  test.each([
    ['SELECT DISTINCT a FROM t', { hasDistinct: true }],
    ['SELECT DISTINCT ON (a) a, b FROM t ORDER BY a', { hasDistinct: true, hasOrderBy: true }],
    ['SELECT ALL a FROM t', { hasDistinct: false }],
    ['SELECT count(DISTINCT a) FROM t', { hasDistinct: false, hasAggregate: true }],
    ['SELECT * FROM (SELECT DISTINCT a FROM t)', { hasDistinct: false }],
    ['SELECT a FROM t UNION SELECT DISTINCT b FROM u', { hasDistinct: true, hasSetOp: true }],
  ])('DISTINCT: %s', (sql, expected) => {
    expect(treeShape(sql)).toMatchObject(expected);
  });

  test.each([
    ['SELECT sum(a) OVER (PARTITION BY b) FROM t', { hasWindow: true, hasAggregate: false }],
    ['SELECT abs(rank() OVER (ORDER BY a)) FROM t', { hasWindow: true, hasOrderBy: false }],
    ['SELECT a FROM t WINDOW w AS (ORDER BY a)', { hasWindow: true, hasOrderBy: false }],
    ['SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY b) = 1', { hasWindow: true }],
    ['SELECT * FROM (SELECT rank() OVER (ORDER BY a) AS r FROM t) WHERE r < 3', { hasWindow: false }],
    ['WITH w AS (SELECT rank() OVER () AS r FROM t) SELECT * FROM w', { hasWindow: false }],
  ])('windows: %s', (sql, expected) => {
    expect(treeShape(sql)).toMatchObject(expected);
  });

  test.each([
    ['SELECT * FROM (SELECT * FROM t LIMIT 4) AS s', undefined],
    ['WITH c AS (SELECT * FROM t LIMIT 4) SELECT * FROM c', undefined],
    ['SELECT (SELECT max(a) FROM u LIMIT 1) FROM t', undefined],
    ['SELECT * FROM t WHERE id IN (SELECT id FROM u LIMIT 3)', undefined],
    ['SELECT a FROM t UNION (SELECT b FROM u LIMIT 2)', undefined],
    ['SELECT * FROM (SELECT * FROM t LIMIT 4) AS s LIMIT 7', 7],
    ['(SELECT * FROM t LIMIT 2) LIMIT 5', 5],
    ['SELECT * FROM t OFFSET 2 LIMIT 5', 5],
    ['SELECT * FROM t LIMIT 5 OFFSET 2', 5],
    ['INSERT INTO x SELECT * FROM t LIMIT 3', 3],
    ['WITH c AS (SELECT 1) INSERT INTO x SELECT * FROM c LIMIT 3', 3],
    ['SELECT * FROM t LIMIT ALL', undefined],
    ['SELECT * FROM t LIMIT 10%', undefined],
    ['SELECT * FROM t LIMIT 1 + 1', undefined],
    ['SELECT * FROM t LIMIT 10 PERCENT', undefined],
  ])('LIMIT: %s', (sql, limit) => {
    expect(treeShape(sql).topLevelLimit).toBe(limit);
  });

  test.each([
    ['SELECT coalesce(count(*), 0) FROM t', true],
    ['SELECT a FROM t ORDER BY max(b)', true],
    ['SELECT (SELECT count(*) FROM u) FROM t', false],
    ['SELECT * FROM t WHERE a > (SELECT avg(a) FROM t)', false],
    ['SELECT * FROM (SELECT a, count(*) FROM t GROUP BY a)', false],
    ['SELECT a.count() FROM t', true],
  ])('aggregates: %s', (sql, aggregate) => {
    expect(treeShape(sql).hasAggregate).toBe(aggregate);
  });

  test('a parenthesised query term is the top level, as call sites count it', () => {
    // The token scan saw only bracket depth 0, so this ORDER BY did not count and early LIMIT took
    // the first pass's 3 rows, which need not be the first 3 by a once more answers are known.
    const sql = "(SELECT * FROM t WHERE a MEANS 'x' ORDER BY a LIMIT 10) LIMIT 3";
    expect(queryShape(sql)).toMatchObject({ hasOrderBy: true, topLevelLimit: 3 });
    const [s] = parse(sql);
    expect(s?.kind === 'query' && earlyLimitPlan(s)).toMatchObject({ eligible: false });
  });

  test('classify counts as an aggregate when the analysis makes it one (no patch afterwards)', () => {
    const sql = "SELECT classify(text, 'a,b') FROM t HAVING true";
    expect(treeShape(sql).hasAggregate).toBe(false);
    expect(queryShape(sql).hasAggregate).toBe(true);
    expect(queryShape("SELECT id, classify(text, 'a,b') FROM t").hasAggregate).toBe(false);
  });

  test('every semantic aggregate at depth 0 makes the statement aggregate', () => {
    for (const sql of [...REWRITE_CORPUS.map((q) => q.sql), buildBenchQuery().sql, 'SELECT topics(text, 3), count(*) FROM t GROUP BY 1']) {
      for (const s of parse(sql)) {
        if (s.kind !== 'query') continue;
        const topAggregate = s.callSites.some((site) => site.context.depth === 0 && site.shape !== 'scalar');
        if (topAggregate) expect(s.shape.hasAggregate, sql).toBe(true);
      }
    }
  });

  test('a statement without semantic operators is not parsed: its shape holds no facts', () => {
    const [s] = parse('SELECT DISTINCT a FROM t ORDER BY a LIMIT 3');
    expect(s).toMatchObject({ kind: 'passthrough', shape: NONE });
  });
});
