import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, WRAPPER_PROBE_CHARS } from '../../../src/db/json-records';
import { merge, sqlTypeOf, typeOf } from '../../../src/db/json-types';

/** Feeds `text` in chunks of `size` and returns the records' texts and the shape seen. */
function split(text: string, size = 7): { records: string[]; shape: string | null; key: string | null } {
  const splitter = new JsonRecordSplitter('t.json');
  const records: string[] = [];
  for (let at = 0; at < text.length; at += size) records.push(...splitter.push(text.slice(at, at + size)).map((r) => r.text));
  records.push(...splitter.end().map((r) => r.text));
  return { records, shape: splitter.shape, key: splitter.wrapperKey };
}

describe('JsonRecordSplitter', () => {
  it('splits NDJSON, a top-level array and concatenated values, whatever the chunk boundaries', () => {
    expect(split('{"a":1}\n\n{"a":"x\\"}{"}\r\n{"a":[1,2]}\n')).toEqual({ records: ['{"a":1}', '{"a":"x\\"}{"}', '{"a":[1,2]}'], shape: 'lines', key: null });
    expect(split('  [ {"a":1} , {"b":{"c":[]}},\n{"a":"]"} ]  ', 3)).toEqual({
      records: ['{"a":1}', '{"b":{"c":[]}}', '{"a":"]"}'],
      shape: 'array',
      key: null,
    });
    expect(split('{"a":\n 1}\n{"a":\n 2}')).toEqual({ records: ['{"a":\n 1}', '{"a":\n 2}'], shape: 'lines', key: null });
    expect(split('[1, "two", null]').records).toEqual(['1', '"two"', 'null']);
  });

  it('reads a large object that wraps an array of records as its records, streaming', () => {
    const big = `{"meta":{"n":[1,2]},"data":[${Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(WRAPPER_PROBE_CHARS / 1500) })).join(',')}],"end":true}`;
    const out = split(big, 1 << 20);
    expect(out.shape).toBe('wrapped');
    expect(out.key).toBe('data');
    expect(out.records).toHaveLength(2000);
    expect(JSON.parse(out.records[1999] as string).i).toBe(1999);
  });

  it('names the line where a record is left open', () => {
    expect(() => split('{"a":1}\n{"a":\n')).toThrow(/t\.json: line 2 is not valid JSON/);
  });
});

describe("JSON types, as DuckDB's read_json gives them", () => {
  const typeOfAll = (values: unknown[]) => sqlTypeOf(values.map(typeOf).reduce(merge, { kind: 'null' }));
  it.each([
    [[1, 2], 'BIGINT'],
    [[1, 2.5], 'DOUBLE'],
    [[1, 'two'], 'VARCHAR'], // DuckDB: JSON, which is VARCHAR without the json extension
    [[null, null], 'VARCHAR'],
    [['2024-01-02', '2023-12-31'], 'DATE'],
    [['2024-02-30', '2024-01-01'], 'VARCHAR'],
    [['2024-01-02 03:04:05', '2024-01-02 03:04:06'], 'TIMESTAMP'],
    [['2024-01-02 03:04:05', '2024-01-02'], 'VARCHAR'],
    [['12:30:00.5', '01:00:00'], 'TIME'],
    [['550e8400-e29b-41d4-a716-446655440000'], 'UUID'],
    [[[1, 2], [], null], 'BIGINT[]'],
    [[[1, 'a']], 'VARCHAR[]'],
    [[{ a: 1 }, { a: 2, b: 'x' }, null], 'STRUCT("a" BIGINT, "b" VARCHAR)'],
    [[[{ k: 1 }, { k: 2, j: 'z' }]], 'STRUCT("k" BIGINT, "j" VARCHAR)[]'],
  ])('%j is %s', (values, type) => {
    expect(typeOfAll(values as unknown[])).toBe(type);
  });
});
