import { optional, text, TEXT, type OperatorSpec } from './define';

/**
 * Operators whose answer is SQL. ask_data_sql writes a query for a question about the database (the
 * rewriter passes it the tables and columns); `ASK_DATA 'question'` and `SELECT * FROM
 * ask_data('question')` also run it, once it is checked to be one read-only query.
 */
export const CODE_WRITERS: readonly OperatorSpec[] = [
  {
    name: 'ask_data_sql',
    args: [text('question'), { name: 'schema', type: 'VARCHAR', implicit: 'schema', description: 'the tables and columns, supplied by the rewriter' }],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Write one read-only DuckDB SELECT query that answers {{question}} over the tables and columns listed in {{schema}}. Answer with the SQL only.',
    outputSchema: TEXT,
    mock: 'ask_data_sql',
    description: 'a SQL query that answers a question about the data (not run)',
    examples: ["SELECT ask_data_sql('how many tweets are there?') AS sql"],
  },
  {
    name: 'ask_data',
    args: [text('question'), { name: 'schema', type: 'VARCHAR', implicit: 'schema', description: 'the tables and columns, supplied by the rewriter' }],
    returns: 'VARCHAR',
    sqlType: 'TABLE (the rows of the query it writes)',
    shape: 'scalar',
    table: true,
    prompt: 'Write one read-only DuckDB SELECT query that answers {{question}} over the tables and columns listed in {{schema}}. Answer with the SQL only.',
    outputSchema: TEXT,
    mock: 'ask_data_sql',
    description:
      "the answer to a question about the data: `ASK_DATA 'question'` or `SELECT * FROM ask_data('question')` writes a query (ask_data_sql), checks it is one read-only query, and runs it",
    examples: ["ASK_DATA 'how many tweets are there?'", "SELECT * FROM ask_data('the 3 authors with the most tweets')"],
  },
  {
    name: 'sql_expression',
    args: [text('description'), optional('column_context', "''")],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Write one DuckDB SQL expression that computes {{description}}, over the columns {{column_context}} when given. Answer with the expression only.',
    outputSchema: TEXT,
    mock: 'sql_expression',
    description: 'a SQL expression written from a description (not run)',
    examples: ["SELECT sql_expression('the year of created_at', 'created_at TIMESTAMP') AS expr"],
  },
];
