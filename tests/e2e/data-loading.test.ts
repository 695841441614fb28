import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { nativeDuckDb, retypeAsInt96, type NativeDuckDb } from './support/native-duckdb';

/**
 * Issue 26: files load with the values DuckDB's own readers give. DuckDB-WASM's parquet and json
 * extensions are not built in (only core_functions is: `COPY … TO 'x.parquet'` fails offline), so
 * the files are written, and read for reference, by native DuckDB 1.4.3 in Node
 * (tests/e2e/support/native-duckdb.ts), and the app loads the same bytes.
 */
const dir = mkdtempSync(join(tmpdir(), 'semsql-loading-'));
const app = useApp({ mounts: () => ({ '/fixtures/': dir }) });
let native: NativeDuckDb;

/** Every Parquet physical type (INT96 by retyping DuckDB's FIXED_LEN_BYTE_ARRAY(12)), the logical types DuckDB writes, nulls, nesting. */
const PARQUET_COLUMNS = `
  i::INTEGER AS i,
  CASE WHEN i % 7 = 1 THEN NULL ELSE (i % 250 - 125)::TINYINT END AS i8,
  CASE WHEN i % 7 = 2 THEN NULL ELSE (i * 7 % 60000 - 30000)::SMALLINT END AS i16,
  (i % 256)::UTINYINT AS u8, (i * 13 % 65536)::USMALLINT AS u16, (4000000000 - i)::UINTEGER AS u32,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (18446744073709551615 - i)::UBIGINT END AS u64,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i::HUGEINT * 1024819115206086201 % 9223372036854775807)::BIGINT END AS i64,
  (i / 3)::FLOAT AS f, CASE WHEN i % 11 = 0 THEN NULL ELSE i / 7 - 1e10 END AS d,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
  CASE WHEN i % 13 = 0 THEN NULL WHEN i % 13 = 1 THEN '' ELSE 'ünïcödé ' || i || ' 🍞 ' || repeat('x', i % 40) END AS s,
  CASE WHEN i % 6 = 0 THEN NULL ELSE ('\\x00\\xFF' || i)::BLOB END AS bl,
  (i % 9999 / 100)::DECIMAL(4,2) AS dec4, CASE WHEN i % 4 = 0 THEN NULL ELSE (i * -1234.567)::DECIMAL(18,3) END AS dec18,
  (i * 123456789.12345 - 1e20)::DECIMAL(30,5) AS dec30,
  DATE '1969-12-01' + i::INTEGER AS dt, TIMESTAMP '2024-02-29 23:59:59.123456' + INTERVAL (i) MINUTE AS ts,
  CASE WHEN i % 8 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i) SECOND END AS tstz,
  (TIMESTAMP '2000-01-01 00:00:00' + INTERVAL (i) MILLISECOND)::TIMESTAMP_MS AS tsms,
  (TIMESTAMP '2000-01-01 00:00:00' + INTERVAL (i) MICROSECOND)::TIMESTAMP_NS AS tsns,
  TIME '00:00:00.000001' + INTERVAL (i) SECOND AS tm,
  CASE WHEN i % 9 = 0 THEN NULL ELSE md5(i::VARCHAR)::UUID END AS uu,
  to_months(i % 12) + to_days(i % 30) + to_milliseconds(i % 100000) AS iv,
  to_months(i % 12) + to_days(i % 3) + to_milliseconds(2460000 + i % 500) AS legacy_ts,
  (['red', 'green', 'blue'])[i % 3 + 1]::ENUM('red', 'green', 'blue') AS en,
  CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN [] ELSE [i, NULL, i * 2] END AS lst,
  CASE WHEN i % 12 = 0 THEN NULL ELSE {'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'b' || i END} END AS st,
  [{'x': i, 'y': ['p', 'q' || i]}, NULL] AS lstst,
  CASE WHEN i % 15 = 0 THEN NULL ELSE [[i], [], [i + 1, i + 2]] END AS ll,
  CASE WHEN i % 14 = 0 THEN NULL ELSE MAP {'k' || (i % 3): i, 'z': NULL} END AS mp,
  (i::HUGEINT * 17014118346046923173168730371588410) AS h`;

beforeAll(async () => {
  native = await nativeDuckDb();
  // Several row groups (DuckDB's are at least 2,048 rows), dictionary and plain pages.
  await native.run(`COPY (SELECT ${PARQUET_COLUMNS} FROM range(1, 9001) t(i)) TO '${join(dir, 'types.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  retypeAsInt96(join(dir, 'types.parquet'), 'legacy_ts');
});

afterAll(() => {
  native?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The table as DESCRIBE and `::VARCHAR` give it in the app. */
async function appText(page: Page, table: string, orderBy: string): Promise<{ types: [string, string][]; rows: (string | null)[][] }> {
  return page.evaluate(
    async ([t, o]) => {
      const db = window.semsql!;
      const types = (await db.query(`DESCRIBE "${t}"`)).rows.map((r) => [String(r[0]), String(r[1])] as [string, string]);
      const rows = (await db.query(`SELECT COLUMNS(*)::VARCHAR FROM "${t}" ORDER BY ${o}`)).rows.map((r) => r.map((v) => (v === null ? null : String(v))));
      return { types, rows };
    },
    [table, orderBy] as const,
  );
}

/** DuckDB-WASM has no json extension: DuckDB's JSON type is VARCHAR there, holding the same text. */
const withoutJsonType = (types: [string, string][]) => types.map(([n, t]) => [n, t.replace(/\bJSON\b/g, 'VARCHAR')]);

/** Loads a fixture as a File named `name` (the page fetches it: bytes through the test driver are slow). */
async function loadFile(page: Page, name: string, fixture: string, table: string) {
  return page.evaluate(async ([n, f, t]) => window.semsql!.load(new File([await (await fetch(`/fixtures/${f}`)).blob()], n), { table: t, keep: false }), [
    name,
    fixture,
    table,
  ] as const);
}

describe('Parquet', () => {
  it('loads every physical type, nulls, nested columns and several row groups as DuckDB reads them, from a File and from a URL', async () => {
    const { page, server } = app();
    const path = join(dir, 'types.parquet');
    const expected = { types: await native.describe(`read_parquet('${path}')`), rows: await native.text(`read_parquet('${path}')`, 'i') };
    expect(expected.types).toContainEqual(['legacy_ts', 'TIMESTAMP']); // INT96, as DuckDB reads it
    expect(expected.rows).toHaveLength(9000);
    const fromFile = await loadFile(page, 'types.parquet', 'types.parquet', 'pq_file');
    expect(fromFile).toMatchObject({ format: 'parquet', rows: 9000 });
    const file = await appText(page, 'pq_file', 'i');
    expect(file.types).toEqual(withoutJsonType(expected.types));
    for (let r = 0; r < expected.rows.length; r += 1)
      if (JSON.stringify(file.rows[r]) !== JSON.stringify(expected.rows[r]))
        expect({ row: r, values: file.rows[r] }).toEqual({ row: r, values: expected.rows[r] });

    // From a URL: read in byte ranges (the fixture server answers Range requests).
    const progress = await page.evaluate(async (url) => {
      const seen: { rows: number; bytesRead: number }[] = [];
      await window.semsql!.load(url, { table: 'pq_url', keep: false, onProgress: (p) => seen.push({ rows: p.rows, bytesRead: p.bytesRead }) });
      return seen;
    }, `${server.origin}/fixtures/types.parquet`);
    expect(progress.length).toBeGreaterThan(1); // one report per row group
    expect(progress.at(-1)?.rows).toBe(9000);
    expect(await appText(page, 'pq_url', 'i')).toEqual(file);
  });

  it('says which file is not Parquet', async () => {
    const { page } = app();
    const message = await page.evaluate(() =>
      window.semsql!.load(new File([new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3])], 'broken.parquet'), { table: 'broken', keep: false }).then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(message).toMatch(/broken\.parquet: not a readable Parquet file/);
  });
});

/** An export as an API or a log shipper writes it: keys missing or out of order, one type or another, a key that first appears late. */
function eventLines(count: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const record: Record<string, unknown> = {
      id: i,
      name: `événement ${i}`,
      score: i % 3 === 0 ? i : i + 0.25,
      tags: i % 4 === 0 ? [] : ['a', `t${i % 7}`],
      when: `2024-0${(i % 9) + 1}-1${i % 10} 0${i % 10}:30:00`,
      day: `2023-12-${String((i % 28) + 1).padStart(2, '0')}`,
      user: i % 5 === 0 ? null : { handle: `u${i % 50}`, age: i % 90, langs: ['en', 'fr'].slice(0, (i % 2) + 1) },
      mixed: i % 2 ? i : `s${i}`,
      nothing: null,
    };
    if (i % 6 === 0) delete record.score;
    const text = JSON.stringify(record).replace(/"id":(\d+)/, (_m, id: string) => `"id":${id},"big":${9007199254740993n + BigInt(id)}`);
    // A key no record of DuckDB's first 20,480 has: the load must widen, not drop it.
    lines.push(i > 21_000 && i % 2 === 0 ? text.replace(/^\{/, `{"late":"l${i}",`) : text);
  }
  return `${lines.join('\n')}\n`;
}

describe('JSON', () => {
  it('loads NDJSON in a .json file, a JSON array and an object wrapping records, nested fields typed as DuckDB reads them', async () => {
    const { page } = app();
    const ndjson = eventLines(22_000);
    writeFileSync(join(dir, 'events.json'), ndjson);
    const records = ndjson.trim().split('\n');
    writeFileSync(join(dir, 'array.json'), `[\n  ${records.slice(0, 3000).join(',\n  ')}\n]`);
    writeFileSync(join(dir, 'wrapped.json'), `{"meta": {"source": "export", "pages": [1, 2]}, "data": [${records.slice(0, 3000).join(',')}], "count": 3000}`);
    // DuckDB's reader, asked to type from every record (its default is the first 20,480).
    const reference = async (file: string) => ({
      types: withoutJsonType(await native.describe(`read_json('${join(dir, file)}', sample_size = -1)`)),
      rows: await native.text(`read_json('${join(dir, file)}', sample_size = -1)`, 'id::BIGINT'),
    });
    const expectedLines = await reference('events.json');
    const expectedArray = await reference('array.json');
    expect(expectedLines.types).toContainEqual(['late', 'VARCHAR']);
    expect(expectedLines.types).toContainEqual(['user', 'STRUCT(handle VARCHAR, age BIGINT, langs VARCHAR[])']);

    const lines = await loadFile(page, 'events.json', 'events.json', 'events');
    expect(lines).toMatchObject({ format: 'ndjson', rows: 22_000 });
    expect(await appText(page, 'events', 'id::BIGINT')).toEqual(expectedLines);

    expect(await loadFile(page, 'array.ndjson', 'array.json', 'array_rows')).toMatchObject({ format: 'json', rows: 3000 });
    expect(await appText(page, 'array_rows', 'id::BIGINT')).toEqual(expectedArray);
    expect(await loadFile(page, 'wrapped', 'wrapped.json', 'wrapped_rows')).toMatchObject({ format: 'json', rows: 3000 });
    expect(await appText(page, 'wrapped_rows', 'id::BIGINT')).toEqual(expectedArray);
  });

  it('names the line of a malformed record and refuses an object with two arrays of records', async () => {
    const { page } = app();
    const out = await page.evaluate(async () => {
      const fail = (text: string, name: string) =>
        window.semsql!.load(new File([text], name), { table: 'bad', keep: false }).then(
          () => null,
          (e: Error) => e.message,
        );
      return {
        broken: await fail('{"a":1}\n{"a":\n', 'broken.ndjson'),
        truncated: await fail('{"a":1}\n{"a": 2, "b": [1,\n', 'cut.json'),
        two: await fail('{"x": [{"a":1}], "y": [{"a":2}]}', 'two.json'),
      };
    });
    expect(out.broken).toMatch(/broken\.ndjson: line 2 is not valid JSON/);
    expect(out.truncated).toMatch(/cut\.json: line 2 is not valid JSON/);
    expect(out.two).toMatch(/two\.json: the object holds more than one array of records \("x", "y"\)/);
  });
});

describe('kept tables', () => {
  it('keeps a table loaded through the API across a reload, and the API restores it when a query names it', async () => {
    const { page } = app();
    const loaded = await page.evaluate(() => window.semsql!.load(new File(['id,word\n1,alpha\n2,beta\n'], 'words.csv'), { table: 'api_words' }));
    expect(loaded.kept).toBe(true);
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true', null, { timeout: 60_000 });
    const after = await page.evaluate(async () => {
      const db = window.semsql!;
      const listed = (await db.tables()).find((t) => t.name === 'api_words');
      const rows = (await db.query('SELECT * FROM api_words ORDER BY id')).rows;
      const restored = (await db.tables()).find((t) => t.name === 'api_words');
      await db.query('DROP TABLE api_words');
      return { listed, rows, restored, left: (await db.tables()).some((t) => t.name === 'api_words') };
    });
    expect(after.listed).toMatchObject({ kept: { origin: 'words.csv', restored: false } });
    expect(after.rows).toEqual([
      [1, 'alpha'],
      [2, 'beta'],
    ]);
    expect(after.restored?.kept?.restored).toBe(true);
    // Dropped is forgotten: it does not come back after the next reload.
    expect(after.left).toBe(false);
  });
});
