import { describe, expect, test } from 'vitest';
import type { CallSite } from '../../../src/sql';
import { c, parse } from './helpers';

function sites(sql: string): CallSite[] {
  const [s] = parse(sql);
  if (s === undefined || (s.kind !== 'query' && s.kind !== 'explain')) throw new Error('not a query');
  return s.callSites;
}

describe('EXPLAIN SEMANTIC', () => {
  test('parses to the rewritten inner query, flagged by its kind', () => {
    const [s] = parse("EXPLAIN SEMANTIC SELECT * FROM t WHERE a MEANS 'x' LIMIT 3");
    expect(s).toMatchObject({
      kind: 'explain',
      effect: { kind: 'read' },
      sql: `SELECT * FROM t WHERE (__sem_matches(${c('a')}, ${c("'x'")})) LIMIT 3`,
      querySpan: { start: 17, line: 1, column: 18 },
      shape: { topLevelLimit: 3 },
    });
  });
  test('works on a query without operators too', () => {
    expect(parse('explain semantic SELECT 1')[0]).toMatchObject({ kind: 'explain', sql: 'SELECT 1', callSites: [] });
  });
  test('plain EXPLAIN is DuckDB’s, rewritten like any statement', () => {
    expect(parse("EXPLAIN SELECT a MEANS 'x' FROM t")[0]).toMatchObject({
      kind: 'query',
      sql: `EXPLAIN SELECT (__sem_matches(${c('a')}, ${c("'x'")})) FROM t`,
    });
  });
});

describe('call sites', () => {
  test('operator, udf, span, args as written, shape', () => {
    const sql = "SELECT id\nFROM t WHERE lower(text)  MEANS 'a  b' AND summarize(x) IS NULL";
    expect(() => sites(sql)).toThrow(/cannot be used in WHERE/);
    const [site] = sites("SELECT id\nFROM t WHERE lower(text)  MEANS 'a  b'");
    expect(site).toMatchObject({ operator: 'matches', udf: '__sem_matches', args: ['lower(text)', "'a  b'"], shape: 'scalar', spelling: 'infix' });
    expect(site?.span).toEqual({ start: 23, end: 48, line: 2, column: 14 });
  });

  test('WHERE of the main level, AND-joined: a top-level filter', () => {
    const [a, b] = sites("SELECT * FROM t WHERE (a MEANS 'x' AND (b MEANS 'y')) AND id > 3 LIMIT 10");
    expect(a?.context).toMatchObject({ clause: 'where', depth: 0, conjunctive: true, topLevelFilter: true, underOr: false, underNot: false });
    expect(b?.context.topLevelFilter).toBe(true);
  });

  test('under OR, NOT, CASE, or compared: not a top-level filter', () => {
    const all = sites(
      "SELECT * FROM t WHERE a MEANS 'x' OR b MEANS 'y' AND NOT c MEANS 'z' AND CASE WHEN d MEANS 'w' THEN true END AND (e MEANS 'v') = true AND f NOT MEANS 'u'",
    );
    expect(all.map((s) => [s.args[0], s.context.topLevelFilter])).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
      ['d', false],
      ['e', false],
      ['f', false],
    ]);
    expect(all[0]?.context.underOr).toBe(true);
    expect(all[2]?.context.underNot).toBe(true);
    expect(all[3]?.context.underCase).toBe(true);
    expect(all[5]?.context.negated).toBe(true);
  });

  test('depth and CTE flags', () => {
    const all = sites(
      "WITH w AS (SELECT * FROM t WHERE a MEANS 'x') SELECT (SELECT b MEANS 'y') FROM w WHERE c MEANS 'z' AND id IN (SELECT id FROM u WHERE d MEANS 'q')",
    );
    expect(all.map((s) => [s.args[0], s.context.depth, s.context.inCte, s.context.clause, s.context.topLevelFilter])).toEqual([
      ['a', 1, true, 'where', false],
      ['b', 1, false, 'select', false],
      ['c', 0, false, 'where', true],
      ['d', 1, false, 'where', false],
    ]);
  });

  test('thresholded and aggregate flags', () => {
    const all = sites("SELECT author, summarize(text TRANSLATED TO 'en') FROM t WHERE text ABOUT 'x' GROUP BY author");
    expect(all.map((s) => [s.operator, s.shape, s.context.inAggregate, s.context.thresholded])).toEqual([
      ['summarize', 'aggregate', false, false],
      ['translate', 'scalar', true, false],
      ['score', 'scalar', false, true],
    ]);
  });
});

describe('statement shape', () => {
  test.each([
    [
      "SELECT * FROM t WHERE a MEANS 'x' LIMIT 10",
      { topLevelLimit: 10, hasOrderBy: false, hasAggregate: false, hasGroupBy: false, hasDistinct: false, hasWindow: false, hasSetOp: false },
    ],
    ["SELECT DISTINCT a FROM t WHERE a MEANS 'x' ORDER BY a LIMIT 5", { topLevelLimit: 5, hasOrderBy: true, hasDistinct: true }],
    ["SELECT count(*) FROM t WHERE a MEANS 'x'", { hasAggregate: true }],
    ["SELECT a, classify(b, 'x,y') FROM t GROUP BY a", { hasAggregate: true, hasGroupBy: true }],
    ["SELECT rank() OVER (ORDER BY a) FROM t WHERE a MEANS 'x' LIMIT 3", { hasWindow: true, hasOrderBy: false, hasAggregate: false, topLevelLimit: 3 }],
    ["SELECT a FROM t WHERE a MEANS 'x' UNION SELECT b FROM u LIMIT 2", { hasSetOp: true, topLevelLimit: 2 }],
    ["SELECT * FROM (SELECT * FROM t ORDER BY a LIMIT 4) WHERE a MEANS 'x'", { hasOrderBy: false }],
    ["SELECT * FROM t WHERE a MEANS 'x' LIMIT $1", {}],
  ])('%s', (sql, expected) => {
    const [s] = parse(sql);
    expect(s?.kind === 'query' ? s.shape : undefined).toMatchObject(expected);
    if (!('topLevelLimit' in expected) && s?.kind === 'query') expect(s.shape.topLevelLimit).toBeUndefined();
  });
});
