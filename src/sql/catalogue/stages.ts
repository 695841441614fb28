/**
 * Pipeline stages: `<query> THEN STAGE ['arg' | (args)] ...` (LARS). Each stage reads the table the
 * step before it produced. `sql` stages are written as SQL over that table (src/sql/pipeline.ts); a
 * pipeline made of them alone is one query of CTEs. `engine` stages need something DuckDB SQL cannot
 * say in one statement (a plan the model writes, several queries, a chart or diagram for the page):
 * the engine runs such a pipeline step by step (src/engine/stages/). `refused` stages are LARS stages
 * the browser does not run; using one is an error that says what to use instead (docs/semantic-sql.md).
 */
export interface PipelineStage {
  name: string;
  args: string;
  description: string;
  example: string;
  /** The internal operator a stage asks, if it asks the model. */
  operator?: string;
  runs: 'sql' | 'engine' | 'refused';
  /** A refused stage: what to use instead, and why. */
  instead?: string;
}

const sql = (s: Omit<PipelineStage, 'runs'>): PipelineStage => ({ ...s, runs: 'sql' });
const engine = (s: Omit<PipelineStage, 'runs'>): PipelineStage => ({ ...s, runs: 'engine' });
const refused = (name: string, args: string, description: string, instead: string): PipelineStage => ({
  name,
  args,
  description,
  instead,
  example: '',
  runs: 'refused',
});

const SALES =
  "SELECT * FROM (VALUES ('Widget', 'north', 100), ('Widget', 'south', 150), ('Gadget', 'north', 200), ('Gadget', 'east', 75)) AS t(product, region, revenue)";
const COMPLAINTS = "SELECT id, author, text, likes FROM tweets WHERE id <= 60 AND text MEANS 'a complaint'";
const PER_AUTHOR = 'SELECT author, count(*) AS tweets FROM tweets WHERE id <= 200 GROUP BY author ORDER BY tweets DESC, author LIMIT 5';

export const PIPELINE_STAGES: readonly PipelineStage[] = [
  sql({
    name: 'FILTER',
    args: "'criterion'",
    operator: 'then_filter',
    description: 'keeps the rows that meet the criterion (each row judged as a whole)',
    example: "SELECT id, text FROM tweets WHERE id <= 12 THEN FILTER 'about baking' THEN TOP('id', 3)",
  }),
  sql({
    name: 'ENRICH',
    args: "'what to add'",
    operator: 'then_enrich',
    description: 'adds a column, named after the request, answered for each row',
    example: "SELECT id, text FROM tweets WHERE id <= 3 THEN ENRICH 'the sentiment'",
  }),
  sql({
    name: 'ANALYZE',
    args: "'question'",
    operator: 'then_analyze',
    description: 'one call over all rows; the result becomes a table of findings (finding, category, detail)',
    example: "SELECT text, likes FROM tweets WHERE id <= 20 THEN ANALYZE 'what do people post about?'",
  }),
  sql({
    name: 'SPEAK',
    args: "['message']",
    operator: 'then_speak',
    description: 'adds a column `speech`: a short spoken-style summary of the rows (semsql plays no audio)',
    example: "SELECT author, likes FROM tweets WHERE id <= 5 THEN SPEAK 'summarise the likes'",
  }),
  sql({
    name: 'DEDUPE',
    args: "['col1, col2']",
    description: 'drops duplicate rows (on the named columns, or whole rows)',
    example: "SELECT author FROM tweets WHERE id <= 30 THEN DEDUPE THEN TOP('author', 3, 'asc')",
  }),
  sql({
    name: 'STATS',
    args: "['col1, col2']",
    description: 'a numeric summary per column: column, count, mean, std, min, p25, p50, p75, max',
    example: "SELECT id, likes FROM tweets THEN STATS 'likes'",
  }),
  sql({
    name: 'SAMPLE',
    args: '[n = 10]',
    description: 'n rows drawn at random (repeatably)',
    example: 'SELECT id FROM tweets THEN SAMPLE(3) THEN TOP(id, 3)',
  }),
  sql({
    name: 'TOP',
    args: "column [, n = 10 [, 'asc' | 'desc']]",
    description: 'the first n rows by a column, descending unless asked',
    example: "SELECT id, likes FROM tweets THEN TOP('likes', 3)",
  }),
  sql({
    name: 'GROUP',
    args: "group_by, column [, 'sum' | 'mean' | 'count' | 'min' | 'max']",
    description: 'one row per group with the column aggregated: <group_by>, <column>_<func>',
    example: "SELECT author, likes FROM tweets WHERE id <= 50 THEN GROUP('author', 'likes', 'count') THEN TOP('likes_count', 3)",
  }),
  sql({
    name: 'PASS',
    args: '',
    description: 'passes the rows on unchanged (with INTO, keeps them: `THEN PASS INTO name`)',
    example: 'SELECT id FROM tweets WHERE id <= 2 THEN PASS',
  }),
  engine({
    name: 'PIVOT',
    args: "'request' | (pivot_column, value_column [, 'sum' | 'avg' | 'count' | 'min' | 'max' | 'first'])",
    operator: 'pivot_plan',
    description:
      "rows to columns: the model reads the request and the columns and plans which column's values become columns, which column fills them and how; DuckDB's PIVOT does it. Two or three plain arguments need no model",
    example: `${SALES} THEN PIVOT 'revenue by region for each product'`,
  }),
  engine({
    name: 'MELT',
    args: "'request' | 'col1, col2, ...'",
    operator: 'melt_plan',
    description:
      "columns to rows (unpivot): the model plans which columns to melt and what to call the two new columns; DuckDB's UNPIVOT does it. A list of the columns needs no model",
    example:
      "SELECT * FROM (VALUES ('Widget', 100, 150, 200), ('Gadget', 80, 95, 110)) AS t(product, q1_sales, q2_sales, q3_sales) THEN MELT 'quarterly columns into quarter and sales'",
  }),
  engine({
    name: 'TO_VEGALITE',
    args: "'chart request'",
    operator: 'vegalite_spec',
    description:
      'the model writes a Vega-Lite chart for the rows, shown in the Chart view (the rows pass on unchanged); the chart reads only these rows, never a URL',
    example: `${PER_AUTHOR} THEN TO_VEGALITE 'bar chart of tweets per author'`,
  }),
  engine({
    name: 'RENDER',
    args: '[(width = 800, height = 600 [, scale = 2])]',
    description: 'draws the chart of the TO_VEGALITE before it at that size, as an image (PNG) in the Chart view',
    example: `${PER_AUTHOR} THEN TO_VEGALITE 'bar chart of tweets per author' THEN RENDER(640, 320)`,
  }),
  engine({
    name: 'ADD_STYLES',
    args: "[('auto' | 'dark' | 'light' | 'midnight' | 'paper' [, 'custom config JSON'])]",
    description:
      'a theme for the chart of the TO_VEGALITE before it (custom: Vega-Lite config values, colours and fonts; anything that names a URL is dropped)',
    example: `${PER_AUTHOR} THEN TO_VEGALITE 'bar chart of tweets per author' THEN ADD_STYLES('midnight')`,
  }),
  engine({
    name: 'MERMAID_TIMELINE',
    args: "[(timestamp_column = 'timestamp', event_column = 'event')]",
    description: 'a Mermaid timeline of the rows (no model call), drawn in the Chart view; the result is its source, one row `mermaid`',
    example:
      "SELECT e.* FROM timeline_rows('The server crashed at 3:15 PM. We identified the issue at 3:45 PM and deployed a fix at 4:30 PM.') e THEN MERMAID_TIMELINE",
  }),
  engine({
    name: 'MERMAID_TRIPLES',
    args: "[(subject_column, predicate_column, object_column [, 'LR' | 'RL' | 'TB' | 'BT'])]",
    description: 'a Mermaid graph of (subject, predicate, object) rows (no model call), drawn in the Chart view; the result is its source, one row `mermaid`',
    example: "SELECT r.* FROM triples_rows('John Smith works at Acme Corp as a software engineer. He reports to Jane Doe.') r THEN MERMAID_TRIPLES",
  }),
  engine({
    name: 'TO_PROPERTY_GRAPH',
    args: "[('name' = 'graph')]",
    description:
      'a property graph of (subject, predicate, object[, evidence]) rows as two tables, `<name>_nodes` (id, label, degree) and `<name>_edges` (source, target, predicate, evidence); the result is the edges with both ends named',
    example:
      "SELECT r.* FROM triples_rows('John Smith works at Acme Corp. Jane Doe works at Acme Corp. John Smith reports to Jane Doe.') r THEN TO_PROPERTY_GRAPH('org')",
  }),
  engine({
    name: 'INVESTIGATE',
    args: "'question'",
    operator: 'investigate_step',
    description:
      "an agent: for up to 8 turns the model may run a read-only follow-up query (checked like ASK_DATA's, within the statement's budget) before it answers; the result lists every query it ran (category `query`, with what it returned) and then its findings (finding, category, evidence, confidence)",
    example: `${COMPLAINTS} THEN INVESTIGATE 'why are these customers unhappy?'`,
  }),
  engine({
    name: 'CHOOSE',
    args: "[BY operator] (WHEN 'condition' THEN STAGE [args] ... [ELSE STAGE [args]])",
    operator: 'choose_branch',
    description:
      "one call over the rows picks the condition that describes them best; that branch's stage runs (PASS: rows unchanged; STOP: the pipeline ends here). BY names an aggregate user operator that answers with a condition instead",
    example:
      "SELECT text FROM tweets WHERE id <= 20 THEN CHOOSE (WHEN 'mostly complaints' THEN ANALYZE 'what went wrong?' WHEN 'mostly everyday posts' THEN SAMPLE(3) ELSE PASS)",
  }),
  engine({
    name: 'MUTE',
    args: '',
    description: 'the statement returns no rows (its columns stay): for pipelines run for what their INTO stages keep',
    example: 'SELECT id, text FROM tweets WHERE id <= 3 INTO first_tweets THEN MUTE',
  }),
  engine({
    name: 'STOP',
    args: '',
    description: 'ends the pipeline with the rows as they are (a CHOOSE branch: `ELSE STOP`)',
    example: "SELECT text FROM tweets WHERE id <= 5 THEN CHOOSE (WHEN 'about databases' THEN STOP ELSE ENRICH 'the topic')",
  }),
  refused(
    'TO_PLOTLY',
    "'chart request'",
    'a Plotly chart (LARS)',
    'use THEN TO_VEGALITE with the same request: the Chart view draws Vega-Lite, and Plotly.js would add 1.5 MB of gzipped script (4.8 MB minified, plotly.js-dist-min 4.1.2) for charts Vega-Lite already draws',
  ),
  refused(
    'PYTHON',
    "'code'",
    'a pandas transform (LARS)',
    'write the transform in SQL (a CTE or a macro before THEN), or THEN ENRICH for a value per row from the model: Python in the browser is Pyodide, 9.6 MB of wasm and a 2.5 MB standard library before pandas, fetched from a CDN, so it would not work offline',
  ),
  refused(
    'STYLIZE',
    "'style' [, fidelity]",
    'a chart repainted by an image model (LARS)',
    "use THEN ADD_STYLES('dark' | 'light' | 'midnight' | 'paper'): no model semsql calls draws images",
  ),
  refused(
    'RENDER_CANVAS',
    '[(layout, dim1, dim2)]',
    'panels composed into a canvas (LARS)',
    "ask one THEN TO_VEGALITE for several views ('small multiples of likes per author, one panel per month'): Vega-Lite lays out concatenated and faceted charts itself",
  ),
];

/** Statement forms that pipelines use: saving a step's rows, and naming the result. */
export const PIPELINE_FORMS: readonly { name: string; description: string; example: string }[] = [
  {
    name: 'INTO name',
    description:
      "after the query or any stage: the rows at that point are kept as the saved table `name` (a DuckDB table, and stored in the browser so it comes back after a reload); `SELECT ... INTO name` alone keeps a query's result",
    example: "SELECT id, text FROM tweets WHERE id <= 6 INTO six_tweets THEN FILTER 'about food' INTO food_tweets",
  },
  {
    name: 'SHADOW AS name',
    description: 'after the whole statement, like `-> name`: the result is also the table `name` for this session',
    example: 'SELECT id, author FROM tweets WHERE id <= 3 SHADOW AS first_authors',
  },
];
