import { count, group, jsonText, optional, text, TEXT, type OperatorSpec } from './define';

/**
 * Operators answered by embeddings, not by a language model: they rewrite to hooks named
 * `__emb_<name>` with the arguments a bridge UDF would get (aggregates: the group encoding), which
 * the embeddings layer defines (an embeddings provider, vectors compared in DuckDB with
 * array_cosine_similarity). The SQL front end only parses and rewrites them.
 */
const embeddings = (spec: Omit<OperatorSpec, 'execution' | 'outputSchema' | 'prompt'> & { outputSchema?: OperatorSpec['outputSchema'] }): OperatorSpec => ({
  ...spec,
  prompt: '',
  outputSchema: spec.outputSchema ?? TEXT,
  execution: 'embeddings',
});

export const EMBEDDINGS: readonly OperatorSpec[] = [
  embeddings({
    name: 'embed',
    lars: ['semantic_embed', 'EMBED'],
    args: [text(), optional('model')],
    returns: 'VARCHAR',
    sqlType: 'DOUBLE[]',
    shape: 'scalar',
    mock: 'embeddings',
    description: 'the embedding vector of the text',
    examples: ["SELECT embed('hello world') AS vector"],
  }),
  embeddings({
    name: 'embed_with_storage',
    lars: ['semantic_embed_with_storage'],
    args: [text(), text('model'), text('source_table'), text('column_name'), text('source_id')],
    returns: 'VARCHAR',
    sqlType: 'DOUBLE[]',
    shape: 'scalar',
    mock: 'embeddings',
    description: 'the embedding vector of the text, also stored with where it came from',
    examples: ["SELECT embed_with_storage(text, 'default', 'tweets', 'text', CAST(id AS VARCHAR)) AS vector FROM tweets WHERE id <= 3"],
  }),
  embeddings({
    name: 'embed_batch',
    args: [text('table_name'), text('column_name'), text('rows_json'), count('batch_size', '50')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    mock: 'embeddings',
    outputSchema: jsonText('{rows_embedded, batches, duration_seconds, rows_per_second, model}'),
    description: 'embeds many rows at once and reports how many (JSON)',
    examples: ['SELECT embed_batch(\'tweets\', \'text\', \'[{"id": 1, "text": "hello"}]\') AS report'],
  }),
  embeddings({
    name: 'embed_status',
    args: [text('table_name'), text('column_name'), text('id_column')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    mock: 'embeddings',
    outputSchema: jsonText('{total_rows, embedded_rows, coverage}'),
    description: 'how many rows of a column have embeddings (JSON)',
    examples: ["SELECT embed_status('tweets', 'text', 'id') AS coverage"],
  }),
  embeddings({
    name: 'vector_search',
    args: [text('query'), text('source_table'), count('k', '10'), optional('min_score', '0', 'DOUBLE')],
    returns: 'VARCHAR',
    sqlType: 'TABLE (id, text, similarity, distance)',
    shape: 'scalar',
    table: true,
    mock: 'embeddings',
    description: "the rows of a table column (`t.c` or 't.c') nearest in meaning to the query, as a table",
    examples: ["SELECT * FROM vector_search('sourdough bread', tweets.text, 5)"],
  }),
  embeddings({
    name: 'rank_semantic',
    infix: ['RANKED BY'],
    args: [group(), text('criteria')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    mock: 'embeddings',
    outputSchema: jsonText('{rankings: [{value, rank, score}]}'),
    description: 'the values of the group ranked by a criterion (JSON)',
    examples: ["SELECT answer RANKED BY 'quality and completeness' AS ranking FROM (VALUES ('Brief but vague'), ('Detailed with examples')) AS t(answer)"],
  }),
  embeddings({
    name: 'semantic_cluster',
    aliases: ['meaning'],
    dimensionVariant: 'meaning_dimension',
    lars: ['semantic_cluster', 'MEANING'],
    args: [group(), count('num_clusters', '8'), optional('criterion')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    mock: 'embeddings',
    outputSchema: jsonText('{clusters: [{label, members}]}'),
    description: 'the values of the group clustered by meaning (JSON); as a GROUP BY key, a cluster label per row (proposed by the model, LARS v2.4)',
    examples: ["SELECT meaning(city, 3, 'geographic region') AS clusters FROM (VALUES ('Paris'), ('Tokyo'), ('Lyon'), ('Osaka')) AS t(city)"],
  }),
];
