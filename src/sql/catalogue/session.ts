import { optional, text, TEXT, type OperatorSpec } from './define';

/**
 * Operators DuckDB answers from SQL the rewriter writes in their place (src/sql/sql-operators.ts): no
 * model is asked and nothing is cached. Session parameters live in DuckDB variables for as long as the
 * tab's engine runs; `latest` reads semsql's own call log; `cascade(path, inputs)` calls the user
 * operator a LARS cascade file became when it was imported.
 */
const sql = (spec: Omit<OperatorSpec, 'execution' | 'outputSchema' | 'prompt' | 'mock'>): OperatorSpec => ({
  ...spec,
  prompt: '',
  outputSchema: TEXT,
  mock: 'none',
  execution: 'sql',
});

export const SESSION: readonly OperatorSpec[] = [
  sql({
    name: 'param_set',
    deref: true,
    lars: ['@param_set'],
    args: [text('key'), text('value')],
    returns: 'VARCHAR',
    shape: 'scalar',
    description:
      'sets a session parameter (key and value are constants) before the statement runs, and answers the value; it lasts until the tab is closed or cleared',
    examples: ["SELECT @param_set('region', 'EU') AS set_to, @param_get('region') AS region"],
  }),
  sql({
    name: 'param_get',
    deref: true,
    lars: ['@param_get'],
    args: [text('key'), optional('default', 'NULL')],
    returns: 'VARCHAR',
    shape: 'scalar',
    description: 'the value of a session parameter, or the default (NULL if none) when it is not set',
    examples: ["SELECT @param_get('region') AS region, param_get('no_such_key', 'fallback') AS missing"],
  }),
  sql({
    name: 'param_clear',
    deref: true,
    lars: ['@param_clear'],
    args: [text('key')],
    returns: 'VARCHAR',
    shape: 'scalar',
    description: 'clears a session parameter before the statement runs, and answers its key',
    examples: ["SELECT @param_clear('region') AS cleared, @param_get('region', 'unset') AS region"],
  }),
  sql({
    name: 'latest',
    lars: ['latest'],
    args: [text('operator'), optional('step', "''")],
    returns: 'VARCHAR',
    shape: 'scalar',
    description:
      "the latest answer a model gave for an operator (`'matches'` or LARS's `'semantic_matches'`), from the call log of this tab's earlier queries; NULL when there is none. LARS's second argument names a step of its cascade; semsql operators have one, so it is accepted and not read",
    examples: ["SELECT latest('semantic_matches', 'evaluate') IS NOT NULL AS has_result"],
  }),
  sql({
    name: 'cascade',
    lars: ['cascade'],
    args: [text('path'), text('inputs')],
    returns: 'VARCHAR',
    shape: 'scalar',
    description:
      "runs the user operator a LARS cascade file was imported as: the file's name without `.cascade.yaml`/`.yaml` names it, and `inputs` (`json_object('arg', value, ...)`, a struct `{'arg': value}` or a JSON string literal) gives its arguments by name; returns what the operator returns",
    examples: [
      "CREATE OR REPLACE SEMANTIC FUNCTION shout(text VARCHAR) RETURNS VARCHAR AS 'Rewrite {{text}} in capital letters.'; SELECT cascade('cascades/shout.cascade.yaml', json_object('text', 'quiet please')) AS loud",
    ],
  }),
];
