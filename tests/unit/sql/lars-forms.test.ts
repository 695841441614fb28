import { describe, expect, test } from 'vitest';
import { generatedQuery, type QueryStatement } from '../../../src/sql';
import { c, g, parse, parseError, registry, rewrite } from './helpers';

function query(sql: string): QueryStatement {
  const statements = parse(sql);
  const s = statements[0];
  if (statements.length !== 1 || s?.kind !== 'query') throw new Error(`expected one query: ${sql}`);
  return s;
}

const udfs = (sql: string) => query(sql).callSites.map((site) => site.udf);

describe('LARS infix and postfix forms', () => {
  test.each([
    ["SELECT ip VALID AS 'IPv4' FROM t", '__sem_valid'],
    ['SELECT a SAME_ENTITY b FROM t', '__sem_same_as'],
    ["SELECT name SOUNDS_LIKE 'Smith' FROM t", '__sem_sounds_like'],
    ["SELECT v LOOKS_LIKE 'email' FROM t", '__sem_looks_like'],
    ["SELECT body VALIDATES 'contains pricing' FROM t", '__sem_validate'],
    ["SELECT bio PARSE_TYPED 'email' FROM t", '__sem_parse_typed'],
    ["SELECT v COMPLETED AS 'a URL' FROM t", '__sem_complete'],
    ["SELECT v CORRECTED BY 'a city' FROM t", '__sem_correct'],
    ["SELECT v FILLED BY 'N/A' FROM t", '__sem_fill'],
    ["SELECT v IMPUTED FROM 'name: Jo' FROM t", '__sem_impute'],
    ["SELECT v NORMALIZE AS 'email' FROM t", '__sem_normalize'],
    ["SELECT qty AS_SMART 'integer' FROM t", '__sem_cast_smart'],
    ["SELECT v DEFAULT 'country' FROM t", '__sem_default_smart'],
    ["SELECT price IN 'EUR' FROM t", '__sem_normalize_currency'],
    ["SELECT price IN 'dollars' FROM t", '__sem_normalize_currency'],
    ["SELECT dist IN 'km' FROM t", '__sem_normalize_unit'],
    ["SELECT dist TO 'miles' FROM t", '__sem_normalize_unit'],
  ])('%s', (sql, udf) => {
    expect(udfs(sql)).toEqual([udf]);
  });

  test('postfix forms take the operand before them', () => {
    expect(rewrite('SELECT company CANONICAL FROM t')).toBe(`SELECT (__sem_canonical(${c('company')})) FROM t`);
    expect(rewrite('SELECT v IS TYPE AS kind FROM t')).toBe(`SELECT (__sem_infer_type(${c('v')})) AS kind FROM t`);
    expect(rewrite('SELECT v DEFAULT AS d FROM t')).toBe(`SELECT (__sem_default_smart(coalesce(${c('v')}, ''), ${c("''")})) AS d FROM t`);
    expect(rewrite('SELECT count(*) FROM t GROUP BY text BY FORMALITY')).toBe(`SELECT count(*) FROM t GROUP BY (__sem_formality(${c('text')}))`);
  });

  test('a keyword that is SQL too keeps its SQL meaning where the operand does not fit', () => {
    expect(parse('SELECT x IN (1, 2) FROM t')[0]?.kind).toBe('passthrough');
    // -> is DuckDB's JSON arrow whatever its key: LARS v2.4 dropped smart_json's `j -> 'description'`,
    // which took keys with spaces ('user handle') from DuckDB.
    expect(parse("SELECT j -> '$.a', j -> 'email', j -> 'user handle', list_transform(l, x -> x + 1) FROM t")[0]?.kind).toBe('passthrough');
    expect(parse("COPY t TO 'out.csv'")[0]?.kind).toBe('passthrough');
    expect(parse("CREATE TABLE t (a VARCHAR DEFAULT 'x')")[0]?.kind).toBe('passthrough');
    // Inside a COPY's query, TO is the operator again.
    expect(parse("COPY (SELECT d TO 'km' FROM t) TO 'out.csv'")[0]).toMatchObject({ kind: 'query', callSites: [{ operator: 'normalize_unit' }] });
  });

  test('RANKED BY is the rank_semantic aggregate over the group, answered by its embeddings hook', () => {
    expect(rewrite("SELECT answer RANKED BY 'quality' FROM t")).toBe(`SELECT __emb_rank_semantic(${g('answer')}, ${c("'quality'")}) FROM t`);
  });

  test('TOPICS [INTO] n and VIBES [INTO] n', () => {
    expect(udfs('SELECT body TOPICS INTO 5 FROM t')).toEqual(['__sem_topics']);
    expect(udfs('SELECT id, body VIBES 3 FROM t')).toEqual(['__sem_vibes', '__sem_vibes_label']);
  });

  test('clean_year answers an INTEGER', () => {
    expect(rewrite("SELECT clean_year('circa 1990')")).toBe(`SELECT CAST(__sem_clean_year(${c("'circa 1990'")}) AS INTEGER)`);
  });
});

describe('dimensions', () => {
  test('GROUP BY formality(text): a fixed dimension labels each row by itself', () => {
    expect(rewrite('SELECT formality(text) AS f, count(*) FROM t GROUP BY formality(text)')).toBe(
      `SELECT __sem_formality(${c('text')}) AS f, count(*) FROM t GROUP BY __sem_formality(${c('text')})`,
    );
  });

  test('a proposed dimension: labels proposed over the level’s input, then each row labelled, with its modifiers', () => {
    const labels = `(SELECT __sem_toxicity(${g('text')}, ${c("'harassment'")}, ${c('5')}) FROM t WHERE id > 3)`;
    const label = `__sem_toxicity_label(${c('text')}, ${labels}, ${c("'harassment'")}, ${c('5')})`;
    expect(rewrite("SELECT toxicity(text, 'harassment') AS level, count(*) FROM t WHERE id > 3 GROUP BY level")).toBe(
      `SELECT ${label} AS level, count(*) FROM t WHERE id > 3 GROUP BY level`,
    );
  });

  test('outside GROUP BY a dimension still labels rows; in its own WHERE its labels ignore that WHERE', () => {
    const labels = `(SELECT __sem_toxicity(${g('m')}, ${c("''")}, ${c('5')}) FROM t)`;
    expect(rewrite("SELECT id FROM t WHERE toxicity(m) = 'Civil'")).toBe(
      `SELECT id FROM t WHERE __sem_toxicity_label(${c('m')}, ${labels}, ${c("''")}, ${c('5')}) = 'Civil'`,
    );
  });

  test('sentiment is a number, and a sentiment label as a GROUP BY key or with a focus', () => {
    expect(udfs('SELECT id, sentiment(text) FROM t')).toEqual(['__sem_sentiment']);
    expect(udfs('SELECT sentiment(text) AS mood, count(*) FROM t GROUP BY mood')).toEqual(['__sem_sentiment_dimension', '__sem_sentiment_dimension_label']);
    expect(udfs("SELECT id, sentiment(text, 'fear') FROM t")).toEqual(['__sem_sentiment_dimension', '__sem_sentiment_dimension_label']);
  });
});

describe('pipelines, -> and ASK_DATA', () => {
  test('THEN stages become CTEs over the query before them', () => {
    const s = query("SELECT id, text FROM tweets WHERE text MEANS 'bread' THEN FILTER 'about baking' THEN TOP('id', 3)");
    expect(s.sql).toMatch(
      /^WITH __pipe_0 AS \(SELECT id, text FROM tweets WHERE \(__sem_matches\(.*\)\), __pipe_1 AS \(SELECT \* FROM __pipe_0 AS __row WHERE __sem_then_filter\(CAST\(__row AS VARCHAR\), CAST\('about baking' AS VARCHAR\)\)\), __pipe_2 AS \(SELECT \* FROM __pipe_1 ORDER BY "id" DESC NULLS LAST LIMIT 3\) SELECT \* FROM __pipe_2$/,
    );
    expect(s.callSites.map((x) => x.operator)).toEqual(['matches', 'then_filter']);
    expect(s.effect).toEqual({ kind: 'read' });
  });

  test('a THEN inside CASE is the CASE’s', () => {
    expect(parse("SELECT CASE WHEN a THEN 'x' END FROM t")[0]?.kind).toBe('passthrough');
    expect(parse('SELECT CASE WHEN a > 1 THEN TOP END FROM t')[0]?.kind).toBe('passthrough');
  });

  test('stage arguments are checked, with positions', () => {
    expect(parseError("SELECT 1 THEN TOP('a', 'b')").message).toMatch(/second argument is a number of rows/);
    expect(parseError('SELECT 1 THEN FILTER').message).toMatch(/THEN FILTER needs a criterion/);
  });

  test('-> name saves the result and reads it back', () => {
    const [save, read] = parse("SELECT id FROM tweets WHERE text MEANS 'x' -> picked");
    expect(save).toMatchObject({ kind: 'query', effect: { kind: 'write' } });
    expect(save?.kind === 'query' ? save.sql : '').toMatch(/^CREATE OR REPLACE TABLE picked AS SELECT id FROM tweets WHERE \(__sem_matches/);
    expect(read).toMatchObject({ kind: 'passthrough', sql: 'SELECT * FROM picked', effect: { kind: 'read' } });
  });

  test("ASK_DATA 'q' and SELECT * FROM ask_data('q') write a query with the schema, to be run after a check", () => {
    for (const sql of ["ASK_DATA 'how many rows?'", "SELECT * FROM ask_data('how many rows?')"]) {
      const s = query(sql);
      expect(s.generatesQuery).toBe(true);
      expect(s.sql).toMatch(/^SELECT __sem_ask_data\(CAST\('how many rows\?' AS VARCHAR\), CAST\(\(SELECT string_agg\(.*information_schema\.columns/);
    }
    expect(parseError("SELECT * FROM t JOIN ask_data('q') ON true").message).toMatch(/must be the whole statement/);
    expect(generatedQuery('SELECT count(*) FROM t;', registry)).toMatchObject({ kind: 'passthrough', sql: 'SELECT count(*) FROM t' });
    expect(() => generatedQuery('DROP TABLE t', registry)).toThrow(/one read-only query/);
    expect(() => generatedQuery('SELECT 1; SELECT 2', registry)).toThrow(/one read-only query/);
  });
});

describe('an operator keyword with a missing operand is a positioned error (issue 17)', () => {
  test.each([
    ['SELECT text MEANS FROM t', 1, 19, 'FROM', 'MEANS'],
    ['SELECT id, text ABOUT, x FROM t', 1, 22, ',', 'ABOUT'],
    ['SELECT text SOUNDS_LIKE', 1, 24, '', 'SOUNDS_LIKE'],
    ['SELECT v COMPLETED AS FROM t', 1, 23, 'FROM', 'COMPLETED AS'],
  ])('%s', (sql, line, column, token, keyword) => {
    const e = parseError(sql);
    expect([e.line, e.column, e.token]).toEqual([line, column, token]);
    expect(e.message).toContain(`an expression after ${keyword}`);
  });

  test('a quoted name or AS makes the alias', () => {
    expect(parse('SELECT text "means", text AS means FROM t')[0]?.kind).toBe('passthrough');
  });
});
