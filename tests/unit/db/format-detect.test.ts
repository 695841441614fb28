import { describe, expect, it } from 'vitest';
import { detectFormat, parseJsonRows } from '../../../src/db/format-detect';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('trusts the file extension first', () => {
    expect(detectFormat('a.parquet', bytes('x'))).toBe('parquet');
    expect(detectFormat('a.jsonl', bytes('x'))).toBe('ndjson');
    expect(detectFormat('https://h/x/data.json?v=2', bytes('x'))).toBe('json');
    expect(detectFormat('A.CSV', bytes('x'))).toBe('csv');
  });

  it('falls back to the first bytes', () => {
    expect(detectFormat('blob', Uint8Array.from([0x50, 0x41, 0x52, 0x31, 0]))).toBe('parquet');
    expect(detectFormat('blob', bytes('  [{"a":1}]'))).toBe('json');
    expect(detectFormat('blob', bytes('{"a":1}\n{"a":2}'))).toBe('ndjson');
    expect(detectFormat('blob', bytes('a,b\n1,2'))).toBe('csv');
  });

  it('says which file it cannot read', () => {
    expect(() => detectFormat('empty', new Uint8Array())).toThrow(/"empty"/);
  });
});

describe('parseJsonRows', () => {
  it('reads an array, a single object and NDJSON with blank lines', () => {
    expect(parseJsonRows('[{"a":1},{"a":2}]', 'json', 'f')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseJsonRows('{"a":1}', 'json', 'f')).toEqual([{ a: 1 }]);
    expect(parseJsonRows('{"a":1}\n\n{"b":2}\r\n', 'ndjson', 'f')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseJsonRows('[1, "x"]', 'json', 'f')).toEqual([{ value: 1 }, { value: 'x' }]);
  });

  it('names the line of a malformed NDJSON row', () => {
    expect(() => parseJsonRows('{"a":1}\n{"a":', 'ndjson', 'e.ndjson')).toThrow(/e\.ndjson: line 2 is not valid JSON/);
    expect(() => parseJsonRows('[[1]]', 'json', 'e.json')).toThrow(/element 0 is an array/);
  });
});
