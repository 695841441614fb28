import { BOOLEAN, group, jsonText, optional, text, TEXT, type OperatorSpec } from './define';
import { PIPELINE_STAGES } from './stages';

const row = text('row');

const example = (stage: string): string => PIPELINE_STAGES.find((s) => s.name === stage)?.example ?? '';
const sample = group('rows');
const columns = text('columns');

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
    examples: [example('FILTER')],
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
    examples: [example('ENRICH')],
    internal: true,
  },
  {
    name: 'then_analyze',
    args: [group('rows'), text('question')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt:
      'Analyse the records in {{rows}} to answer {{question}}. Answer with 3 to 8 findings, one per line, each written as: category | finding | detail, where category is one of answer, trend, pattern, outlier, recommendation.',
    outputSchema: TEXT,
    mock: 'then_analyze',
    description: 'THEN ANALYZE: findings about all rows, one per line',
    examples: [example('ANALYZE')],
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
    examples: [example('SPEAK')],
    internal: true,
  },
  {
    name: 'pivot_plan',
    args: [sample, text('request'), columns],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    prompt:
      "Plan a pivot of a table with the columns {{columns}} (its first rows are {{rows}}) that does what {{request}} asks: which columns stay as row keys, which column's values become new columns, which columns fill them, and how several values in one cell combine (sum, avg, count, min, max or first). Answer with a JSON object: {index_columns, pivot_column, value_columns, aggregation}, naming only columns the table has.",
    outputSchema: jsonText('{index_columns, pivot_column, value_columns, aggregation}'),
    mock: 'pivot_plan',
    description: "THEN PIVOT: the plan DuckDB's PIVOT carries out",
    examples: [example('PIVOT')],
    internal: true,
  },
  {
    name: 'melt_plan',
    args: [sample, text('request'), columns],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    prompt:
      'Plan melting (unpivoting) a table with the columns {{columns}} (its first rows are {{rows}}) as {{request}} asks: which columns stay as they are, which become rows, and the names of the column that holds their names and of the one that holds their values. Answer with a JSON object: {id_columns, value_columns, variable_name, value_name}, naming only columns the table has.',
    outputSchema: jsonText('{id_columns, value_columns, variable_name, value_name}'),
    mock: 'melt_plan',
    description: "THEN MELT: the plan DuckDB's UNPIVOT carries out",
    examples: [example('MELT')],
    internal: true,
  },
  {
    name: 'vegalite_spec',
    args: [sample, text('request'), columns],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    prompt:
      'Write a Vega-Lite v6 specification for the chart {{request}} asks for, of a table with the columns {{columns}} (its first rows are {{rows}}). Use only those columns as fields, with their types (quantitative, temporal, nominal, ordinal); leave out `data` (the rows are supplied) and anything that loads a URL. Answer with the specification as a JSON object.',
    outputSchema: jsonText('a Vega-Lite specification without data'),
    mock: 'vegalite_spec',
    description: 'THEN TO_VEGALITE: a chart specification for the rows',
    examples: [example('TO_VEGALITE')],
    internal: true,
  },
  {
    name: 'investigate_step',
    args: [text('question'), text('context'), text('transcript')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'You are investigating {{question}}. The data so far, with the query that produced it and the database\'s tables: {{context}}. The queries you ran and what they returned: {{transcript}}. Either run one more read-only DuckDB query to check a lead, answering {"sql": "SELECT ..."}, or conclude, answering {"findings": [{finding, category, evidence, confidence}]} with 3 to 8 findings (category answer, pattern, correlation, outlier, cause or recommendation; confidence high, medium or low; the first finding answers the question, and each cites the query or data behind it). When the transcript says this is the last turn, conclude.',
    outputSchema: jsonText('{sql} or {findings: [{finding, category, evidence, confidence}]}'),
    mock: 'investigate_step',
    description: 'THEN INVESTIGATE: one turn of the investigation',
    examples: [example('INVESTIGATE')],
    internal: true,
  },
  {
    name: 'choose_branch',
    args: [sample, text('conditions')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt:
      'Which one of the conditions in {{conditions}} (a JSON array) describes the rows {{rows}} as a whole best? Answer with that condition exactly as written, or with none if none fits.',
    outputSchema: TEXT,
    mock: 'choose_branch',
    description: 'THEN CHOOSE: the condition the rows meet',
    examples: [example('CHOOSE')],
    internal: true,
  },
];
