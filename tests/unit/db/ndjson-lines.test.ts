import { describe, expect, it } from 'vitest';
import { recordBatch } from '../../../src/db/arrow-columns';
import { merge, Misfit, planFor, typeOf, type JsonType } from '../../../src/db/json-types';
import { NdjsonLineReader, type LineColumn } from '../../../src/db/ndjson-lines';

const encoder = new TextEncoder();
const exact = (text: string): unknown =>
  JSON.parse(text, (_k, v: unknown, context?: { source?: string }) =>
    typeof v === 'number' && !Number.isSafeInteger(v) && context?.source && /^-?\d+$/.test(context.source) ? BigInt(context.source) : v,
  );

/** The table the byte reader builds from `lines`, and the one JSON.parse's objects give, as plain values. */
function both(lines: string[], typeLines = lines): { fast: unknown[][]; slow: unknown[][] } {
  let type: JsonType = { kind: 'null' };
  for (const l of typeLines) if (l.trim()) type = merge(type, typeOf(exact(l)));
  if (type.kind !== 'struct') throw new Error('not records');
  const columns: LineColumn[] = [...type.fields].map(([key, t]) => ({ key, ...planFor(t) }));
  const bytes = encoder.encode(lines.join('\r\n'));
  const reader = new NdjsonLineReader(columns, (text) => exact(text) as Record<string, unknown>, exact);
  reader.begin(lines.length);
  let from = 0;
  lines.forEach((_, i) => {
    const nl = bytes.indexOf(0x0a, from);
    reader.line(bytes, from, nl < 0 ? bytes.length : nl, i + 1);
    from = nl + 1;
  });
  const fast = recordBatch(reader.finish().map((c, i) => ({ name: (columns[i] as LineColumn).key, carrier: (columns[i] as LineColumn).carrier, ...c })));
  const rows = lines.filter((l) => l.trim()).map((l) => exact(l) as Record<string, unknown>);
  const slow = recordBatch(
    columns.map((c) => ({
      name: c.key,
      carrier: c.carrier,
      values: rows.map((r) => (r[c.key] === null || r[c.key] === undefined ? null : c.convert(r[c.key]))),
    })),
  );
  const plain = (t: typeof fast) =>
    columns.map((c) => JSON.parse(JSON.stringify([...(t.getChild(c.key) ?? [])], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown[]);
  return { fast: plain(fast), slow: plain(slow) };
}

describe('NdjsonLineReader', () => {
  it('reads records as JSON.parse does: escapes, non-ASCII, keys in any order, missing, repeated and nested values, numbers of every form', () => {
    const { fast, slow } = both([
      '{"id": 1, "name": "plain", "n": -0.5, "ok": true, "at": "2024-02-29 10:00:00", "tags": ["a"]}',
      '  {"name":"tab\\t \\"quoted\\" \\u00e9 \\ud83c\\udf5e","id":-42,"n":1e3,"ok":false,"at":null,"tags":[]}  ',
      '{"id": 0, "name": "naïve 🍞 ünïcödé", "n": 12, "ok": null, "tags": null}',
      '',
      '{"id": 7, "id": 8, "name": "repeated key: the last wins"}',
      '{"n": 2.50, "name": "", "extra_space"  :  null}'.replace('"extra_space"  :  null', '"ok" :  true'),
      '{}',
      '{"id": 123456789012345, "n": -1.5E-7, "name": "x\\/y"}',
    ]);
    expect(fast).toEqual(slow);
    expect(fast[0]).toEqual(['1', '-42', '0', '8', null, null, '123456789012345']);
  });

  it('writes a string into a JSON column as JSON text, and checks a UUID column', () => {
    const { fast, slow } = both(['{"m": 1, "u": "123e4567-e89b-12d3-a456-426614174000"}', '{"m": "s", "u": "123e4567-e89b-12d3-a456-426614174001"}']);
    expect(fast).toEqual(slow);
    expect(fast[0]).toEqual(['1', '"s"']);
    expect(() => both(['{"u": "not-a-uuid"}'], ['{"u": "123e4567-e89b-12d3-a456-426614174000"}'])).toThrow(Misfit);
  });

  it('reads an integer past 2^53 exactly, as a BIGINT', () => {
    const { fast } = both(['{"big": 12345678901234567}', '{"big": -9007199254740993}', '{"big": 5}'], ['{"big": 1}']);
    expect(fast[0]).toEqual(['12345678901234567', '-9007199254740993', '5']);
  });

  it('reads invalid UTF-8 as TextDecoder does, and leaves a line that is not an object to the general path', () => {
    const columns: LineColumn[] = [{ key: 's', ...planFor({ kind: 'string', formats: 0 }) }];
    const reader = new NdjsonLineReader(columns, () => ({ s: 'from the general path' }), JSON.parse);
    reader.begin(3);
    const bad = new Uint8Array([...encoder.encode('{"s":"a'), 0xff, 0xe2, 0x82, ...encoder.encode('b"}')]);
    reader.line(bad, 0, bad.length, 1);
    const scalar = encoder.encode('"just a string"');
    reader.line(scalar, 0, scalar.length, 2);
    const table = recordBatch(reader.finish().map((c) => ({ name: 's', carrier: (columns[0] as LineColumn).carrier, ...c })));
    expect([...(table.getChild('s')?.toArray() ?? [])]).toEqual(['a\ufffd\ufffdb', 'from the general path']);
  });

  it('throws Misfit for a key or a value the columns do not take, so the load is typed again from every record', () => {
    expect(() => both(['{"a": 1}', '{"a": 2, "b": 3}'], ['{"a": 1}'])).toThrow(Misfit);
    expect(() => both(['{"a": 1}', '{"a": "two"}'], ['{"a": 1}'])).toThrow(Misfit);
    expect(() => both(['{"a": "x"}', '{"a": 5}'], ['{"a": "x"}'])).toThrow(Misfit);
  });
});
