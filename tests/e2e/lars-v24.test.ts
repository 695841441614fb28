import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { columnsAre, contains, is, jsonWith, matches, range, rowCount, runQuery, text, type Case, type Check, type Result } from './support/lars-checks';
import { freshMockSession } from './support/mock-model';
import { runAndWait, setSql } from './support/workbench';

/**
 * Issue 27: every name, form, stage and block LARS v2.4 added or changed, run as a LARS-style query
 * (written for this test) through the app: rewriter, DuckDB-WASM in Chromium, the staged pipeline
 * engine, the offline mock. One page for all of them, in order (the session parameters and `latest`
 * depend on what ran before).
 */
const app = useApp();
const run = (sql: string) => runQuery(app().page, sql);

const json = (r: Result): unknown => JSON.parse(text(r));
const arrayOf = (min: number): Check => ({
  what: `a JSON array of at least ${min}`,
  ok: (r) => Array.isArray(json(r)) && (json(r) as unknown[]).length >= min,
});
const hasRows = (min: number): Check => ({ what: `at least ${min} rows`, ok: (r) => r.rows.length >= min });
const column = (name: string, ok: (values: unknown[]) => boolean, what: string): Check => ({
  what,
  ok: (r) => r.columns.includes(name) && ok(r.rows.map((row) => row[r.columns.indexOf(name)])),
});
const all = (...checks: Check[]): Check => ({ what: checks.map((c) => c.what).join(' and '), ok: (r) => checks.every((c) => c.ok(r)) });

const SALES =
  "SELECT * FROM (VALUES ('Widget', 'north', 100), ('Widget', 'south', 150), ('Gadget', 'north', 200), ('Gadget', 'east', 75)) AS t(product, region, revenue)";
const WIDE = "SELECT * FROM (VALUES ('Widget', 100, 150, 200), ('Gadget', 80, 95, 110)) AS t(product, q1_sales, q2_sales, q3_sales)";
const INCIDENT = 'The server crashed at 3:15 PM. We identified the issue at 3:45 PM and deployed a fix at 4:30 PM.';
const ORG = 'John Smith works at Acme Corp. Jane Doe works at Acme Corp. John Smith reports to Jane Doe.';
const EMAIL = "'From: john@example.com' || chr(10) || 'To: jane@example.com' || chr(10) || 'Subject: Hello' || chr(10) || chr(10) || 'This is the body.'";

const OPERATORS: Case[] = [
  {
    item: 'supports',
    sql: "SELECT supports('A randomized trial showed 40% improvement in patient outcomes', 'The treatment is effective')",
    expect: range(0.7, 1),
  },
  {
    item: 'SUPPORTS (infix, a score in WHERE)',
    sql: "SELECT count(*) FROM (VALUES ('A randomized trial of 2,000 patients found the drug cut symptoms by half'), ('The sky is blue')) AS t(e) WHERE e SUPPORTS 'The drug works'",
    expect: is(1),
  },
  { item: 'steelman', sql: "SELECT steelman('Social media is bad for society')", expect: all(matches(/.{100,}/s), contains('mental')) },
  { item: 'STEELMAN (postfix)', sql: 'SELECT text STEELMAN FROM tweets WHERE id = 28', expect: contains('window functions') },
  {
    item: 'counterargument',
    sql: "SELECT counterargument('Remote work is better than office work', 'practical')",
    expect: matches(/office|team|communicat|collaborat/i),
  },
  { item: 'COUNTERARGUMENT (postfix)', sql: 'SELECT text COUNTERARGUMENT FROM tweets WHERE id = 35', expect: matches(/.{100,}/s) },
  { item: 'rebut', sql: "SELECT rebut('We should implement universal basic income')", expect: matches(/.{100,}/s) },
  { item: 'assumes', sql: "SELECT assumes('We should ban plastic straws to save the oceans')", expect: all(arrayOf(3), contains('straw')) },
  { item: 'ASSUMES (postfix)', sql: 'SELECT text ASSUMES FROM tweets WHERE id = 25', expect: arrayOf(2) },
  { item: 'evidence_type', sql: "SELECT evidence_type('My uncle smoked his whole life and lived to 95')", expect: jsonWith('primary_type', 'anecdotal') },
  {
    item: 'EVIDENCE_TYPE (postfix)',
    sql: "SELECT 'A randomized controlled trial of 10,000 participants showed a 23% reduction' EVIDENCE_TYPE",
    expect: jsonWith('tier', 1),
  },
  { item: 'fallacy', sql: "SELECT fallacy('Either you support this bill or you hate children')", expect: contains('false_dichotomy') },
  { item: 'fallacies', sql: "SELECT fallacies('We''ve always done it this way, so we should keep doing it')", expect: contains('tradition') },
  { item: 'FALLACY (postfix)', sql: 'SELECT text FALLACY FROM tweets WHERE id = 28', expect: { what: 'a JSON array', ok: (r) => Array.isArray(json(r)) } },
  { item: 'weaknesses', sql: "SELECT weaknesses('Sales increased after we changed the logo, proving the rebrand worked')", expect: contains('caus') },
  {
    item: "weaknesses(x, 'major')",
    sql: "SELECT weaknesses('Everyone I know loves this restaurant, so it must be the best in the city', 'major')",
    expect: {
      what: 'major weaknesses only',
      ok: (r) => (json(r) as { severity: string }[]).length > 0 && (json(r) as { severity: string }[]).every((w) => w.severity === 'major'),
    },
  },
  { item: 'WEAKNESSES (postfix)', sql: 'SELECT text WEAKNESSES FROM tweets WHERE id = 40', expect: arrayOf(1) },
  { item: 'timeline', sql: `SELECT timeline('${INCIDENT}')`, expect: all(arrayOf(3), contains('3:15')) },
  { item: 'timeline with a reference date', sql: `SELECT timeline('${INCIDENT}', '2001-05-14')`, expect: contains('2001-05-14T15:15') },
  { item: 'TIMELINE (postfix)', sql: 'SELECT text TIMELINE FROM tweets WHERE id = 26', expect: arrayOf(1) },
  {
    item: 'timeline_rows',
    sql: `SELECT e.sequence, e.timestamp, e.event FROM timeline_rows('${INCIDENT}') e ORDER BY e.sequence`,
    expect: all(
      columnsAre('sequence', 'timestamp', 'event'),
      rowCount(3),
      column('timestamp', (v) => v[0] === '3:15 PM', 'the first at 3:15 PM'),
    ),
  },
  {
    item: 'merge_timelines (aggregate)',
    sql: "SELECT merge_timelines(timeline(note)) FROM (VALUES ('We met on Monday to discuss the proposal.'), ('By Wednesday, the contract was signed.'), ('The contract was signed on Wednesday.')) AS t(note)",
    expect: { what: 'two events, the duplicate signing merged', ok: (r) => (json(r) as unknown[]).length === 2 },
  },
  {
    item: 'triples',
    sql: "SELECT triples('John Smith works at Acme Corp as a software engineer. He reports to Jane Doe.')",
    expect: all(contains('works_at'), contains('reports_to')),
  },
  { item: 'TRIPLES (postfix)', sql: 'SELECT text TRIPLES FROM tweets WHERE id = 10', expect: arrayOf(1) },
  // The WHERE is repeated inside the table form: the budget of 10 holds because only 2 of 3,000 tweets are asked.
  {
    item: 'triples_rows (LATERAL, only the rows WHERE keeps are asked)',
    sql: '-- @ budget: 10\nSELECT t.id, r.subject, r.predicate, r.object FROM tweets t, LATERAL triples_rows(t.text) r WHERE t.id IN (10, 34) ORDER BY t.id',
    expect: all(
      hasRows(2),
      column('id', (v) => v.every((id) => id === 10 || id === 34), 'only tweets 10 and 34'),
    ),
  },
  {
    item: 'rich_triples',
    sql: "SELECT rich_triples('The Q3 budget of $500K was approved by Mike on Tuesday.')",
    expect: all(contains('evidence'), contains('approved')),
  },
  { item: 'RICH_TRIPLES (postfix)', sql: "SELECT 'Ada Lovelace wrote the first program.' RICH_TRIPLES", expect: contains('Ada Lovelace') },
  {
    item: 'rich_triples_rows',
    sql: "SELECT r.* FROM rich_triples_rows('Ada Lovelace wrote the first program. She worked with Charles Babbage.') r",
    expect: all(
      columnsAre('subject', 'predicate', 'object', 'evidence'),
      column('object', (v) => v.includes('Charles Babbage'), 'Babbage an object'),
    ),
  },
  { item: 'parse_email', sql: `SELECT parse_email(${EMAIL})`, expect: all(jsonWith('from', 'john@example.com'), jsonWith('body', 'This is the body.')) },
  {
    item: 'parse_email(raw, fields)',
    sql: `SELECT parse_email(${EMAIL}, 'subject')`,
    expect: { what: 'only the subject', ok: (r) => JSON.stringify(json(r)) === '{"subject":"Hello"}' },
  },
  { item: '@param_set', sql: "SELECT @param_set('region', 'EU')", expect: is('EU') },
  { item: '@param_get (a later query)', sql: "SELECT @param_get('region')", expect: is('EU') },
  { item: '@param_get with a default', sql: "SELECT @param_get('nowhere', 'fallback')", expect: is('fallback') },
  {
    item: '@param_clear',
    sql: "SELECT @param_clear('region'), @param_get('region', 'unset') AS after",
    expect: { what: 'cleared', ok: (r) => r.rows[0]?.[1] === 'unset' },
  },
  {
    item: 'param_get without the @',
    sql: "SELECT @param_set('tier', 'gold') AS s, param_get('tier') AS g",
    expect: { what: 'gold twice', ok: (r) => r.rows[0]?.[0] === 'gold' && r.rows[0]?.[1] === 'gold' },
  },
  { item: 'a MEANS for latest to find', sql: "SELECT 'I could eat this sourdough every day' MEANS 'about food'", expect: is(true) },
  {
    item: 'latest (after a MEANS in an earlier query)',
    sql: "SELECT latest('semantic_matches', 'evaluate') IS NOT NULL, latest('steelman') LIKE 'Read at its strongest%'",
    expect: { what: 'both answers found', ok: (r) => r.rows[0]?.[0] === true && r.rows[0]?.[1] === true },
  },
  {
    item: 'cascade(path, json_object(...))',
    sql: "CREATE OR REPLACE SEMANTIC FUNCTION tone(text VARCHAR) RETURNS VARCHAR AS 'What is the tone of {{text}}? One word.'; SELECT cascade('cascades/tone.cascade.yaml', json_object('text', 'Thanks so much, this is wonderful!'))",
    expect: { what: 'an answer', ok: (r) => typeof r.rows[0]?.[0] === 'string' },
  },
  {
    item: 'cascade(path, struct)',
    sql: "SELECT cascade('tone.yaml', {'text': 'Thanks so much, this is wonderful!'})",
    expect: { what: 'an answer', ok: (r) => typeof r.rows[0]?.[0] === 'string' },
  },
  {
    item: 'SEMANTIC_CASE ... END',
    sql: "SELECT SEMANTIC_CASE 'Refund my broken order now' WHEN SEMANTIC 'is a complaint' THEN 'angry' WHEN SEMANTIC 'is praise' THEN 'happy' ELSE 'neutral' END",
    expect: is('angry'),
  },
  {
    item: 'SEMANTIC_CASE in WHERE, over tweets',
    sql: "SELECT id FROM tweets WHERE id <= 8 AND SEMANTIC_CASE text WHEN 'about food' THEN 'food' ELSE 'other' END = 'food' ORDER BY id",
    expect: column('id', (v) => v.includes(2) && v.includes(4) && !v.includes(5), 'the food tweets'),
  },
  {
    item: 'SEMANTIC_SWITCH ... END_SWITCH',
    sql: "SELECT SEMANTIC_SWITCH ON 'Best pasta recipe ever' MATCH 'is about food' YIELD 'kitchen' MATCH 'is about databases' YIELD 'tech' FALLBACK 'other' END_SWITCH",
    expect: is('kitchen'),
  },
];

const CHANGED: Case[] = [
  {
    item: 'parse (LARS v2.4 expectation)',
    sql: "SELECT parse('Meeting scheduled for March 15, 2024 at 2pm', 'the date')",
    expect: matches(/March 15|2024-03-15/),
  },
  {
    item: 'parse_typed: email with full',
    sql: "SELECT parse_typed('Contact John at john@example.com', 'email')",
    expect: jsonWith('full', 'john@example.com'),
  },
  {
    item: 'parse_typed: address with full',
    sql: "SELECT parse_typed('123 Main St, Boston MA 02101', 'address')",
    expect: all(jsonWith('city', 'Boston'), jsonWith('full')),
  },
  { item: 'normalize_quantity to liters', sql: "SELECT normalize_quantity('about 5 gallons', 'liters')", expect: matches(/liter|litre/i) },
  {
    item: 'MEANING as a GROUP BY dimension',
    sql: "WITH d AS (SELECT * FROM (VALUES ('New York'), ('Chicago'), ('Paris'), ('Berlin'), ('Tokyo'), ('Seoul')) AS t(city)) SELECT MEANING(city, 3, 'geographic region') AS region, count(*) AS n FROM d GROUP BY MEANING(city, 3, 'geographic region') ORDER BY region",
    expect: all(
      rowCount(3),
      column('n', (v) => v.every((n) => n === 2), 'two cities a region'),
    ),
  },
  {
    item: 'THEMES',
    sql: "SELECT THEMES(article, 3) FROM (VALUES ('Machine learning is transforming healthcare'), ('AI models can detect cancer early'), ('Healthcare AI reduces costs')) AS t(article)",
    expect: matches(/AI|learning|healthcare|medical/i),
  },
  { item: 'smart_json of text (no -> any more)', sql: "SELECT smart_json('name: John, age: 30')", expect: jsonWith('age', 30) },
];

const STAGES: Case[] = [
  {
    item: 'THEN PIVOT (model-planned)',
    sql: `${SALES} THEN PIVOT 'revenue by region for each product'`,
    expect: all(columnsAre('product', 'east', 'north', 'south'), rowCount(2)),
  },
  {
    item: 'THEN PIVOT(column, value, agg)',
    sql: `${SALES} THEN PIVOT('region', 'revenue', 'max')`,
    expect: all(columnsAre('product', 'east', 'north', 'south'), rowCount(2)),
  },
  {
    item: 'THEN MELT (model-planned)',
    sql: `${WIDE} THEN MELT 'quarterly columns into quarter and sales'`,
    expect: all(columnsAre('product', 'quarter', 'sales'), rowCount(6)),
  },
  {
    item: "THEN MELT('col, col')",
    sql: `${WIDE} THEN MELT('q1_sales, q2_sales')`,
    expect: all(columnsAre('product', 'q3_sales', 'variable', 'value'), rowCount(4)),
  },
  {
    item: 'THEN TO_VEGALITE (rows pass on)',
    sql: "SELECT author, count(*) AS tweets FROM tweets WHERE id <= 100 GROUP BY author ORDER BY tweets DESC, author LIMIT 4 THEN TO_VEGALITE 'bar chart of tweets per author'",
    expect: all(columnsAre('author', 'tweets'), rowCount(4)),
  },
  {
    item: 'THEN MERMAID_TIMELINE',
    sql: `SELECT e.* FROM timeline_rows('${INCIDENT}') e THEN MERMAID_TIMELINE`,
    expect: all(columnsAre('mermaid'), matches(/^timeline\n/)),
  },
  {
    item: 'THEN MERMAID_TRIPLES',
    sql: `SELECT r.* FROM triples_rows('${ORG}') r THEN MERMAID_TRIPLES`,
    expect: all(columnsAre('mermaid'), matches(/^graph LR\n.*-- "works_at" -->/s)),
  },
  {
    item: 'THEN TO_PROPERTY_GRAPH',
    sql: `SELECT r.* FROM triples_rows('${ORG}') r THEN TO_PROPERTY_GRAPH('org')`,
    expect: all(columnsAre('id', 'source', 'source_label', 'predicate', 'target', 'target_label', 'evidence'), rowCount(3)),
  },
  {
    item: 'TO_PROPERTY_GRAPH node table',
    sql: 'SELECT label, degree FROM org_nodes ORDER BY label',
    expect: all(
      rowCount(3),
      column('degree', (v) => v.every((d) => d === 2), 'degree 2 each'),
    ),
  },
  {
    item: 'THEN INVESTIGATE',
    sql: "SELECT id, author, text, likes FROM tweets WHERE id <= 60 AND text MEANS 'a complaint' THEN INVESTIGATE 'why are these customers unhappy?'",
    expect: all(
      columnsAre('finding', 'category', 'evidence', 'confidence'),
      column('category', (v) => v[0] === 'query' && v.includes('answer'), 'queries shown first, then the answer'),
    ),
  },
  {
    item: 'THEN CHOOSE',
    sql: "SELECT text FROM tweets WHERE id <= 20 THEN CHOOSE (WHEN 'mostly complaints' THEN ANALYZE 'what went wrong?' WHEN 'mostly everyday posts' THEN SAMPLE(3) ELSE PASS)",
    expect: hasRows(1),
  },
  {
    item: 'THEN CHOOSE ... ELSE STOP',
    sql: "SELECT id, text FROM tweets WHERE id <= 6 THEN CHOOSE (WHEN 'all about weather' THEN ENRICH 'the forecast' ELSE STOP) THEN TOP('id', 2)",
    expect: all(columnsAre('id', 'text'), rowCount(6)),
  },
  {
    item: 'THEN CHOOSE BY a user operator',
    sql: "CREATE OR REPLACE SEMANTIC AGGREGATE FUNCTION mood_of(rows VARCHAR) RETURNS VARCHAR AS 'Are the rows {{rows}} mostly happy or mostly unhappy? Answer happy or unhappy.'; SELECT text FROM tweets WHERE id <= 10 THEN CHOOSE BY mood_of (WHEN 'happy' THEN SAMPLE(2) WHEN 'unhappy' THEN SAMPLE(3) ELSE PASS)",
    expect: { what: 'a branch ran', ok: (r) => [2, 3, 10].includes(r.rows.length) },
  },
  { item: 'THEN MUTE', sql: 'SELECT id, text FROM tweets WHERE id <= 3 INTO muted_v24 THEN MUTE', expect: all(columnsAre('id', 'text'), rowCount(0)) },
  { item: '... INTO name (a saved table)', sql: 'SELECT id, author FROM tweets WHERE id <= 3 INTO kept_v24', expect: rowCount(3) },
  {
    item: 'per-stage INTO',
    sql: "SELECT id, text FROM tweets WHERE id <= 6 INTO six_v24 THEN FILTER 'about food' INTO food_v24 THEN TOP('id', 1)",
    expect: rowCount(1),
  },
  {
    item: 'the INTO tables',
    sql: 'SELECT (SELECT count(*) FROM six_v24), (SELECT count(*) FROM food_v24), (SELECT count(*) FROM muted_v24)',
    expect: { what: '6, 3 and 3 rows kept', ok: (r) => JSON.stringify(r.rows[0]) === '[6,3,3]' },
  },
  { item: 'THEN PASS INTO', sql: 'SELECT author FROM tweets WHERE id <= 2 THEN PASS INTO passed_v24', expect: rowCount(2) },
  { item: 'SHADOW AS', sql: 'SELECT id, author FROM tweets WHERE id <= 3 SHADOW AS shadowed_v24', expect: rowCount(3) },
  { item: 'SHADOW AS after a pipeline', sql: 'SELECT id FROM tweets WHERE id <= 9 THEN SAMPLE(2) SHADOW AS sampled_v24', expect: rowCount(2) },
  {
    item: 'the SHADOW AS tables',
    sql: 'SELECT (SELECT count(*) FROM shadowed_v24), (SELECT count(*) FROM sampled_v24)',
    expect: { what: '3 and 2 rows', ok: (r) => JSON.stringify(r.rows[0]) === '[3,2]' },
  },
];

const REFUSED: { stage: string; sql: string; instead: RegExp }[] = [
  { stage: 'TO_PLOTLY', sql: "SELECT id FROM tweets THEN TO_PLOTLY 'bar chart'", instead: /THEN TO_VEGALITE/ },
  { stage: 'PYTHON', sql: "SELECT id FROM tweets THEN PYTHON('result = df')", instead: /in SQL/ },
  { stage: 'STYLIZE', sql: "SELECT id FROM tweets THEN STYLIZE 'watercolor'", instead: /ADD_STYLES/ },
  { stage: 'RENDER_CANVAS', sql: "SELECT id FROM tweets THEN RENDER_CANVAS('grid', 2, 1)", instead: /TO_VEGALITE/ },
];

beforeAll(async () => {
  await freshMockSession(app().page, 1);
});

describe('LARS v2.4 (issue 27): every new name, form, stage and block runs with LARS’s meaning', () => {
  const cases = [...OPERATORS, ...CHANGED, ...STAGES];
  it('lists each item once', () => {
    expect(new Set(cases.map((c) => c.item)).size).toBe(cases.length);
    console.log(`LARS v2.4 conformance: ${cases.length} names, forms, stages and blocks, and ${REFUSED.length} refused stages`);
  });

  for (const c of cases) {
    it(`${c.item}: ${c.sql.replace(/\s+/g, ' ').slice(0, 140)}`, async () => {
      const result = await run(c.sql);
      expect(c.expect.ok(result), `${c.expect.what}; got ${JSON.stringify(result).slice(0, 600)}`).toBe(true);
    });
  }

  for (const r of REFUSED) {
    it(`THEN ${r.stage} is refused at the stage, saying what to use instead`, async () => {
      const message = await app().page.evaluate(
        (q) =>
          window.semsql!.query(q).then(
            () => '',
            (e: Error) => e.message,
          ),
        r.sql,
      );
      expect(message.split('\n')[0]).toMatch(new RegExp(`^line 1, column ${r.sql.indexOf(r.stage) + 1}: THEN ${r.stage} is not run in the browser`));
      expect(message).toMatch(r.instead);
    });
  }
});

describe('charts and diagrams (issue 27)', () => {
  it('TO_VEGALITE, RENDER and ADD_STYLES give the page a spec with the rows inline and nothing that loads', async () => {
    const visual = await app().page.evaluate(() =>
      window
        .semsql!.query(
          "SELECT author, count(*) AS tweets FROM tweets WHERE id <= 100 GROUP BY author ORDER BY tweets DESC, author LIMIT 4 THEN TO_VEGALITE 'bar chart of tweets per author' THEN RENDER(640, 320) THEN ADD_STYLES('dark')",
        )
        .then((r) => r.visual),
    );
    expect(visual?.kind).toBe('vega-lite');
    if (visual?.kind !== 'vega-lite') return;
    expect(visual.render).toEqual({ width: 640, height: 320, scale: 2 });
    expect(visual.theme).toBe('dark');
    expect((visual.spec['data'] as { values: unknown[] }).values).toHaveLength(4);
    expect(JSON.stringify(visual.spec)).not.toMatch(/"url"|https?:|"href"/);
  });

  it('RENDER without a chart before it is an error at the stage', async () => {
    const message = await app().page.evaluate(() =>
      window.semsql!.query('SELECT 1 AS x THEN RENDER').then(
        () => '',
        (e: Error) => e.message,
      ),
    );
    expect(message.split('\n')[0]).toBe("line 1, column 15: THEN RENDER works on a chart: write THEN TO_VEGALITE '...' before it");
  });

  it('the Chart view draws a Vega-Lite chart and a Mermaid diagram (as an image), loading nothing from elsewhere', async () => {
    const { page, server } = app();
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(server.origin) && !/^(?:blob|data):/.test(req.url())) foreign.push(req.url());
    });
    await setSql(
      page,
      "SELECT author, count(*) AS tweets FROM tweets WHERE id <= 100 GROUP BY author ORDER BY tweets DESC, author LIMIT 4 THEN TO_VEGALITE 'bar chart of tweets per author'",
    );
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'), 60_000)).toBe('ok');
    await page.waitForSelector('[data-testid=visual-view][data-kind=vega-lite][data-state=drawn] svg[role=img]', { timeout: 60_000 });
    await setSql(page, `SELECT r.* FROM triples_rows('${ORG}') r THEN MERMAID_TRIPLES`);
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'), 60_000)).toBe('ok');
    const img = await page.waitForSelector('[data-testid=visual-view][data-kind=mermaid][data-state=drawn] img', { timeout: 60_000 });
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
  });

  it('a table kept with INTO comes back after a reload when a query names it', async () => {
    const { page } = app();
    await page.reload();
    // A reload boots DuckDB again: slow on a busy machine, so the wait is for readiness, generously bounded.
    await page.waitForFunction(() => document.documentElement.dataset.semsqlReady === 'true', null, { timeout: 180_000 });
    await setSql(page, 'SELECT count(*) AS n FROM kept_v24');
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'), 60_000)).toBe('ok');
    expect((await run('SELECT count(*) FROM kept_v24')).rows[0]?.[0]).toBe(3);
  }, 300_000);
});
