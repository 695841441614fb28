import { describe, expect, it } from 'vitest';
import { createRegistry, parseScript, type ParsedStatement } from '../../../src/sql';

const registry = createRegistry();
const effect = (sql: string) => {
  const s = parseScript(sql, { registry })[0] as ParsedStatement;
  return 'effect' in s ? s.effect : undefined;
};

describe('statement effects (issue 13: a statement that writes, writes once)', () => {
  it.each([
    "SELECT text MEANS 'x' FROM t",
    'FROM t',
    'WITH a AS (SELECT sentiment(text) AS s FROM t) SELECT * FROM a',
    '(SELECT 1) UNION (SELECT 2)',
    'DESCRIBE t',
    'SUMMARIZE t',
    'SET threads = 1',
    'PRAGMA table_info(t)',
    'EXPLAIN SELECT sentiment(text) FROM t',
  ])('reads: %s', (sql) => {
    expect(effect(sql)).toEqual({ kind: 'read' });
  });

  it.each([
    "INSERT INTO y SELECT id, text MEANS 'weather' FROM t",
    'CREATE TABLE s AS SELECT id, sentiment(text) AS s FROM t',
    'CREATE OR REPLACE TABLE s AS SELECT sentiment(text) FROM t',
    'UPDATE t SET mood = sentiment(text) WHERE id < 10',
    "DELETE FROM t WHERE text MEANS 'spam'",
    "INSERT INTO y SELECT 1 RETURNING sentiment('a')",
    'WITH a AS (SELECT 1 AS x) INSERT INTO y SELECT x FROM a',
    'CREATE VIEW v AS SELECT sentiment(text) FROM t',
    'EXPLAIN ANALYZE INSERT INTO y VALUES (1)',
    "COPY t FROM 'x.csv'",
    'DROP TABLE t',
  ])('writes once: %s', (sql) => {
    expect(effect(sql)).toEqual({ kind: 'write' });
  });

  it('resolves COPY ... TO through its source before writing the file once', () => {
    expect(effect("COPY (SELECT id, sentiment(text) FROM t) TO 'out.csv' (HEADER)")).toEqual({
      kind: 'copy',
      resolveSql: 'SELECT id, __sem_sentiment(CAST(text AS VARCHAR)) FROM t',
    });
    expect(effect("COPY v TO 'out.csv'")).toEqual({ kind: 'copy', resolveSql: 'SELECT * FROM v' });
    expect(effect("COPY main.v (a, b) TO 'out.parquet' (FORMAT parquet)")).toEqual({ kind: 'copy', resolveSql: 'SELECT a , b FROM main.v' });
  });

  it.each([
    ['BEGIN', 'begin'],
    ['BEGIN TRANSACTION', 'begin'],
    ['START TRANSACTION', 'begin'],
    ['COMMIT', 'commit'],
    ['END', 'commit'],
    ['ROLLBACK', 'rollback'],
    ['ABORT', 'rollback'],
  ])('transaction control: %s', (sql, action) => {
    expect(effect(sql)).toEqual({ kind: 'transaction', action });
  });

  it('EXPLAIN SEMANTIC of a write reports the write', () => {
    expect(effect('EXPLAIN SEMANTIC INSERT INTO y SELECT sentiment(text) FROM t')).toEqual({ kind: 'write' });
  });
});
