import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareCodePoints, decodeGroup, encodeGroup, groupEncodingSql } from '../../../src/sql';

describe('group encoding', () => {
  test('matches what DuckDB v1.4.3 returns for the rewritten string_agg (recorded)', () => {
    // Recorded by running groupEncodingSql('x') over these rows (and a NULL) in DuckDB-WASM 1.32.0.
    const values = ['b', 'a\u001bz', 'a\u001e', '', '\uffff', '😀', 'Zoë', 'z', 'a', 'a\u001b', null];
    const duckdb = '\u001eZoë\u001ea\u001ea\u001b\u001b\u001ea\u001b\u001bz\u001ea\u001br\u001eb\u001ez\u001e\uffff\u001e😀';
    expect(encodeGroup(values)).toBe(duckdb);
  });

  test('an empty or all-NULL group is NULL', () => {
    expect(encodeGroup([])).toBeNull();
    expect(encodeGroup([null, undefined])).toBeNull();
  });

  test('the SQL uses core functions only', () => {
    expect(groupEncodingSql('t.text')).toBe(
      "string_agg(replace(replace(CAST(t.text AS VARCHAR), chr(27), chr(27) || chr(27)), chr(30), chr(27) || 'r'), chr(30) ORDER BY replace(replace(CAST(t.text AS VARCHAR), chr(27), chr(27) || chr(27)), chr(30), chr(27) || 'r'))",
    );
  });

  test('round trip: decode(encode(values)) is the values sorted by escaped code points', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u001b', '\u001e', 'r', 'é', '😀', '\uffff', '') });
    fc.assert(
      fc.property(fc.array(fc.oneof(text, fc.string({ unit: 'grapheme' }), fc.constant(null)), { maxLength: 20 }), (values) => {
        const present = values.filter((v): v is string => v !== null);
        const encoded = encodeGroup(values);
        if (present.length === 0) {
          expect(encoded).toBeNull();
          return;
        }
        expect(encoded).not.toBeNull();
        const decoded = decodeGroup(encoded as string);
        expect([...decoded].sort(compareCodePoints)).toEqual([...present].sort(compareCodePoints));
        expect(decoded).toHaveLength(present.length);
        // The same multiset always gives the same string.
        expect(encodeGroup([...values].reverse())).toBe(encoded);
      }),
      { numRuns: 500 },
    );
  });

  test('code-point order puts astral characters after the whole BMP, like UTF-8 bytes', () => {
    const sample = ['😀', '\uffff', 'a', '\ue000', 'Z'];
    const utf8 = [...sample].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...sample].sort(compareCodePoints)).toEqual(utf8);
  });
});
