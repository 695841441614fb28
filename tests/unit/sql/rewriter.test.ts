import { describe, expect, test } from 'vitest';
import { c, g, parse, registry, rewrite } from './helpers';

describe('infix operators: exact rewrites', () => {
  test('MEANS becomes a parenthesised matches call with casts', () => {
    expect(rewrite("SELECT * FROM tweets WHERE text MEANS 'x' LIMIT 10")).toBe(
      `SELECT * FROM tweets WHERE (__sem_matches(${c('text')}, ${c("'x'")})) LIMIT 10`,
    );
  });

  test('operators bind like comparisons: AND splits, > compares the score', () => {
    expect(rewrite("SELECT * FROM t WHERE a MEANS 'x' AND b ABOUT 'y' > 0.7")).toBe(
      `SELECT * FROM t WHERE (__sem_matches(${c('a')}, ${c("'x'")})) AND (__sem_score(${c('b')}, ${c("'y'")})) > 0.7`,
    );
  });

  test('a score alone in a condition means > threshold (default 0.5)', () => {
    expect(rewrite("SELECT * FROM t WHERE a ABOUT 'y'")).toBe(`SELECT * FROM t WHERE (__sem_score(${c('a')}, ${c("'y'")}) > 0.5)`);
  });

  test('the threshold comes from the annotation', () => {
    expect(rewrite("-- @ threshold: 0.8\nSELECT * FROM t WHERE a ALIGNS 'y' OR b SIMILAR_TO 'z'")).toBe(
      `SELECT * FROM t WHERE (__sem_aligns(${c('a')}, ${c("'y'")}) > 0.8) OR (__sem_similar_to(${c('b')}, ${c("'z'")}) > 0.8)`,
    );
  });

  test('a score outside a condition stays a number', () => {
    expect(rewrite("SELECT a ALIGNS WITH 'y' AS s, a RELEVANCE TO 'q' FROM t")).toBe(
      `SELECT (__sem_aligns(${c('a')}, ${c("'y'")})) AS s, (__sem_score(${c('a')}, ${c("'q'")})) FROM t`,
    );
  });

  test('scores after NOT, WHEN, HAVING and ON are conditions', () => {
    expect(rewrite("SELECT CASE WHEN a ABOUT 'x' THEN 1 END FROM t JOIN u ON t.a ABOUT u.b WHERE NOT a ABOUT 'z'")).toBe(
      `SELECT CASE WHEN (__sem_score(${c('a')}, ${c("'x'")}) > 0.5) THEN 1 END FROM t JOIN u ON (__sem_score(${c('t.a')}, ${c('u.b')}) > 0.5) WHERE NOT (__sem_score(${c('a')}, ${c("'z'")}) > 0.5)`,
    );
  });

  test('operands of AND/OR are conditions anywhere, even in the SELECT list', () => {
    expect(rewrite("SELECT a ABOUT 'x' AND b AS both FROM t")).toBe(`SELECT (__sem_score(${c('a')}, ${c("'x'")}) > 0.5) AND b AS both FROM t`);
  });

  test('a parenthesised score in a condition is still a condition', () => {
    expect(rewrite("SELECT * FROM t WHERE (a ABOUT 'x') AND b = 1")).toBe(`SELECT * FROM t WHERE ((__sem_score(${c('a')}, ${c("'x'")}) > 0.5)) AND b = 1`);
  });

  test('infix NOT negates', () => {
    expect(rewrite("SELECT * FROM t WHERE text NOT MEANS 'spam'")).toBe(`SELECT * FROM t WHERE (NOT __sem_matches(${c('text')}, ${c("'spam'")}))`);
    expect(rewrite("SELECT * FROM t WHERE x IS NOT VALID 'email'")).toBe(`SELECT * FROM t WHERE (NOT __sem_valid(${c('x')}, ${c("'email'")}))`);
    expect(rewrite("SELECT * FROM t WHERE text NOT ABOUT 'x'")).toBe(`SELECT * FROM t WHERE (NOT (__sem_score(${c('text')}, ${c("'x'")}) > 0.5))`);
  });

  test('prefix NOT wraps the whole comparison-level operator', () => {
    expect(rewrite("SELECT * FROM t WHERE NOT a MEANS 'x' AND b")).toBe(`SELECT * FROM t WHERE NOT (__sem_matches(${c('a')}, ${c("'x'")})) AND b`);
  });

  test('operands take higher-precedence expressions whole', () => {
    expect(rewrite("SELECT * FROM t WHERE a || ' ' || b MEANS 'x' || 'y'")).toBe(
      `SELECT * FROM t WHERE (__sem_matches(${c("a || ' ' || b")}, ${c("'x' || 'y'")}))`,
    );
    expect(rewrite("SELECT * FROM t WHERE lower(a)::VARCHAR MEANS CASE WHEN b THEN 'x' ELSE 'y' END")).toBe(
      `SELECT * FROM t WHERE (__sem_matches(${c('lower(a)::VARCHAR')}, ${c("CASE WHEN b THEN 'x' ELSE 'y' END")}))`,
    );
  });

  test('~ is matches', () => {
    expect(rewrite("SELECT a ~ 'x' FROM t")).toBe(`SELECT (__sem_matches(${c('a')}, ${c("'x'")})) FROM t`);
  });

  test('SAME_AS with an entity type', () => {
    expect(rewrite("SELECT * FROM a JOIN b ON a.x SAME_AS b.y AS 'company'")).toBe(
      `SELECT * FROM a JOIN b ON (__sem_same_as(${c('a.x')}, ${c('b.y')}, ${c("'company'")}))`,
    );
    expect(rewrite('SELECT a SAME_AS b AS same FROM t')).toBe(`SELECT (__sem_same_as(${c('a')}, ${c('b')})) AS same FROM t`);
  });

  test('ASK infix and ASK ... FROM prefix', () => {
    expect(rewrite("SELECT text ASK 'who?' AS who FROM t")).toBe(`SELECT (__sem_ask(${c('text')}, ${c("'who?'")})) AS who FROM t`);
    expect(rewrite("SELECT ASK 'who?' FROM text FROM t")).toBe(`SELECT (__sem_ask(${c('text')}, ${c("'who?'")})) FROM t`);
  });

  test('EXTRACTS, TRANSLATED TO, PARSE, IMPLIES, CONTRADICTS, MATCHES', () => {
    expect(rewrite("SELECT a EXTRACTS 'b', a TRANSLATED TO 'fr', a PARSE 'p', a IMPLIES b, a CONTRADICTS b, a MATCHES b FROM t")).toBe(
      `SELECT (__sem_extracts(${c('a')}, ${c("'b'")})), (__sem_translate(${c('a')}, ${c("'fr'")})), (__sem_parse(${c('a')}, ${c("'p'")})), (__sem_implies(${c('a')}, ${c('b')})), (__sem_contradicts(${c('a')}, ${c('b')})), (__sem_matches(${c('a')}, ${c('b')})) FROM t`,
    );
  });

  test('nested operators: an operand holding another operator', () => {
    expect(rewrite("SELECT * FROM t WHERE (text TRANSLATED TO 'en') MEANS 'x'")).toBe(
      `SELECT * FROM t WHERE (__sem_matches(${c(`((__sem_translate(${c('text')}, ${c("'en'")})))`)}, ${c("'x'")}))`,
    );
    // Left-associative at comparison level: (a EXTRACTS 'x') MEANS 'y'.
    expect(rewrite("SELECT a EXTRACTS 'x' MEANS 'y' FROM t")).toBe(
      `SELECT (__sem_matches(${c(`(__sem_extracts(${c('a')}, ${c("'x'")}))`)}, ${c("'y'")})) FROM t`,
    );
    expect(rewrite("SELECT condense(text) ABOUT 'x' > 0.6 FROM t")).toBe(
      `SELECT (__sem_score(${c(`__sem_condense(${c('text')})`)}, ${c("'x'")})) > 0.6 FROM t`,
    );
  });
});

describe('function spellings', () => {
  test('bare, semantic_ and alias names', () => {
    expect(
      rewrite("SELECT matches(a, 'x'), semantic_matches(a, 'x'), tldr(a), condense(a), smart_translate(a, 'fr'), semantic_translate(a, 'fr') FROM t"),
    ).toBe(
      `SELECT __sem_matches(${c('a')}, ${c("'x'")}), __sem_matches(${c('a')}, ${c("'x'")}), __sem_condense(${c('a')}), __sem_condense(${c('a')}), __sem_translate(${c('a')}, ${c("'fr'")}), __sem_translate(${c('a')}, ${c("'fr'")}) FROM t`,
    );
  });

  test('translate() is DuckDB’s and is left alone', () => {
    const sql = "SELECT translate(a, 'abc', 'xyz') FROM t";
    expect(parse(sql)[0]).toMatchObject({ kind: 'passthrough', sql });
  });

  test('score functions in a condition take the threshold too', () => {
    expect(rewrite("SELECT * FROM t WHERE aligns(a, 'x') AND sentiment(a) > 0")).toBe(
      `SELECT * FROM t WHERE (__sem_aligns(${c('a')}, ${c("'x'")}) > 0.5) AND __sem_sentiment(${c('a')}) > 0`,
    );
  });

  test('numeric arguments are cast too, and llm takes any number of values', () => {
    expect(rewrite("SELECT llm('{{a}} or {{b}}?', a, b + 1) FROM t")).toBe(`SELECT __sem_llm(${c("'{{a}} or {{b}}?'")}, ${c('a')}, ${c('b + 1')}) FROM t`);
  });

  test('a qualified or quoted name is not a semantic function', () => {
    for (const sql of ["SELECT main.matches(a, 'x') FROM t", 'SELECT "matches"(a, \'x\') FROM t']) {
      expect(parse(sql)[0]).toMatchObject({ kind: 'passthrough', sql });
    }
  });
});

describe('aggregates', () => {
  test('summarize over a group with GROUP BY and HAVING', () => {
    expect(rewrite('SELECT author, summarize(text) FROM t GROUP BY author HAVING count(*) > 1')).toBe(
      `SELECT author, __sem_summarize(${g('text')}) FROM t GROUP BY author HAVING count(*) > 1`,
    );
  });

  test('optional counts get their default so equal calls share a cache key', () => {
    expect(rewrite('SELECT themes(text), themes(text, 3), outliers(text) FROM t')).toBe(
      `SELECT __sem_themes(${g('text')}, ${c('5')}), __sem_themes(${g('text')}, ${c('3')}), __sem_outliers(${g('text')}, ${c('3')}) FROM t`,
    );
  });

  test('an aggregate in HAVING, compared with an operator', () => {
    expect(rewrite("SELECT a FROM t GROUP BY a HAVING summarize(b) MEANS 'good'")).toBe(
      `SELECT a FROM t GROUP BY a HAVING (__sem_matches(${c(`__sem_summarize(${g('b')})`)}, ${c("'good'")}))`,
    );
  });

  test('DISTINCT and FILTER move into the string_agg', () => {
    const e = `replace(replace(CAST(text AS VARCHAR), chr(27), chr(27) || chr(27)), chr(30), chr(27) || 'r')`;
    expect(rewrite('SELECT consensus(DISTINCT text) FILTER (WHERE likes > 1) FROM t')).toBe(
      `SELECT __sem_consensus(string_agg(DISTINCT ${e}, chr(30) ORDER BY ${e}) FILTER (WHERE likes > 1)) FROM t`,
    );
  });

  test('sentiment_agg and dedupe', () => {
    expect(rewrite('SELECT sentiment_agg(text), dedupe(text) FROM t')).toBe(`SELECT __sem_sentiment_agg(${g('text')}), __sem_dedupe(${g('text')}) FROM t`);
  });

  test('an operator inside an aggregate is evaluated per row', () => {
    expect(rewrite("SELECT summarize(text TRANSLATED TO 'en') FROM t")).toBe(
      `SELECT __sem_summarize(${g(`(__sem_translate(${c('text')}, ${c("'en'")}))`)}) FROM t`,
    );
  });
});

describe('classify: per row or per group', () => {
  test('no grouping, other columns per row: per row', () => {
    expect(rewrite("SELECT id, classify(text, 'a,b') FROM t")).toBe(`SELECT id, __sem_classify(${c('text')}, ${c("'a,b'")}) FROM t`);
    expect(rewrite("SELECT * FROM t WHERE classify(text, 'a,b') = 'a'")).toBe(`SELECT * FROM t WHERE __sem_classify(${c('text')}, ${c("'a,b'")}) = 'a'`);
  });
  test('no grouping, nothing else per row: over the whole input (LARS CLASSIFY)', () => {
    expect(rewrite("SELECT classify(text, 'a,b') FROM t")).toBe(`SELECT __sem_classify_agg(${g('text')}, ${c("'a,b'")}) FROM t`);
    expect(rewrite("SELECT classify(text, 'a,b') AS kind, 'x' AS label FROM t")).toBe(
      `SELECT __sem_classify_agg(${g('text')}, ${c("'a,b'")}) AS kind, 'x' AS label FROM t`,
    );
    // Without FROM there is no collection: a literal is classified by itself.
    expect(rewrite("SELECT classify('great', 'a,b')")).toBe(`SELECT __sem_classify(${c("'great'")}, ${c("'a,b'")})`);
  });
  test('GROUP BY another column: over the group', () => {
    expect(rewrite("SELECT author, classify(text, 'a,b') FROM t GROUP BY author")).toBe(
      `SELECT author, __sem_classify_agg(${g('text')}, ${c("'a,b'")}) FROM t GROUP BY author`,
    );
  });
  test('the classification is the group key (alias, ordinal or expression): per row', () => {
    for (const groupBy of ['kind', '1', "classify(text, 'a,b')"]) {
      expect(rewrite(`SELECT classify(text, 'a,b') AS kind, count(*) FROM t GROUP BY ${groupBy}`)).toBe(
        `SELECT __sem_classify(${c('text')}, ${c("'a,b'")}) AS kind, count(*) FROM t GROUP BY ${groupBy === "classify(text, 'a,b')" ? `__sem_classify(${c('text')}, ${c("'a,b'")})` : groupBy}`,
      );
    }
  });
  test('its subject is the group key: per row', () => {
    expect(rewrite("SELECT text, classify(text, 'a,b') FROM t GROUP BY text")).toBe(
      `SELECT text, __sem_classify(${c('text')}, ${c("'a,b'")}) FROM t GROUP BY text`,
    );
  });
  test('no GROUP BY but another aggregate: over the whole input', () => {
    expect(rewrite("SELECT count(*), classify(text, 'a,b') FROM t")).toBe(`SELECT count(*), __sem_classify_agg(${g('text')}, ${c("'a,b'")}) FROM t`);
  });
  test('GROUP BY ALL: per row (it becomes a key)', () => {
    expect(rewrite("SELECT classify(text, 'a,b'), count(*) FROM t GROUP BY ALL")).toBe(
      `SELECT __sem_classify(${c('text')}, ${c("'a,b'")}), count(*) FROM t GROUP BY ALL`,
    );
  });
  test('inside another aggregate: per row', () => {
    expect(rewrite("SELECT author, count(DISTINCT classify(text, 'a,b')) FROM t GROUP BY author")).toBe(
      `SELECT author, count(DISTINCT __sem_classify(${c('text')}, ${c("'a,b'")})) FROM t GROUP BY author`,
    );
  });
  test('the call site records the UDF used', () => {
    const [s] = parse("SELECT author, classify(text, 'a,b') FROM t GROUP BY author");
    expect(s?.kind === 'query' && s.callSites.map((x) => [x.operator, x.udf, x.shape])).toEqual([['classify_agg', '__sem_classify_agg', 'aggregate']]);
  });
});

describe('ORDER BY ... RELEVANCE TO and GROUP BY topics', () => {
  test('relevance sorts descending by score', () => {
    expect(rewrite("SELECT * FROM t ORDER BY text RELEVANCE TO 'q' LIMIT 5")).toBe(
      `SELECT * FROM t ORDER BY __sem_score(${c('text')}, ${c("'q'")}) DESC LIMIT 5`,
    );
  });
  test('an explicit direction is kept', () => {
    expect(rewrite("SELECT * FROM t ORDER BY text RELEVANCE TO 'q' ASC, id")).toBe(`SELECT * FROM t ORDER BY __sem_score(${c('text')}, ${c("'q'")}) ASC, id`);
  });
  test('GROUP BY topics runs in two phases over the level’s FROM and WHERE', () => {
    const label = `__sem_topic_label(${c('text')}, (SELECT __sem_topics(${g('text')}, ${c('4')}) FROM t WHERE likes > 0))`;
    expect(rewrite('SELECT topics(text, 4) AS topic, count(*) FROM t WHERE likes > 0 GROUP BY topics(text, 4)')).toBe(
      `SELECT ${label} AS topic, count(*) FROM t WHERE likes > 0 GROUP BY ${label}`,
    );
  });
  test('GROUP BY an alias or ordinal of topics is a dimension too', () => {
    const label = `__sem_topic_label(${c('text')}, (SELECT __sem_topics(${g('text')}, ${c('3')}) FROM t))`;
    expect(rewrite('SELECT topics(text, 3) AS topic, count(*) FROM t GROUP BY topic')).toBe(`SELECT ${label} AS topic, count(*) FROM t GROUP BY topic`);
    expect(rewrite('SELECT topics(text, 3), count(*) FROM t GROUP BY 1')).toBe(`SELECT ${label}, count(*) FROM t GROUP BY 1`);
  });
  test('both phases are call sites', () => {
    const [s] = parse('SELECT topics(text, 3) AS topic FROM t GROUP BY topic');
    expect(s?.kind === 'query' && s.callSites.map((x) => [x.udf, x.shape, x.spelling])).toEqual([
      ['__sem_topics', 'dimension', 'group_by'],
      ['__sem_topic_label', 'scalar', 'group_by'],
    ]);
  });
});

describe('structure: joins, CTEs, subqueries, set operations, other statements', () => {
  test('semantic join', () => {
    expect(rewrite('SELECT * FROM a JOIN b ON a.text MEANS b.label AND a.id > 1 LEFT JOIN c USING (id)')).toBe(
      `SELECT * FROM a JOIN b ON (__sem_matches(${c('a.text')}, ${c('b.label')})) AND a.id > 1 LEFT JOIN c USING (id)`,
    );
  });
  test('CTEs, scalar subqueries, IN subqueries, derived tables', () => {
    expect(
      rewrite(
        "WITH x AS (SELECT * FROM t WHERE a MEANS 'p') SELECT (SELECT max(b) FROM u WHERE u.c ABOUT 'q') FROM x WHERE id IN (SELECT id FROM (SELECT * FROM v WHERE d IMPLIES 'r') s)",
      ),
    ).toBe(
      `WITH x AS (SELECT * FROM t WHERE (__sem_matches(${c('a')}, ${c("'p'")}))) SELECT (SELECT max(b) FROM u WHERE (__sem_score(${c('u.c')}, ${c("'q'")}) > 0.5)) FROM x WHERE id IN (SELECT id FROM (SELECT * FROM v WHERE (__sem_implies(${c('d')}, ${c("'r'")}))) s)`,
    );
  });
  test('set operations and FROM-first', () => {
    expect(rewrite("FROM t SELECT a WHERE a MEANS 'x' UNION ALL SELECT b FROM u WHERE b MEANS 'y'")).toBe(
      `FROM t SELECT a WHERE (__sem_matches(${c('a')}, ${c("'x'")})) UNION ALL SELECT b FROM u WHERE (__sem_matches(${c('b')}, ${c("'y'")}))`,
    );
  });
  test('INSERT ... SELECT, UPDATE ... SET, CREATE TABLE AS', () => {
    expect(rewrite("INSERT INTO x SELECT a MEANS 'p' FROM t")).toBe(`INSERT INTO x SELECT (__sem_matches(${c('a')}, ${c("'p'")})) FROM t`);
    expect(rewrite("UPDATE t SET flag = a MEANS 'p', n = 1 WHERE b ABOUT 'q'")).toBe(
      `UPDATE t SET flag = (__sem_matches(${c('a')}, ${c("'p'")})), n = 1 WHERE (__sem_score(${c('b')}, ${c("'q'")}) > 0.5)`,
    );
    expect(rewrite('CREATE TABLE x AS SELECT tldr(a) FROM t')).toBe(`CREATE TABLE x AS SELECT __sem_condense(${c('a')}) FROM t`);
  });
  test('window functions and other clauses are untouched around operators', () => {
    expect(rewrite("SELECT row_number() OVER (PARTITION BY a ORDER BY b) AS r, a MEANS 'x' FROM t QUALIFY r < 3")).toBe(
      `SELECT row_number() OVER (PARTITION BY a ORDER BY b) AS r, (__sem_matches(${c('a')}, ${c("'x'")})) FROM t QUALIFY r < 3`,
    );
  });
});

describe('left alone', () => {
  test.each([
    ["SELECT 'a MEANS b', 'ABOUT' FROM t"],
    ['SELECT "means", "about" FROM t WHERE "means" = 1'],
    ['SELECT a -- b MEANS c\nFROM t /* x ABOUT y */ WHERE 1 = 1'],
    ["SELECT $$ x MEANS y $$, E'\\' MEANS' FROM t"],
    ['SELECT means, about, ask FROM t'],
    ['SELECT a "means" FROM t'],
    ['SELECT a AS about, b AS ask FROM t ORDER BY about'],
    ['CREATE TABLE t (means VARCHAR, about INTEGER)'],
    ["SELECT a SIMILAR TO 'x%' FROM t"],
    ['SELECT summarize FROM t WHERE matches = 1'],
    ['SUMMARIZE SELECT * FROM t'],
  ])('%s', (sql) => {
    expect(parse(sql)[0]).toMatchObject({ kind: 'passthrough', sql });
  });

  test('text around an operator is copied byte for byte, comments and odd spacing included', () => {
    const sql = "SELECT  /* keep */ a ,\n\tb  MEANS   'x' -- tail\n  FROM t";
    expect(rewrite(sql)).toBe(`SELECT  /* keep */ a ,\n\t(__sem_matches(${c('b')}, ${c("'x'")})) -- tail\n  FROM t`);
  });

  test('unicode text, identifiers and strings', () => {
    expect(rewrite("SELECT café FROM tëst WHERE 日本語 MEANS '猫 😀 ünïcödé' AND x = 'Zoë'")).toBe(
      `SELECT café FROM tëst WHERE (__sem_matches(${c('日本語')}, ${c("'猫 😀 ünïcödé'")})) AND x = 'Zoë'`,
    );
  });
});

describe('scripts', () => {
  test('multiple statements are rewritten one by one with their own options', () => {
    const statements = parse(
      "-- @ threshold: 0.9\nSELECT 1 WHERE a ABOUT 'x';\nSELECT a FROM t;\n-- @ cache: off\nSELECT b ABOUT 'y' FROM t WHERE b ABOUT 'z'",
    );
    expect(statements.map((s) => s.kind)).toEqual(['query', 'passthrough', 'query']);
    expect(statements[0]).toMatchObject({ sql: `SELECT 1 WHERE (__sem_score(${c('a')}, ${c("'x'")}) > 0.9)`, options: { threshold: 0.9, cache: 'on' } });
    expect(statements[1]).toMatchObject({ sql: 'SELECT a FROM t', text: 'SELECT a FROM t', span: { line: 3, column: 1 } });
    expect(statements[2]).toMatchObject({ options: { threshold: 0.5, cache: 'off' } });
  });

  test('every registered operator shape is reachable', () => {
    const shapes = new Set(registry.list().map((o) => o.shape));
    expect([...shapes].sort()).toEqual(['aggregate', 'dimension', 'scalar']);
  });
});
