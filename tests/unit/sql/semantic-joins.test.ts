import { beforeAll, describe, expect, test } from 'vitest';
import type { QueryStatement, SemanticJoin } from '../../../src/sql';
import { nodeDuckDb, type NodeDuckDb } from '../support/node-duckdb';
import { c, parse, parseError } from './helpers';

/**
 * Issue 24: which conditions are semantic join conditions, and the query that lists the pairs each
 * is asked about. The shapes are checked in real DuckDB: the pairs the query lists are exactly the
 * argument lists the bridge function is called with when the statement runs.
 */

function joinsOf(sql: string): SemanticJoin[] {
  const statements = parse(sql);
  const last = statements[statements.length - 1] as QueryStatement;
  return last.joins ?? [];
}

function only(sql: string): SemanticJoin {
  const joins = joinsOf(sql);
  expect(joins).toHaveLength(1);
  return joins[0] as SemanticJoin;
}

describe('recognising semantic join conditions', () => {
  test('an infix yes/no operator in ON, its sides and where it is written', () => {
    const j = only("SELECT p.name, c.cat FROM prods p JOIN cats c ON p.name MEANS ('a product in the category ' || c.cat)");
    expect(j).toMatchObject({
      operator: 'matches',
      clause: 'on',
      sides: [0, 1],
      sideText: ['p.name', "('a product in the category ' || c.cat)"],
      holds: { kind: 'yes' },
    });
    expect(j.span).toMatchObject({ line: 1, column: 50 });
    expect(j.pairsSql).toBe(
      `SELECT a0, a1, count(*) AS n FROM (SELECT ${c('p.name')} AS a0, ${c("('a product in the category ' || c.cat)")} AS a1 FROM prods p JOIN cats c ON TRUE) AS __semsql_pairs WHERE a0 IS NOT NULL AND a1 IS NOT NULL GROUP BY ALL`,
    );
  });

  test('a function in a WHERE over two relations, its constant argument kept, an omitted default written', () => {
    const j = only("SELECT * FROM prods, cats WHERE match_pair(prods.name, cats.cat, 'the product belongs to the category') AND prods.price > 3");
    expect(j).toMatchObject({ operator: 'match_pair', clause: 'where', sides: [0, 1] });
    expect(j.pairsSql).toContain(`FROM prods, cats WHERE TRUE AND prods.price > 3`);
    expect(j.pairsSql).toContain(`${c("'the product belongs to the category'")} AS a2`);
    expect(only('SELECT * FROM a, b WHERE match_pair(a.x, b.y)').pairsSql).toContain(`${c("'same entity'")} AS a2`);
  });

  test('ordinary conditions stay in the pairs query; only the semantic one becomes TRUE', () => {
    const j = only('SELECT * FROM r1 JOIN r2 ON r1.id = r2.id AND r1.k < r2.k AND r1.text CONTRADICTS r2.text');
    expect(j.pairsSql).toContain('ON r1.id = r2.id AND r1.k < r2.k AND TRUE)');
  });

  test('scores: alone in a condition (the threshold), or compared with a number either way round', () => {
    expect(only('-- @ threshold: 0.7\nSELECT * FROM a JOIN b ON a.t ALIGNS b.s').holds).toEqual({ kind: 'above', threshold: 0.7, inclusive: false });
    expect(only('SELECT * FROM a JOIN b ON a.t SIMILAR_TO b.s > 0.3').holds).toEqual({ kind: 'above', threshold: 0.3, inclusive: false });
    expect(only('SELECT * FROM a JOIN b ON a.t SIMILAR_TO b.s >= 0.3').holds).toEqual({ kind: 'above', threshold: 0.3, inclusive: true });
    expect(only('SELECT * FROM a JOIN b ON 0.4 <= (a.t SIMILAR_TO b.s)').holds).toEqual({ kind: 'above', threshold: 0.4, inclusive: true });
    expect(only('SELECT * FROM a JOIN b ON similar_to(a.t, b.s) > 0.25').holds).toEqual({ kind: 'above', threshold: 0.25, inclusive: false });
    expect(joinsOf('SELECT * FROM a JOIN b ON a.t SIMILAR_TO b.s < 0.3')).toEqual([]);
    expect(joinsOf('SELECT * FROM a JOIN b ON a.t SIMILAR_TO b.s = 0.3')).toEqual([]);
  });

  test('every listed operator, and user operators with two text arguments', () => {
    for (const cond of [
      'a.x MEANS b.y',
      'a.x MATCHES b.y',
      'a.x IMPLIES b.y',
      'a.x CONTRADICTS b.y',
      'a.x SAME_AS b.y',
      'match_pair(a.x, b.y)',
      'a.x ALIGNS b.y',
      'a.x SIMILAR_TO b.y > 0.5',
    ]) {
      expect(joinsOf(`SELECT * FROM a JOIN b ON ${cond}`), cond).toHaveLength(1);
    }
    const created = "CREATE SEMANTIC FUNCTION opposite(x VARCHAR, y VARCHAR) RETURNS BOOLEAN AS 'Do {{x}} and {{y}} say opposite things?';\n";
    expect(only(`${created}SELECT * FROM r1, r2 WHERE r1.id < r2.id AND opposite(r1.text, r2.text)`)).toMatchObject({ operator: 'opposite', clause: 'where' });
  });

  test('conditions that are not joins, or that no plan could answer, are left alone', () => {
    const none = [
      "SELECT * FROM t WHERE text MEANS 'a complaint'", // one side is a constant
      'SELECT * FROM t WHERE t.a MEANS t.b', // one relation
      'SELECT * FROM a JOIN b ON a.x NOT MEANS b.y', // holds for most pairs
      'SELECT * FROM a JOIN b ON a.x MEANS b.y OR a.id = b.id', // not a conjunct
      'SELECT * FROM a JOIN b ON NOT (a.x MEANS b.y)',
      'SELECT * FROM a JOIN b ON CASE WHEN a.x MEANS b.y THEN TRUE END',
      'SELECT * FROM a ANTI JOIN b ON a.x MEANS b.y', // keeps what matches nothing
      'SELECT * FROM a, b WHERE match_pair(a.x, b.y, a.rel)', // three arguments vary
      'SELECT a.x MEANS b.y AS hit FROM a, b', // not a condition
      'SELECT * FROM a WHERE a.x MEANS a.y', // WHERE over one relation
    ];
    for (const sql of none) expect(joinsOf(sql), sql).toEqual([]);
  });

  test("the pairs of a condition in an outer join's ON ignore the WHERE; of an inner one they do not", () => {
    expect(only('SELECT * FROM a LEFT JOIN b ON a.x MEANS b.y WHERE b.y IS NULL').pairsSql).not.toContain('IS NULL AND');
    expect(only('SELECT * FROM a LEFT JOIN b ON a.x MEANS b.y WHERE b.y IS NULL').pairsSql).toContain('ON TRUE) AS __semsql_pairs');
    expect(only('SELECT * FROM a JOIN b ON a.x MEANS b.y WHERE a.k > 1').pairsSql).toContain('ON TRUE WHERE a.k > 1)');
  });

  test('a second semantic join condition is asked of the pairs the first leaves: TRUE in the pairs query', () => {
    const j = only('SELECT * FROM a JOIN b ON a.x MEANS b.y AND a.z SAME_AS b.w');
    expect(j.operator).toBe('matches');
    expect(j.pairsSql).toContain('ON TRUE AND TRUE)');
  });

  test('a join inside a CTE or a derived table lists its pairs with the WITH it may read', () => {
    const j = only('WITH m AS (SELECT * FROM a JOIN b ON a.x MEANS b.y), n AS (SELECT 1) SELECT count(*) FROM m');
    expect(j.pairsSql.startsWith('WITH m AS (SELECT * FROM a JOIN b ON TRUE), n AS (SELECT 1) SELECT a0, a1')).toBe(true);
    expect(only('SELECT * FROM (SELECT a.id FROM a, b WHERE a.x MEANS b.y) d').pairsSql).toContain('FROM a, b WHERE TRUE)');
  });
});

describe('-- @ join', () => {
  const joinOf = (annotation: string) => parse(`-- @ join: ${annotation}\nSELECT 1`)[0]?.options.join;

  test('exact, classify, or targets with a default confidence', () => {
    expect(joinOf('exact')).toBe('exact');
    expect(joinOf('off')).toBe('exact');
    expect(joinOf('Classify')).toBe('classify');
    expect(joinOf('recall 0.95')).toEqual({ recall: 0.95, confidence: 0.9 });
    expect(joinOf('recall 0.9, precision 0.8, confidence 0.95, seed 7')).toEqual({ recall: 0.9, precision: 0.8, confidence: 0.95, seed: 7 });
    expect(parse('SELECT 1')[0]?.options.join).toBeUndefined();
  });

  test('anything else is an error that says what is expected', () => {
    for (const bad of ['', 'fast', 'precision 0.9', 'recall 1', 'recall 0.9, recall 0.8', 'recall 0.9, confidence 1', 'recall 95%']) {
      expect(parseError(`-- @ join: ${bad}\nSELECT 1`).message, bad).toMatch(/exact, classify, or targets such as "recall 0\.95"/);
    }
  });
});

describe('the pairs query, in DuckDB', () => {
  let db: NodeDuckDb;
  beforeAll(async () => {
    db = await nodeDuckDb();
    db.rows(
      `CREATE TABLE prods AS SELECT * FROM (VALUES (1, 'trail running shoes', 40.0), (2, 'chef knife', 25.5), (3, 'trail running shoes', 45.0), (4, NULL, 3.0), (5, 'wool socks', 8.0)) t(id, name, price)`,
    );
    db.rows(
      `CREATE TABLE cats AS SELECT * FROM (VALUES (1, 'footwear', 50.0), (2, 'kitchen', 30.0), (3, 'clothing', 10.0), (4, 'footwear', 20.0)) t(id, cat, max_price)`,
    );
  }, 120_000);

  /** Runs the statement with the operator's bridge function recording its argument lists, and lists the pairs query's rows. */
  function compare(
    sql: string,
    returns: 'BOOLEAN' | 'DOUBLE',
    answer: (args: string[]) => boolean | number,
  ): { asked: Map<string, number>; listed: Map<string, number> } {
    const statement = parse(sql).at(-1) as QueryStatement;
    const join = statement.joins?.[0] as SemanticJoin;
    const asked = new Map<string, number>();
    db.define(`__sem_${join.operator}`, returns, (columns, rows) => {
      const out: unknown[] = [];
      for (let r = 0; r < rows; r++) {
        const args = columns.map((col) => String(col[r]));
        if (columns.some((col) => col[r] === null)) {
          out.push(null);
          continue;
        }
        const key = JSON.stringify(args);
        asked.set(key, (asked.get(key) ?? 0) + 1);
        out.push(answer(args));
      }
      return out;
    });
    db.rows(statement.sql);
    const listed = new Map<string, number>();
    for (const row of db.rows(join.pairsSql)) {
      const args = Object.keys(row)
        .filter((k) => k !== 'n')
        .map((k) => String(row[k]));
      listed.set(JSON.stringify(args), Number(row['n']));
    }
    return { asked, listed };
  }

  const cases: [string, string][] = [
    ['an inner join on the condition alone', "SELECT p.id, c.id FROM prods p JOIN cats c ON p.name MEANS ('a product in the category ' || c.cat)"],
    ['ordinary conditions first: an inequality', 'SELECT p.id, c.id FROM prods p JOIN cats c ON p.price < c.max_price AND p.name MEANS c.cat'],
    ['a WHERE over two relations with a filter on one side', "SELECT * FROM prods p, cats c WHERE p.price > 20 AND match_pair(p.name, c.cat, 'belongs to')"],
    ['an equality (hash join) first', 'SELECT * FROM prods p JOIN cats c ON p.id = c.id AND p.name IMPLIES c.cat'],
    ['a left join with a WHERE after it', 'SELECT p.id, c.id FROM prods p LEFT JOIN cats c ON p.name MEANS c.cat WHERE c.id IS NULL'],
    ['a CTE', 'WITH cheap AS (SELECT * FROM prods WHERE price < 30) SELECT cheap.id, c.cat FROM cheap JOIN cats c ON cheap.name MEANS c.cat'],
    ['a number cast to text', 'SELECT * FROM prods p JOIN cats c ON CAST(p.price AS VARCHAR) MEANS c.cat'],
  ];
  for (const [what, sql] of cases) {
    test(`${what}: the pairs listed are the pairs asked, with their row counts`, () => {
      const { asked, listed } = compare(sql, 'BOOLEAN', (args) => (args[0]?.length ?? 0) % 2 === 0);
      expect(listed.size).toBeGreaterThan(0);
      expect([...listed.entries()].sort()).toEqual([...asked.entries()].sort());
    });
  }

  test('a score compared with a number: the same pairs', () => {
    const { asked, listed } = compare(
      'SELECT * FROM prods p JOIN cats c ON p.price < c.max_price AND p.name SIMILAR_TO c.cat > 0.4',
      'DOUBLE',
      (args) => ((args[0]?.length ?? 0) % 10) / 10,
    );
    expect([...listed.entries()].sort()).toEqual([...asked.entries()].sort());
  });
});
