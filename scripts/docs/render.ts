import { ANNOTATION_KEYS, BUILTIN_OPERATORS, EXTRACTION, PIPELINE_FORMS, PIPELINE_STAGES, REASONING, syntaxOf, type OperatorDef } from '../../src/sql';
import { catalogueExamples, type ExampleResult } from '../../tests/e2e/support/catalogue-examples';

/**
 * docs/semantic-sql.md, written from the operator catalogue and the answers its examples got from the
 * offline model (docs/semantic-sql.answers.json). `npm run docs` runs the examples and writes both;
 * tests/unit/docs/semantic-sql-docs.test.ts fails when the catalogue changed and they were not.
 */
export type ExampleAnswers = Record<string, ExampleResult>;

export const REGENERATE = 'npm run docs';

const REASONING_NAMES = new Set(REASONING.map((op) => op.name));
const EXTRACTION_NAMES = new Set(EXTRACTION.map((op) => op.name));

const FAMILIES: [string, (op: OperatorDef) => boolean][] = [
  ['Arguments: evidence, assumptions and reasoning', (op) => REASONING_NAMES.has(op.name)],
  ['Events and facts pulled from text (with their table forms)', (op) => EXTRACTION_NAMES.has(op.name)],
  ['Session parameters, the call log and cascade files', (op) => op.execution === 'sql' && op.rows === undefined],
  ['Judgements: yes/no and 0–1 scores', (op) => op.shape === 'scalar' && op.returns !== 'VARCHAR' && op.execution !== 'embeddings' && op.dimension === undefined],
  ['Text: answers, labels and rewrites', (op) => op.shape === 'scalar' && op.returns === 'VARCHAR' && op.sqlType === undefined && op.execution !== 'embeddings' && op.table !== true],
  ['Structure: parsing and normalising values', (op) => op.shape === 'scalar' && op.sqlType !== undefined && op.execution !== 'embeddings' && op.table !== true && op.dimension === undefined],
  ['Aggregates: one answer per group', (op) => op.shape === 'aggregate' && op.execution !== 'embeddings'],
  ['Dimensions: semantic GROUP BY', (op) => op.dimension !== undefined],
  ['Questions about the data', (op) => op.table === true && op.execution !== 'embeddings'],
  ['Embeddings (answered by the embeddings model in Settings: the offline mock by default, or an OpenAI-compatible endpoint)', (op) => op.execution === 'embeddings'],
];

const DISPLAY_ORDER = ['Judgements', 'Text', 'Structure', 'Arguments', 'Events', 'Aggregates', 'Dimensions', 'Questions', 'Embeddings', 'Session'];

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return 'NULL';
  const text = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
  const short = text.length > 90 ? `${text.slice(0, 87)}...` : text;
  return short.replace(/\|/g, '\\|').replace(/\n/g, ' ↵ ');
};

function resultTable(result: ExampleResult): string {
  if (result.columns.length === 0) return '→ (no rows)';
  const lines = [`| ${result.columns.map(cell).join(' | ')} |`, `|${result.columns.map(() => '---').join('|')}|`, ...result.rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
  const more = result.rowCount > result.rows.length ? `\n\n(${result.rowCount} rows; the first ${result.rows.length} shown)` : result.rowCount === 0 ? '\n\n(no rows)' : '';
  return lines.join('\n') + more;
}

function example(sql: string, answers: ExampleAnswers): string {
  const answer = answers[sql];
  const shown = answer === undefined ? `→ not run yet: \`${REGENERATE}\`` : resultTable(answer);
  return `\`\`\`sql\n${sql}\n\`\`\`\n\n${shown}`;
}

function argumentText(op: OperatorDef): string {
  return op.args
    .filter((a) => a.implicit === undefined)
    .map((a) => `\`${a.name}\` ${a.type}${a.group === true ? ' (collected over the group)' : ''}${a.variadic === true ? ' (any number)' : ''}${a.optional === true ? (a.default !== undefined ? ` (optional, default ${a.default})` : ' (optional)') : ''}`)
    .join(', ');
}

function shapeText(op: OperatorDef): string {
  if (op.dimension !== undefined) return op.dimension.labels === 'fixed' ? 'dimension (fixed labels: one call per row)' : 'dimension (labels proposed over the column, then one per row)';
  if (op.table === true) return 'table (written in FROM or as a statement)';
  return op.shape;
}

function operatorSection(op: OperatorDef, answers: ExampleAnswers, operators: readonly OperatorDef[]): string {
  const returns = `${op.sqlType ?? op.returns}${op.range !== undefined ? ` (${op.range[0]} to ${op.range[1]})` : ''}`;
  const lines = [
    `### ${op.name}`,
    '',
    `${op.description.charAt(0).toUpperCase()}${op.description.slice(1)}.`,
    '',
    `- Spellings: ${syntaxOf(op).map((s) => `\`${s}\``).join(', ')}`,
    `- Arguments: ${argumentText(op)}`,
    `- Returns: ${returns}; shape: ${shapeText(op)}`,
  ];
  if (op.lars !== undefined) lines.push(`- LARS names: ${op.lars.map((n) => `\`${n}\``).join(', ')}`);
  if (op.execution === 'embeddings') lines.push(`- Rewrites to the hook \`${op.udf}(...)\`, which the embeddings layer defines; until then a query using it fails with a message saying so.`);
  else if (op.rows !== undefined) lines.push(`- Reads the answers of \`${op.rows.of}\` (asked and cached under its name, once per input) into rows; only the rows the query level's WHERE keeps are asked.`);
  else if (op.execution === 'sql') lines.push('- Written by semsql as SQL in its place, with no model call of its own (cascade\'s call is the operator it names).');
  else lines.push(`- Prompt: ${op.prompt === '{{prompt}}' ? 'the first argument' : `"${op.prompt}"`}`);
  // sentiment's dimension form is an operator of its own, reached only through sentiment: shown here.
  const variant = operators.find((o) => o.name === op.dimensionVariant);
  const examples = [...op.examples, ...(variant?.examples ?? [])];
  lines.push('', ...examples.flatMap((e) => [...(e.note !== undefined ? [e.note, ''] : []), example(e.sql, answers), '']));
  return lines.join('\n');
}

const INTRO = `# Semantic SQL reference

Generated from the operator catalogue (\`src/sql/catalogue/\`) by \`${REGENERATE}\`, which also runs every
example below in the app (real rewriter, DuckDB-WASM in Chromium, the offline mock model) and shows what it
answered. Do not edit by hand; \`tests/unit/docs/semantic-sql-docs.test.ts\` fails when the catalogue changes
and this page was not regenerated, and \`tests/e2e/catalogue-examples.test.ts\` runs every example again.

semsql is DuckDB SQL plus semantic operators answered by a language model. Everything that is not a
semantic operator or an annotation passes through to DuckDB untouched. The syntax follows the LARS
(rvbbit) semantic SQL dialect: its operator names and forms run here.

## Rules

- The rewriter is token-aware: nothing inside string literals, quoted identifiers ("means" is a column) or
  comments (other than annotations) is rewritten. Keywords are case-insensitive.
- Operands are expressions (a column, a literal, a call, a bracketed expression, a CASE). Infix and postfix
  operators bind like comparisons: \`a MEANS 'x' AND b ABOUT 'y' > 0.7\` is \`(a MEANS 'x') AND ((b ABOUT 'y') > 0.7)\`.
- Every operator has the spellings listed with it: infix and postfix keywords, \`<name>(...)\`, \`semantic_<name>(...)\`
  and aliases, except where the name is a DuckDB function (\`translate\` is DuckDB's; use \`smart_translate\`).
- \`NOT\` before an infix operator negates it (\`text NOT MEANS 'spam'\`, \`x IS NOT VALID 'email'\`).
- A 0–1 score (ABOUT, ALIGNS, SIMILAR_TO, RELEVANCE TO, quality) used where a condition is expected means
  \`score > threshold\` (0.5, or \`-- @ threshold: t\`); \`ORDER BY x RELEVANCE TO 'q'\` sorts by the score, descending.
- Some keywords are SQL too and apply only where the operand fits: \`x IN 'EUR'\` (a currency: normalize_currency),
  \`x IN 'km'\` or \`x TO 'km'\` (a unit: normalize_unit; \`x IN (1, 2)\` stays SQL). \`->\` is DuckDB's JSON arrow
  and lambda arrow (LARS v2.4 dropped smart_json's \`j -> 'description'\`, which took keys with spaces from DuckDB);
  a final \`-> name\` saves the result. TO and DEFAULT are operators only inside queries, never in
  \`COPY ... TO 'file'\` or a column's DEFAULT.
- An operator keyword with its operand missing is an error at the missing operand (\`SELECT text MEANS FROM t\`);
  quote a column or alias named like a keyword (\`"means"\`).
- Errors name the line and column in your SQL. DuckDB's errors about the rewritten statement are told in your
  terms: placed where you wrote the thing, naming what you wrote.

## Shapes

- **scalar**: one answer per distinct input (a row's values).
- **aggregate**: one answer per group; the first argument's values reach the model together. Works with GROUP BY,
  HAVING and window-free SELECTs. \`classify(x, 'a,b')\` aggregates when its level groups, or when nothing else in its
  SELECT list is per row (\`SELECT classify(text, 'a,b') FROM t\` classifies the whole table, as LARS's CLASSIFY does).
- **dimension** (LARS's semantic GROUP BY): \`GROUP BY toxicity(text)\` labels each row. Labels are proposed over
  the column (one call over the query level's rows after its WHERE), then each row gets one (one call per distinct
  value). Outside GROUP BY a dimension labels rows too; in a grouped level where it is not a key it answers for the
  group. \`sentiment(x)\` is a number, but a sentiment label as a GROUP BY key or with a focus: \`sentiment(x, 'fear')\`.
`;

function annotationsSection(): string {
  const rows = ANNOTATION_KEYS.map((k) => `| \`${k}\` | ${ANNOTATION_MEANINGS[k] ?? ''} |`);
  if (ANNOTATION_KEYS.some((k) => ANNOTATION_MEANINGS[k] === undefined)) throw new Error(`annotations without a description in scripts/docs/render.ts: ${ANNOTATION_KEYS.filter((k) => ANNOTATION_MEANINGS[k] === undefined).join(', ')}`);
  return [
    '## Annotations',
    '',
    'Comment lines before a statement, `-- @ key: value`, apply to that statement. Any other text (`-- @ be strict about sarcasm`) is added to every operator\'s instructions.',
    '',
    '| key | value and meaning |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** What each annotation key takes and does; a key missing here fails the docs build. */
const ANNOTATION_MEANINGS: Record<string, string> = {
  parallel: 'model calls in flight at once (default: settings)',
  model: 'the model that answers this statement',
  threshold: 'the score at or above which ABOUT, ALIGNS and the other scores count as true in a condition (default 0.5)',
  budget: 'most billed requests the statement may send, retries included (a 429 is not billed)',
  cache: '`on`, `off` (neither read nor write) or `refresh` (ask again and store)',
  temperature: 'the model\'s temperature, 0 to 1 (part of the cache key)',
  on_error: '`null` (a failed input is NULL in its rows) or `fail` (the first failure stops the statement)',
  wave: 'rows per wave for an early LIMIT (default: chosen from the scan)',
  early: '`on` or `off`: stop at the first pass that returns the LIMIT\'s rows',
  mode: '`direct` or `batch`: send the calls as Message Batches (half the price, answered within hours; a reload loses nothing)',
  rows_per_request: 'rows sent together in one request, 1 to 512, or `auto` (as many as finish soonest under the provider\'s per-minute limits: its entry tier until its first answer says, one per call when it has none); `batch` is accepted as another name for it',
  approximate: '`error E[, confidence C][, seed S]`: an aggregate over semantic answers asks its inputs in a seeded random order and stops once every running estimate (a filter\'s share of true answers, a score\'s mean) is within ±E at confidence C (default 0.95); its result is then the estimates with their intervals, marked as such; see docs/estimates.md',
  cascade: '`off`, or `recall R, precision P[, confidence C][, seed S]`: filters decide the rows an embedding proxy is sure of without a call, with recall and precision at the targets with probability C (default 0.9); see docs/cascades.md',
  join: '`exact` (the default), `classify`, or `recall R[, precision P][, confidence C][, seed S]`: how semantic joins are answered: every pair, one request per value of the large side, or the proxy\'s candidates and a sample that certifies recall R with probability C (default 0.9); see docs/semantic-joins.md',
};

function pipelineSection(answers: ExampleAnswers): string {
  const runs = { sql: 'SQL', engine: 'engine', refused: 'refused' } as const;
  const lines = [
    '## Pipelines: `THEN STAGE`',
    '',
    "`<query> THEN STAGE ['arg' | (args)] THEN ... [INTO name] ... [SHADOW AS name]`: each stage reads the table the step before it made. A THEN inside CASE or SEMANTIC_CASE belongs to it.",
    '',
    '- **SQL** stages are written as SQL over the rows before them; a pipeline of SQL stages only is one query. FILTER and ENRICH ask the model per row, ANALYZE and SPEAK once over all rows.',
    "- **engine** stages need more than one statement: a plan the model writes for DuckDB to carry out (PIVOT, MELT), a chart or diagram for the page (TO_VEGALITE, RENDER, ADD_STYLES, MERMAID_TIMELINE, MERMAID_TRIPLES, drawn in the Chart view), tables to make (TO_PROPERTY_GRAPH, INTO), follow-up queries (INVESTIGATE), or a branch to pick (CHOOSE). A pipeline with one runs step by step: the query's rows, then each step's, are kept in temporary tables, and every step's statement goes through the engine like a query of yours: answers asked once and cached, every call counted against the statement's budget. EXPLAIN SEMANTIC counts the calls of the query before the stages.",
    '- **refused** stages are LARS stages the browser does not run; using one is an error at the stage that says what to use instead (below).',
    '',
    '| stage | arguments | runs as | what it does |',
    '|---|---|---|---|',
    ...PIPELINE_STAGES.map((s) => `| ${s.name} | ${s.args.replace(/\|/g, '\\|') || '—'} | ${runs[s.runs]} | ${(s.runs === 'refused' ? `${s.description}: ${s.instead ?? ''}` : s.description).replace(/\|/g, '\\|')} |`),
    '',
  ];
  for (const s of PIPELINE_STAGES) if (s.runs !== 'refused') lines.push(`### THEN ${s.name}`, '', example(s.example, answers), '');
  lines.push(
    '### Stages the browser does not run',
    '',
    "semsql runs in the browser, offline after one visit, and draws with Vega-Lite. These LARS stages would need what that rules out, so each is refused at the stage with what to use instead:",
    '',
    ...PIPELINE_STAGES.filter((s) => s.runs === 'refused').map((s) => `- \`THEN ${s.name}\` (${s.description}): ${s.instead ?? ''}.`),
    '',
    '### Charts and diagrams are data',
    '',
    "TO_VEGALITE's spec is the model's, so before it reaches the page everything in it that could load or link is removed (`data` and `datasets`: the rows are put in inline; any `url`; the `href` channel; image marks; bound inputs; any string that is a URL), and the page draws it with a Vega loader that refuses every load and Vega's expression interpreter (the app's Content Security Policy allows no eval). Mermaid source is written by semsql from the rows, every label escaped; Mermaid draws it at security level strict, and the page shows the SVG as an image (an image runs no script and loads nothing). Both libraries load on first use: a page that draws nothing never downloads them.",
    '',
  );
  lines.push('## Pipeline forms', '');
  for (const f of PIPELINE_FORMS) lines.push(`### ${f.name}`, '', `${f.description.charAt(0).toUpperCase()}${f.description.slice(1)}.`, '', example(f.example, answers), '');
  return lines.join('\n');
}

const STATEMENTS = `## Statement forms

- \`<query> -> name\` saves the result as the table \`name\` (CREATE OR REPLACE TABLE) and returns it.
- \`ASK_DATA 'question'\` (also \`SELECT * FROM ask_data('question')\`): the model writes a query for the question,
  given the database's tables and columns (ask_data_sql); semsql runs it only after checking it is one read-only
  query. See ask_data below.
- \`EXPLAIN SEMANTIC <query>\`: the rewritten SQL, each call site, and, without calling a model, how many calls the
  first pass needs, how many are cached, and an estimate of tokens and cost.
- \`CREATE [OR REPLACE] SEMANTIC [AGGREGATE] FUNCTION name(arg VARCHAR, ...) RETURNS BOOLEAN|DOUBLE|VARCHAR AS 'prompt
  naming {{arg}}' [INFIX 'KEYWORD' | POSTFIX 'KEYWORD']\`, \`DROP SEMANTIC FUNCTION name\`, \`SHOW SEMANTIC FUNCTIONS\`.
  User operators have the same shape as catalogue entries; they are saved in the browser, exported and imported as
  JSON, and a LARS operator file (its \`sql_function\` part) can be imported as one. Changing a prompt changes the
  operator's version, so old answers are not reused for it.
- Tables \`semantic_calls\` (with each model call's \`answer\`) and \`semantic_queries\` log every model call and query.
- \`<query> INTO name\` keeps the result as a saved table (listed in the data panel, back after a reload); in a pipeline,
  \`INTO name\` after any step keeps that step's rows. \`SHADOW AS name\` is \`-> name\`. See the pipeline forms below.
- Session parameters: \`@param_set('key', value)\` and \`@param_clear('key')\` run before their statement; \`@param_get('key'[, default])\`
  reads one. They last as long as the tab's engine (see param_set below).
- \`cascade('path/name.cascade.yaml', json_object('arg', value, ...))\` calls the user operator that LARS cascade file was
  imported as, its arguments by name (see cascade below).
`;

/** The whole page. */
export function renderReference(answers: ExampleAnswers, operators: readonly OperatorDef[] = BUILTIN_OPERATORS): string {
  const visible = operators.filter((op) => op.internal !== true);
  const sections: string[] = [INTRO, annotationsSection(), STATEMENTS];
  const listed = new Set<string>();
  const families: { title: string; text: string[] }[] = [];
  for (const [title, member] of FAMILIES) {
    const ops = visible.filter((op) => !listed.has(op.name) && member(op));
    if (ops.length === 0) continue;
    for (const op of ops) listed.add(op.name);
    families.push({ title, text: [`## ${title}\n\n${ops.map((op) => `[${op.name}](#${op.name})`).join(' · ')}\n`, ...ops.map((op) => operatorSection(op, answers, operators))] });
  }
  // Families are matched most specific first, and shown in reading order: the oldest, most used ones first.
  const rank = (title: string) => DISPLAY_ORDER.findIndex((prefix) => title.startsWith(prefix));
  for (const family of families.sort((a, b) => rank(a.title) - rank(b.title))) sections.push(...family.text);
  const missing = visible.filter((op) => !listed.has(op.name)).map((op) => op.name);
  if (missing.length > 0) throw new Error(`operators in no docs section: ${missing.join(', ')}`);
  sections.push(pipelineSection(answers));
  return `${sections.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** The examples whose answers the page shows: every one. */
export function examplesToAnswer(): { sql: string }[] {
  return catalogueExamples().map(({ sql }) => ({ sql }));
}
