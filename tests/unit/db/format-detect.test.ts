import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/db/format-detect';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('reads the content first: NDJSON in a .json file, JSON in a .ndjson one, Parquet under any name', () => {
    expect(detectFormat('events.json', bytes('{"a":1}\n{"a":2}'))).toBe('json');
    expect(detectFormat('events.ndjson', bytes('[{"a":1}]'))).toBe('json');
    expect(detectFormat('data.bin', Uint8Array.from([0x50, 0x41, 0x52, 0x31, 0]))).toBe('parquet');
    expect(detectFormat('blob', bytes('\uFEFF  [{"a":1}]'))).toBe('json');
    expect(detectFormat('blob', bytes('a,b\n1,2'))).toBe('csv');
  });

  it('lets the name settle what the first bytes cannot', () => {
    expect(detectFormat('a.parquet', bytes('x'))).toBe('parquet');
    expect(detectFormat('https://h/x/data.jsonl?v=2', bytes('  7'))).toBe('json');
    expect(detectFormat('odd.csv', bytes('{a},b\n1,2'))).toBe('csv');
  });

  it('says which file it cannot read', () => {
    expect(() => detectFormat('empty', new Uint8Array())).toThrow(/"empty"/);
  });
});
