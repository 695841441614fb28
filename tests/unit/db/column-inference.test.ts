import { describe, expect, it } from 'vitest';
import { coerceValue, inferColumnKind, rowsToColumns } from '../../../src/db/column-inference';

describe('inferColumnKind', () => {
  it('picks the narrowest kind that holds every value, ignoring NULLs', () => {
    expect(inferColumnKind([1, null, 2])).toBe('integer');
    expect(inferColumnKind([1, 2 ** 40])).toBe('bigint');
    expect(inferColumnKind([1, 2.5])).toBe('double');
    expect(inferColumnKind([true, false, null])).toBe('boolean');
    expect(inferColumnKind([new Date(0)])).toBe('timestamp');
    expect(inferColumnKind([null, undefined])).toBe('varchar');
  });

  it('falls back to text for mixed or nested values', () => {
    expect(inferColumnKind([1, 'x'])).toBe('varchar');
    expect(inferColumnKind([{ a: 1 }])).toBe('varchar');
    expect(coerceValue({ a: [1, 2n] }, 'varchar')).toBe('{"a":[1,"2"]}');
  });

  it('lets a file schema override inference', () => {
    expect(inferColumnKind([1, 2], 'double')).toBe('double');
  });
});

describe('rowsToColumns', () => {
  it('keeps first-seen key order and fills missing keys with NULL', () => {
    expect(rowsToColumns([{ a: 1 }, { b: 2, a: 3 }])).toEqual([
      { name: 'a', values: [1, 3] },
      { name: 'b', values: [null, 2] },
    ]);
  });
});
