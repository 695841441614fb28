import { describe, expect, test } from 'vitest';
import { createRegistry, parseScript, type QueryStatement } from '../../../src/sql';
import { c, parse, parseError, registry, rewrite } from './helpers';

/** The one query of a script (after any statements semsql put before it). */
function query(sql: string, reg = registry): QueryStatement {
  const statements = parseScript(sql, { registry: reg });
  const last = statements[statements.length - 1];
  if (last?.kind !== 'query') throw new Error(`expected a query last: ${sql}`);
  return last;
}

describe('LARS v2.4 operators (issue 27)', () => {
  test.each([
    ["SELECT e SUPPORTS 'the claim' FROM t", '__sem_supports'],
    ['SELECT x STEELMAN FROM t', '__sem_steelman'],
    ['SELECT x COUNTERARGUMENT FROM t', '__sem_counterargument'],
    ['SELECT rebut(x) FROM t', '__sem_counterargument'],
    ['SELECT x ASSUMES FROM t', '__sem_assumes'],
    ['SELECT x EVIDENCE_TYPE FROM t', '__sem_evidence_type'],
    ['SELECT fallacies(x) FROM t', '__sem_fallacy'],
    ['SELECT x WEAKNESSES FROM t', '__sem_weaknesses'],
    ['SELECT x TIMELINE FROM t', '__sem_timeline'],
    ['SELECT x TRIPLES FROM t', '__sem_triples'],
    ['SELECT x RICH_TRIPLES FROM t', '__sem_rich_triples'],
    ["SELECT parse_email(raw, 'subject') FROM t", '__sem_parse_email'],
  ])('%s', (sql, udf) => {
    expect(query(sql).callSites.map((s) => s.udf)).toEqual([udf]);
  });

  test('SUPPORTS is a score: a condition means > threshold', () => {
    expect(rewrite("SELECT * FROM t WHERE e SUPPORTS 'c'")).toBe(`SELECT * FROM t WHERE (__sem_supports(${c('e')}, ${c("'c'")}) > 0.5)`);
  });

  test('merge_timelines aggregates the timelines of its group', () => {
    expect(query('SELECT merge_timelines(timeline(note)) FROM t').callSites.map((s) => [s.operator, s.shape])).toEqual([
      ['merge_timelines', 'aggregate'],
      ['timeline', 'scalar'],
    ]);
  });
});

describe('table forms: <op>_rows (issue 27)', () => {
  test('read the operator’s own answer (one call site, its UDF) into typed columns', () => {
    const q = query('SELECT r.* FROM t, triples_rows(t.body) r');
    expect(q.callSites.map((s) => [s.operator, s.udf])).toEqual([['triples', '__sem_triples']]);
    expect(q.sql).toContain(`regexp_extract_all(__sem_triples(${c('t.body')}, ${c("''")})`);
    expect(q.sql).toMatch(/AS "subject", .* AS "predicate", .* AS "object" FROM \(SELECT unnest/);
  });

  test('repeat the level’s WHERE inside themselves, except what names their alias or columns', () => {
    const sql = query(
      "SELECT t.id, r.subject FROM t, LATERAL triples_rows(t.body) r WHERE t.id IN (1, 2) AND r.subject <> 'x' AND predicate = 'y' AND t.kind = 'a'",
    ).sql;
    expect(sql).toContain(`CASE WHEN (t.id IN (1, 2)) AND (t.kind = 'a') THEN __sem_triples(${c('t.body')}, ${c("''")}) END`);
    expect(sql).toContain("WHERE t.id IN (1, 2) AND r.subject <> 'x' AND predicate = 'y' AND t.kind = 'a'");
  });

  test('timeline_rows has the sequence as an integer and the actors as JSON text', () => {
    const sql = query("SELECT * FROM timeline_rows('x')").sql;
    expect(sql).toMatch(/TRY_CAST\(nullif\(regexp_extract\(__o, '"sequence"\\s\*:\\s\*\(-\?\[0-9\]\+\)', 1\), ''\) AS INTEGER\) AS "sequence"/);
    expect(sql).toContain('AS "actors"');
  });

  test('are tables: written elsewhere they are an error', () => {
    expect(parseError('SELECT triples_rows(x) FROM t').message).toBe('line 1, column 8: triples_rows() returns a table: use it in FROM');
  });
});

describe('operators written as SQL (issue 27)', () => {
  test('@param_set and @param_clear run before their statement; @param_get reads the variable', () => {
    const statements = parse("SELECT @param_set('Region', 'EU') AS s, @param_get('region', 'none') AS g, @param_clear('tier') AS c");
    expect(statements.map((s) => ('sql' in s ? s.sql : s.kind))).toEqual([
      "SET VARIABLE semsql_param_region = CAST(('EU') AS VARCHAR)",
      'SET VARIABLE semsql_param_tier = NULL',
      `SELECT (CAST(getvariable('semsql_param_region') AS VARCHAR)) AS s, (coalesce(CAST(getvariable('semsql_param_region') AS VARCHAR), ${c("'none'")})) AS g, ('tier') AS c`,
    ]);
    expect(statements[2]).toMatchObject({ kind: 'query', callSites: [] });
  });

  test('a parameter key must be a string literal', () => {
    expect(parseError('SELECT @param_set(k, 1) FROM t').message).toMatch(/param_set's key must be a string literal/);
  });

  test('keys are kept apart from the user’s own variables and from each other', () => {
    expect(parse("SELECT @param_set('a-b', 1)")[0]).toMatchObject({ sql: 'SET VARIABLE semsql_param_a_2d_b = CAST((1) AS VARCHAR)' });
  });

  test('latest reads the newest answer of the operator from the call log', () => {
    expect(rewrite("SELECT latest('semantic_matches', 'evaluate')")).toBe(
      `SELECT ((SELECT answer FROM semantic_calls WHERE operator = regexp_replace(${c("'semantic_matches'")}, '^semantic_', '') AND status = 'ok' AND answer IS NOT NULL ORDER BY ended_at DESC LIMIT 1))`,
    );
  });

  test('cascade(path, inputs) calls the user operator the file names, its inputs matched by name', () => {
    const reg = createRegistry([
      {
        name: 'fraud_check',
        args: [
          { name: 'customer', type: 'VARCHAR' },
          { name: 'amount', type: 'VARCHAR' },
        ],
        returns: 'BOOLEAN',
        prompt: 'Is {{customer}} paying {{amount}} fraud?',
      },
    ]);
    const expected = `__sem_fraud_check(${c('name')}, ${c('amt')})`;
    expect(query("SELECT cascade('tackle/fraud_check.yaml', json_object('amount', amt, 'customer', name)) FROM t", reg).sql).toBe(`SELECT ${expected} FROM t`);
    expect(query("SELECT cascade('fraud_check.cascade.yaml', {'customer': name, 'amount': amt}) FROM t", reg).sql).toBe(`SELECT ${expected} FROM t`);
    expect(query(`SELECT cascade('fraud_check', '{"customer": "Ada", "amount": 10}')`, reg).sql).toBe(`SELECT __sem_fraud_check(${c("'Ada'")}, ${c("'10'")})`);
  });

  test('cascade() names what is wrong: an unknown operator, a missing or extra input, inputs it cannot match', () => {
    const reg = createRegistry([{ name: 'tone', args: [{ name: 'text', type: 'VARCHAR' }], returns: 'VARCHAR', prompt: 'Tone of {{text}}' }]);
    const error = (sql: string) => {
      try {
        parseScript(sql, { registry: reg });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(error("SELECT cascade('x/nope.yaml', json_object('text', 'a'))")).toMatch(/no user operator named nope: .*user operators: tone/);
    expect(error("SELECT cascade('tone.yaml', json_object('words', 'a'))")).toMatch(/the inputs have no text/);
    expect(error("SELECT cascade('tone.yaml', json_object('text', 'a', 'extra', 1))")).toMatch(/tone has no argument extra/);
    expect(error("SELECT cascade('tone.yaml', inputs) FROM t")).toMatch(/inputs must be json_object/);
  });
});

describe('block forms (issue 27)', () => {
  test('SEMANTIC_CASE x WHEN SEMANTIC ... END is semantic_case with its conditions and results as JSON arrays', () => {
    expect(
      rewrite("SELECT SEMANTIC_CASE msg WHEN SEMANTIC 'is a complaint' THEN 'angry' WHEN 'is praise' THEN 'happy' ELSE 'neutral' END AS mood FROM t"),
    ).toBe(`SELECT __sem_semantic_case(${c('msg')}, ${c(`'["is a complaint","is praise"]'`)}, ${c(`'["angry","happy"]'`)}, ${c("'neutral'")}) AS mood FROM t`);
  });

  test('SEMANTIC_SWITCH ON x MATCH ... YIELD ... FALLBACK ... END_SWITCH is semantic_switch', () => {
    expect(rewrite("SELECT SEMANTIC_SWITCH ON name MATCH 'a fruit' YIELD 'fruit' END_SWITCH FROM t")).toBe(
      `SELECT __sem_semantic_switch(${c('name')}, ${c(`'["a fruit"]'`)}, ${c(`'["fruit"]'`)}, ${c("''")}) FROM t`,
    );
  });

  test('a THEN inside SEMANTIC_CASE is not a pipeline step', () => {
    expect(query("SELECT SEMANTIC_CASE x WHEN 'a' THEN 'b' END FROM t").stages).toBeUndefined();
  });

  test('their mistakes are positioned', () => {
    expect(parseError("SELECT SEMANTIC_CASE x WHEN 'a' THEN 'b' FROM t").message).toMatch(/END to close the SEMANTIC_CASE at line 1/);
    expect(parseError("SELECT SEMANTIC_CASE x WHEN a THEN 'b' END FROM t").message).toBe(
      "line 1, column 29: expected a condition as a string literal, found 'a'",
    );
    expect(parseError("SELECT SEMANTIC_SWITCH ON x FALLBACK 'c' END_SWITCH FROM t").message).toMatch(/needs at least one MATCH/);
  });
});

describe('pipelines: staged steps (issue 27)', () => {
  test('a pipeline of SQL stages is still one query; any other step makes the engine run it step by step', () => {
    expect(query("SELECT * FROM t THEN FILTER 'x' THEN TOP('a', 2)").stages).toBeUndefined();
    const staged = query("SELECT * FROM t THEN PIVOT 'sales by region' THEN TOP('a', 2)");
    expect(staged.sql).toBe('SELECT * FROM t');
    expect(staged.stages?.map((s) => (s.kind === 'stage' ? s.stage.name : s.kind))).toEqual(['PIVOT', 'TOP']);
  });

  test('INTO after the query or a stage keeps a saved table; INSERT INTO and TOPICS INTO n are not steps', () => {
    const q = query("SELECT * FROM t INTO raw THEN FILTER 'x' INTO s.filtered");
    expect(q.stages?.map((s) => (s.kind === 'into' ? `into ${s.table} ${s.saved}` : s.kind))).toEqual(['into raw true', 'stage', 'into s.filtered true']);
    expect(parse('INSERT INTO t SELECT * FROM u')[0]?.kind).toBe('passthrough');
    expect(query('SELECT body TOPICS INTO 3 FROM t').stages).toBeUndefined();
  });

  test('SHADOW AS name is `-> name`: a session table, the last step of a staged pipeline', () => {
    expect(parse('SELECT 1 AS x SHADOW AS one').map((s) => ('sql' in s ? s.sql : ''))).toEqual([
      'CREATE OR REPLACE TABLE one AS SELECT 1 AS x',
      'SELECT * FROM one',
    ]);
    const q = query('SELECT 1 AS x THEN MUTE SHADOW AS one');
    expect(q.stages?.map((s) => (s.kind === 'into' ? `into ${s.table} ${s.saved}` : s.kind))).toEqual(['stage', 'into one false']);
  });

  test('CHOOSE takes WHEN branches and an ELSE, each a stage, optionally BY an operator', () => {
    const q = query("SELECT * FROM t THEN CHOOSE BY picker (WHEN 'calm' THEN SAMPLE(2) WHEN 'busy' THEN ANALYZE 'why?' ELSE STOP)");
    const choose = q.stages?.[0];
    expect(choose?.kind).toBe('choose');
    if (choose?.kind !== 'choose') return;
    expect(choose.by?.text).toBe('picker');
    expect(choose.branches.map((b) => [b.condition.text, b.step.stage.name, b.step.args.map((a) => a.text)])).toEqual([
      ["'calm'", 'SAMPLE', ['2']],
      ["'busy'", 'ANALYZE', ["'why?'"]],
    ]);
    expect(choose.otherwise?.stage.name).toBe('STOP');
  });

  test('CHOOSE mistakes are positioned', () => {
    expect(parseError("SELECT * FROM t THEN CHOOSE WHEN 'a' THEN PASS").message).toMatch(/CHOOSE takes its branches in brackets/);
    expect(parseError('SELECT * FROM t THEN CHOOSE (WHEN a THEN PASS)').message).toMatch(/CHOOSE conditions are strings/);
    expect(parseError("SELECT * FROM t THEN CHOOSE (ELSE PASS WHEN 'a' THEN PASS)").message).toMatch(/ELSE is the last branch/);
  });

  test('LARS stages the browser does not run are refused at their name, saying what to use', () => {
    const e = parseError("SELECT 1 THEN TO_PLOTLY 'bars'");
    expect([e.line, e.column]).toEqual([1, 15]);
    expect(e.message).toMatch(/^line 1, column 15: THEN TO_PLOTLY is not run in the browser: use THEN TO_VEGALITE/);
    expect(parseError("SELECT 1 THEN PYTHON('x')").message).toMatch(/Pyodide/);
    expect(parseError("SELECT 1 THEN STYLIZE 'oil paint'").message).toMatch(/ADD_STYLES/);
    expect(parseError('SELECT 1 THEN RENDER_CANVAS').message).toMatch(/TO_VEGALITE/);
  });

  test('EXPLAIN SEMANTIC of a staged pipeline explains its query', () => {
    const [s] = parse("EXPLAIN SEMANTIC SELECT text MEANS 'x' FROM t THEN INVESTIGATE 'why?'");
    expect(s).toMatchObject({ kind: 'explain', sql: `SELECT (__sem_matches(${c('text')}, ${c("'x'")})) FROM t` });
  });
});

describe('MEANING as a GROUP BY key (issue 27: LARS v2.4 made it a dimension)', () => {
  test('labels each row with a cluster proposed over the column; elsewhere it is still the cluster aggregate', () => {
    const q = query("SELECT MEANING(city, 3, 'region') AS r, count(*) FROM t GROUP BY MEANING(city, 3, 'region')");
    expect(q.callSites.map((s) => s.operator)).toEqual(['meaning_dimension', 'meaning_dimension_label', 'meaning_dimension', 'meaning_dimension_label']);
    expect(query("SELECT MEANING(city, 3, 'region') FROM t").callSites.map((s) => [s.operator, s.shape])).toEqual([['semantic_cluster', 'aggregate']]);
  });
});
