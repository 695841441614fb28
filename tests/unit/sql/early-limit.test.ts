import { describe, expect, it } from 'vitest';
import { createRegistry, earlyLimitPlan, parseScript } from '../../../src/sql';

const registry = createRegistry();

function plan(sql: string) {
  const [statement] = parseScript(sql, { registry });
  if (!statement || statement.kind !== 'query') throw new Error(`not a semantic query: ${sql}`);
  return earlyLimitPlan(statement);
}

describe('earlyLimitPlan', () => {
  it.each([
    ["SELECT * FROM tweets WHERE text MEANS 'complaint' LIMIT 10", 10],
    ["SELECT id FROM tweets WHERE likes > 3 AND text MEANS 'complaint' AND (text ABOUT 'shipping') LIMIT 5 OFFSET 2", 5],
    ["SELECT * FROM (SELECT * FROM tweets WHERE likes > 1) t WHERE t.text MEANS 'x' LIMIT 3", 3],
    ["WITH recent AS (SELECT * FROM tweets ORDER BY created_at DESC) SELECT * FROM recent WHERE text MEANS 'x' LIMIT 1", 1],
  ])('allows %s', (sql, limit) => {
    expect(plan(sql)).toEqual({ eligible: true, limit });
  });

  it.each([
    ["SELECT * FROM tweets WHERE text MEANS 'x' ORDER BY id LIMIT 10", /ORDER BY/],
    ["SELECT count(*) FROM tweets WHERE text MEANS 'x' LIMIT 10", /aggregate/],
    ["SELECT author FROM tweets WHERE text MEANS 'x' GROUP BY author LIMIT 10", /GROUP BY/],
    ["SELECT DISTINCT author FROM tweets WHERE text MEANS 'x' LIMIT 10", /DISTINCT/],
    ["SELECT * FROM tweets WHERE text MEANS 'x' OR likes > 5 LIMIT 10", /under OR/],
    ["SELECT * FROM tweets WHERE NOT (text MEANS 'x') LIMIT 10", /under NOT/],
    ["SELECT * FROM tweets WHERE text NOT MEANS 'x' LIMIT 10", /not only AND-ed/],
    ["SELECT text MEANS 'x' FROM tweets LIMIT 10", /in SELECT/],
    ["SELECT * FROM tweets WHERE CASE WHEN likes > 1 THEN text MEANS 'x' ELSE false END LIMIT 10", /under CASE/],
    ["SELECT * FROM tweets WHERE (text MEANS 'x') IS NULL LIMIT 10", /not only AND-ed/],
    ["SELECT * FROM tweets WHERE coalesce(text MEANS 'x', true) LIMIT 10", /not only AND-ed/],
    ["SELECT * FROM tweets WHERE id IN (SELECT id FROM tweets WHERE text MEANS 'x') LIMIT 10", /subquery|not only/],
    ["SELECT * FROM tweets WHERE text MEANS 'x'", /no LIMIT/],
    ["SELECT * FROM tweets WHERE text MEANS 'x' UNION ALL SELECT * FROM tweets LIMIT 3", /set operation/],
    ["-- @ early: off\nSELECT * FROM tweets WHERE text MEANS 'x' LIMIT 10", /early: off/],
  ])('refuses %s', (sql, reason) => {
    const p = plan(sql);
    expect(p.eligible).toBe(false);
    if (!p.eligible) expect(p.reason).toMatch(reason);
  });
});
