import { BOOLEAN, group, optional, text, TEXT, type OperatorSpec } from './define';

/**
 * Pipeline stages: `<query> THEN STAGE ['arg' | (args)] ...` (LARS). Each stage reads the table the
 * step before it produced; src/sql/pipeline.ts writes the whole pipeline as one query of CTEs. Four
 * stages ask the model (through the internal operators below); the others are plain SQL.
 */
export interface PipelineStage {
  name: string;
  args: string;
  description: string;
  example: string;
  /** The internal operator a stage asks, if it asks the model. */
  operator?: string;
}

export const PIPELINE_STAGES: readonly PipelineStage[] = [
  { name: 'FILTER', args: "'criterion'", operator: 'then_filter', description: 'keeps the rows that meet the criterion (each row judged as a whole)', example: "SELECT id, text FROM tweets WHERE id <= 12 THEN FILTER 'about baking' THEN TOP('id', 3)" },
  { name: 'ENRICH', args: "'what to add'", operator: 'then_enrich', description: 'adds a column, named after the request, answered for each row', example: "SELECT id, text FROM tweets WHERE id <= 3 THEN ENRICH 'the sentiment'" },
  { name: 'ANALYZE', args: "'question'", operator: 'then_analyze', description: 'one call over all rows; the result becomes a table of findings (finding, category, detail)', example: "SELECT text, likes FROM tweets WHERE id <= 20 THEN ANALYZE 'what do people post about?'" },
  { name: 'SPEAK', args: "['message']", operator: 'then_speak', description: 'adds a column `speech`: a short spoken-style summary of the rows (semsql plays no audio)', example: "SELECT author, likes FROM tweets WHERE id <= 5 THEN SPEAK 'summarise the likes'" },
  { name: 'DEDUPE', args: "['col1, col2']", description: 'drops duplicate rows (on the named columns, or whole rows)', example: "SELECT author FROM tweets WHERE id <= 30 THEN DEDUPE THEN TOP('author', 3, 'asc')" },
  { name: 'STATS', args: "['col1, col2']", description: 'a numeric summary per column: column, count, mean, std, min, p25, p50, p75, max', example: "SELECT id, likes FROM tweets THEN STATS 'likes'" },
  { name: 'SAMPLE', args: '[n = 10]', description: 'n rows drawn at random (repeatably)', example: 'SELECT id FROM tweets THEN SAMPLE(3) THEN TOP(id, 3)' },
  { name: 'TOP', args: "column [, n = 10 [, 'asc' | 'desc']]", description: 'the first n rows by a column, descending unless asked', example: "SELECT id, likes FROM tweets THEN TOP('likes', 3)" },
  { name: 'GROUP', args: "group_by, column [, 'sum' | 'mean' | 'count' | 'min' | 'max']", description: 'one row per group with the column aggregated: <group_by>, <column>_<func>', example: "SELECT author, likes FROM tweets WHERE id <= 50 THEN GROUP('author', 'likes', 'count') THEN TOP('likes_count', 3)" },
  { name: 'PASS', args: '', description: 'passes the rows on unchanged', example: 'SELECT id FROM tweets WHERE id <= 2 THEN PASS' },
];

const row = text('row');

/** The model's side of the stages that ask it. Internal: reached only through THEN. */
export const PIPELINE_OPERATORS: readonly OperatorSpec[] = [
  {
    name: 'then_filter',
    args: [row, text('criterion')],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Does the record {{row}} meet {{criterion}}?',
    outputSchema: BOOLEAN,
    mock: 'then_filter',
    description: 'THEN FILTER: whether a row meets the criterion',
    examples: [PIPELINE_STAGES[0]?.example ?? ''],
    internal: true,
  },
  {
    name: 'then_enrich',
    args: [row, text('request')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'For the record {{row}}, answer what {{request}} asks for, in a few words.',
    outputSchema: TEXT,
    mock: 'then_enrich',
    description: 'THEN ENRICH: the new value for a row',
    examples: [PIPELINE_STAGES[1]?.example ?? ''],
    internal: true,
  },
  {
    name: 'then_analyze',
    args: [group('rows'), text('question')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'Analyse the records in {{rows}} to answer {{question}}. Answer with 3 to 8 findings, one per line, each written as: category | finding | detail, where category is one of answer, trend, pattern, outlier, recommendation.',
    outputSchema: TEXT,
    mock: 'then_analyze',
    description: 'THEN ANALYZE: findings about all rows, one per line',
    examples: [PIPELINE_STAGES[2]?.example ?? ''],
    internal: true,
  },
  {
    name: 'then_speak',
    args: [group('rows'), optional('message', "''")],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'Say in two to four spoken-style sentences what the records in {{rows}} show, following {{message}} when it is not empty.',
    outputSchema: TEXT,
    mock: 'then_speak',
    description: 'THEN SPEAK: a short spoken summary of the rows',
    examples: [PIPELINE_STAGES[3]?.example ?? ''],
    internal: true,
  },
];
