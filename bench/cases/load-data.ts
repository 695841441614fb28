import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Bump when the rows change: files made by an older generator are made again. */
const GENERATOR = 3;
export const LOAD_DATA_DIR = join(tmpdir(), `semsql-bench-load-v${GENERATOR}`);

export type LoadFormat = 'csv' | 'parquet' | 'ndjson';
export const LOAD_FORMATS: LoadFormat[] = ['csv', 'parquet', 'ndjson'];

/**
 * The same rows as CSV, Parquet (DuckDB's defaults: Snappy, 122,880-row groups) and NDJSON, made
 * once by native DuckDB and kept in the temp dir between runs. The rows are the sample tweets
 * (public/data/tweets.csv) cycled, each with two of them and its id as its text (~200 bytes, as the issue's
 * measurement had ~300 bytes a row as CSV), a timestamp, counts, a score, a language code with few
 * values and a nullable reply id: what a real export of posts looks like, not tuned for any reader.
 */
export async function loadDataFiles(rows: number): Promise<Record<LoadFormat, { path: string; bytes: number }>> {
  const dir = join(LOAD_DATA_DIR, String(rows));
  const files = Object.fromEntries(LOAD_FORMATS.map((f) => [f, join(dir, `rows.${f}`)])) as Record<LoadFormat, string>;
  if (!LOAD_FORMATS.every((f) => existsSync(files[f]))) {
    mkdirSync(dir, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const tweets = resolve(import.meta.dirname, '../../public/data/tweets.csv');
    await conn.run(`CREATE TABLE tweets AS SELECT row_number() OVER () - 1 AS k, * FROM read_csv('${tweets}')`);
    await conn.run(`CREATE TABLE rows AS
      SELECT r AS id, a.author, a.text || ' · ' || b.text || ' #' || r AS text, a.created_at + INTERVAL (r) SECOND AS created_at,
             (hash(r) % 5000)::INTEGER AS likes, (hash(r * 7) % 1000000) / 1000.0 AS score,
             (['en', 'fr', 'de', 'es', 'ja'])[(hash(r) % 5)::BIGINT + 1] AS lang, hash(r * 3) % 4 = 0 AS verified,
             CASE WHEN hash(r * 5) % 10 < 7 THEN NULL ELSE (hash(r * 11) % ${rows})::BIGINT END AS reply_to
      FROM range(${rows}) t(r) JOIN tweets a ON a.k = r % 3000 JOIN tweets b ON b.k = (r * 7 + 1) % 3000 ORDER BY r`);
    const copy = async (format: LoadFormat, options: string) => {
      await conn.run(`COPY rows TO '${files[format]}.part' (${options})`);
      renameSync(`${files[format]}.part`, files[format]);
    };
    await copy('csv', 'FORMAT csv, HEADER true');
    await copy('parquet', 'FORMAT parquet');
    await copy('ndjson', 'FORMAT json');
    conn.closeSync();
    instance.closeSync();
  }
  return Object.fromEntries(LOAD_FORMATS.map((f) => [f, { path: files[f], bytes: statSync(files[f]).size }])) as Record<
    LoadFormat,
    { path: string; bytes: number }
  >;
}
