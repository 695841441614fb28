import type { OperatorDef } from '../sql';

/**
 * What the embedding operators' hooks (`__emb_<name>`, src/sql/catalogue/embeddings.ts) are in
 * DuckDB. One bridge function, `__sem_embedding(text)`, answers a text's vector as JSON text through
 * the same path as every model answer (asked once, cached per row, rows sent together), and
 * macros build the operators on it: vectors are DOUBLE[] and compared in DuckDB with
 * list_cosine_similarity. RANKED BY and MEANING are answered whole by the embeddings layer in the
 * model workers (src/llm/embeddings/embedding-answers.ts), as bridge functions of their own, and so
 * is embed_batch.
 *
 * Measured in DuckDB-WASM 1.32 (bench/tmp probe while building this): macro overloads by arity,
 * `query_table(<expression>)` and `COLUMNS('<regex built from a parameter>')` inside a table macro,
 * and a cast of '[1.5, 2, 3]' to DOUBLE[] all work.
 */

/** The bridge function that answers a text's vector. */
export const VECTOR_UDF = '__sem_embedding';

export type HookPlan =
  /** Define `op` as a bridge function under `udf`. */
  | { kind: 'bridge'; udf: string }
  /** Run these definitions. */
  | { kind: 'sql'; sql: string[] };

const vector = (text: string) => `CAST(${VECTOR_UDF}(${text}) AS DOUBLE[])`;

/** How to define one embedding operator's hook. */
export function embeddingHook(op: OperatorDef): HookPlan[] {
  switch (op.name) {
    case 'embed':
      // The model argument is accepted for LARS's sake; the embeddings model is the one in Settings.
      return [
        { kind: 'bridge', udf: VECTOR_UDF },
        { kind: 'sql', sql: [`CREATE OR REPLACE MACRO ${op.udf}(t) AS ${vector('t')}, (t, m) AS ${vector('t')}`] },
      ];
    case 'embed_with_storage':
      // "Storage" is the answer cache: the vector is kept per text like any answer.
      return [{ kind: 'sql', sql: [`CREATE OR REPLACE MACRO ${op.udf}(t, m, source_table, column_name, source_id) AS ${vector('t')}`] }];
    case 'embed_status':
      // Coverage is every row once the vectors are asked for: the status asks for them (cached).
      // The JSON is written by hand: DuckDB-WASM's json extension is a download, and must not be
      // needed offline (defining a macro that uses it fails at start without the network).
      return [
        {
          kind: 'sql',
          sql: [
            `CREATE OR REPLACE MACRO ${op.udf}(table_name, column_name, id_column) AS (
            SELECT '{"total_rows": ' || count(*) || ', "embedded_rows": ' || count(v) || ', "coverage": ' || CASE WHEN count(*) = 0 THEN 0 ELSE round(count(v) / count(*), 4) END || '}'
            FROM (SELECT ${vector(`CAST(COLUMNS('^' || column_name || '$') AS VARCHAR)`)} AS v FROM query_table(table_name)))`,
          ],
        },
      ];
    case 'vector_search':
      return [
        {
          kind: 'sql',
          sql: [
            `CREATE OR REPLACE MACRO ${op.udf}(q, source, k, min_score) AS TABLE
            SELECT id, text, similarity, 1 - similarity AS distance FROM (
              SELECT row_number() OVER () AS id, text, list_cosine_similarity(${vector('text')}, ${vector('q')}) AS similarity
              FROM (SELECT CAST(COLUMNS('^' || split_part(source, '.', 2) || '$') AS VARCHAR) AS text FROM query_table(split_part(source, '.', 1))))
            WHERE similarity >= CAST(min_score AS DOUBLE)
            ORDER BY similarity DESC, id
            LIMIT CAST(k AS INTEGER)`,
          ],
        },
      ];
    default:
      // rank_semantic, semantic_cluster, embed_batch (its rows come as JSON text, which SQL could
      // only read with the json extension): answered whole by the embeddings layer.
      return [{ kind: 'bridge', udf: op.udf }];
  }
}
