import { describe, expect, it } from 'vitest';
import { explainEngineError, extensionNeededBy } from '../../../src/db/engine-errors';

describe('extensionNeededBy', () => {
  it.each([
    ["SELECT * FROM read_parquet('x.parquet')", 'parquet'],
    ['SELECT TO_JSON(t) FROM t', 'json'],
    ["SELECT * FROM 'data/events.ndjson'", 'json'],
    ["SELECT a FROM t JOIN 'https://h/x.parquet?v=1' p ON true", 'parquet'],
  ])('%s needs %s', (sql, ext) => {
    expect(extensionNeededBy(sql)).toBe(ext);
  });

  it.each(["SELECT * FROM tweets WHERE text LIKE '%.json%'", "SELECT 'report.parquet' AS name", 'SELECT json_count FROM stats'])('%s needs none', (sql) => {
    expect(extensionNeededBy(sql)).toBeNull();
  });
});

describe('explainEngineError', () => {
  it('explains an autoload failure and leaves other errors alone', () => {
    expect(explainEngineError('XMLHttpRequest failed', "SELECT * FROM read_json('a.json')")).toMatch(/needs DuckDB's json extension/);
    expect(explainEngineError('Catalog Error: Table with name t does not exist!', 'SELECT * FROM t')).toBe('Catalog Error: Table with name t does not exist!');
  });

  it('offers to load the file a query reads where it is as a table', () => {
    const message = explainEngineError('XMLHttpRequest failed', "SELECT count(*) FROM 'https://data.example/trips.parquet'");
    expect(message).toMatch(/needs DuckDB's parquet extension/);
    expect(message).toMatch(/Load https:\/\/data\.example\/trips\.parquet as a table instead .*semsql\.load\('https:\/\/data\.example\/trips\.parquet'/);
  });
});
