import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';

const app = useApp();

describe('the built app', () => {
  it('boots DuckDB-WASM in its worker and answers SQL through window.semsql', async () => {
    const { page } = app();
    const out = await page.evaluate(async () => {
      const db = window.semsql!;
      const r = await db.query("SELECT 40 + 2 AS answer, 'héllo' AS word, NULL::INTEGER AS nothing, 1.5 AS dec, range AS n FROM range(3)");
      return { info: db.info, columns: r.columns, rows: r.rows };
    });
    expect(out.info.duckdbVersion).toMatch(/^v1\.4/);
    expect(out.columns.map((c) => c.name)).toEqual(['answer', 'word', 'nothing', 'dec', 'n']);
    expect(out.columns[0]?.type).toBe('INTEGER');
    expect(out.rows).toEqual([
      [42, 'héllo', null, 1.5, 0],
      [42, 'héllo', null, 1.5, 1],
      [42, 'héllo', null, 1.5, 2],
    ]);
  });

  it('reports SQL errors and keeps working', async () => {
    const { page } = app();
    const error = await page.evaluate(() =>
      window.semsql!.query('SELEC 1').then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(error).toMatch(/syntax error/i);
    const ok = await page.evaluate(() => window.semsql!.query('SELECT 1 AS one').then((r) => r.rows));
    expect(ok).toEqual([[1]]);
  });
});

describe('loading data with no network', () => {
  it('registers CSV, Parquet and NDJSON files while offline', async () => {
    const { page, browser } = app();
    const parquet = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: Int32Array.from([1, 2, 3]), type: 'INT32' },
          { name: 'title', data: ['ünïcode', 'plain', null], type: 'STRING' },
          { name: 'score', data: Float64Array.from([0.5, 1.25, -2]), type: 'DOUBLE' },
          { name: 'big', data: [1n, 9_007_199_254_740_993n, 3n], type: 'INT64' },
          { name: 'flag', data: [true, false, true], type: 'BOOLEAN' },
        ],
      }),
    );
    await browser.context.setOffline(true);
    try {
      const out = await page.evaluate(async (parquetBytes) => {
        const db = window.semsql!;
        const csvFile = new File(['id,name,likes\n1,ada,10\n2,"grace, h",20\n3,ünï,\n'], 'people.csv');
        const csv = await db.load(csvFile, { table: 'people' });
        const pq = await db.load(new File([new Uint8Array(parquetBytes)], 'things.parquet'), { table: 'things' });
        const ndjsonText = '{"id":1,"text":"first","tags":["a","b"],"ok":true}\n{"id":2,"text":"second 😀","ok":false}\n\n{"id":3,"text":null,"n":2.5}\n';
        const nd = await db.load(new File([ndjsonText], 'events.ndjson'), { table: 'events' });
        const rows = {
          people: (await db.query('SELECT * FROM people ORDER BY id')).rows,
          things: (await db.query('SELECT id, title, score, big::VARCHAR AS big, flag FROM things ORDER BY id')).rows,
          events: (await db.query('SELECT id, text, tags, ok, n FROM events ORDER BY id')).rows,
        };
        const tables = (await db.tables()).map((t) => t.name);
        return { csv, pq, nd, rows, tables };
      }, Array.from(parquet));
      expect(out.csv.rows).toBe(3);
      expect(out.csv.columns.map((c) => c.type)).toEqual(['BIGINT', 'VARCHAR', 'BIGINT']);
      expect(out.rows.people).toEqual([
        [1, 'ada', 10],
        [2, 'grace, h', 20],
        [3, 'ünï', null],
      ]);
      expect(out.pq.format).toBe('parquet');
      expect(out.pq.columns).toEqual([
        { name: 'id', type: 'INTEGER' },
        { name: 'title', type: 'VARCHAR' },
        { name: 'score', type: 'DOUBLE' },
        { name: 'big', type: 'BIGINT' },
        { name: 'flag', type: 'BOOLEAN' },
      ]);
      expect(out.rows.things).toEqual([
        [1, 'ünïcode', 0.5, '1', true],
        [2, 'plain', 1.25, '9007199254740993', false],
        [3, null, -2, '3', true],
      ]);
      expect(out.nd.format).toBe('ndjson');
      expect(out.rows.events).toEqual([
        [1, 'first', ['a', 'b'], true, null], // a LIST, as DuckDB's read_json gives it
        [2, 'second 😀', null, false, null],
        [3, null, null, null, 2.5],
      ]);
      expect(out.tables).toEqual(expect.arrayContaining(['people', 'things', 'events']));
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('loads CSV text and a CSV URL served beside the app', async () => {
    const { page } = app();
    const out = await page.evaluate(async () => {
      const db = window.semsql!;
      await db.load('a,b\n1,x\n2,y\n', { table: 'inline_csv' });
      const missing = await db.load('no-such-file.csv', { table: 'nope' }).then(
        () => null,
        (e: Error) => e.message,
      );
      return { rows: (await db.query('SELECT * FROM inline_csv ORDER BY a')).rows, missing };
    });
    expect(out.rows).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    expect(out.missing).toMatch(/no-such-file\.csv.*404/);
  });

  it('gives a malformed NDJSON line a message naming the line', async () => {
    const { page } = app();
    const message = await page.evaluate(() =>
      window.semsql!.load(new File(['{"a":1}\n{"a":\n'], 'broken.ndjson'), { table: 'broken' }).then(
        () => null,
        (e: Error) => e.message,
      ),
    );
    expect(message).toMatch(/broken\.ndjson: line 2 is not valid JSON/);
  });

  it('explains a query that needs a missing extension and stays healthy', async () => {
    const { page, browser } = app();
    await browser.context.setOffline(true);
    try {
      const out = await page.evaluate(async () => {
        const db = window.semsql!;
        const parquet = await db.query("SELECT * FROM read_parquet('remote.parquet')").then(
          () => null,
          (e: Error) => e.message,
        );
        const json = await db.query("SELECT * FROM read_json('remote.json')").then(
          () => null,
          (e: Error) => e.message,
        );
        const after = (await db.query('SELECT 7 AS seven')).rows;
        return { parquet, json, after };
      });
      expect(out.parquet).toMatch(/needs DuckDB's parquet extension/);
      expect(out.json).toMatch(/needs DuckDB's json extension/);
      expect(out.after).toEqual([[7]]);
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
