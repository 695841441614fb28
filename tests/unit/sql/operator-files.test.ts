import { describe, expect, test } from 'vitest';
import { createFunctionSql, createRegistry, exportOperators, importOperators, OperatorFileError, type UserOperatorDef } from '../../../src/sql';
import { c, g, parse } from './helpers';

// A LARS-style operator file, written for this test in the shape LARS's semantic_sql files have.
const LARS_FILE = `
cascade_id: semantic_rhymes
description: Checks whether two words rhyme
inputs_schema:
  word: the first word
  other: the second word
sql_function:
  name: semantic_rhymes
  description: Whether two words rhyme
  args:
    - name: word
      type: VARCHAR
    - name: other
      type: VARCHAR
  returns: BOOLEAN
  shape: SCALAR
  operators:
    - "{{ word }} RHYMES_WITH {{ other }}"
  test_cases:
    - sql: SELECT rhymes('cat', 'hat')
      expect: true
cells:
  - name: judge
    instructions: |
      {% if input.word %}Do the words {{ input.word }} and {{ input.other }} rhyme?{% endif %}
      Answer true or false.
`;

describe('user operators as files', () => {
  const def: UserOperatorDef = {
    name: 'refutes',
    args: [
      { name: 'claim', type: 'VARCHAR' },
      { name: 'evidence', type: 'VARCHAR' },
    ],
    returns: 'BOOLEAN',
    prompt: 'Does {{evidence}} refute {{claim}}?',
    infix: 'REFUTES',
    description: 'true when the evidence refutes the claim',
  };

  test('JSON export and import give the same definitions back', () => {
    const text = exportOperators([def]);
    expect(JSON.parse(text)).toMatchObject({ format: 'semsql-operators', version: 1 });
    expect(importOperators(text)).toEqual([def]);
    expect(importOperators(JSON.stringify(def))).toEqual([def]);
  });

  test('a LARS operator file becomes a user operator: args, type, prompt from its instructions, infix, examples', () => {
    const [imported] = importOperators(LARS_FILE);
    expect(imported).toEqual({
      name: 'rhymes',
      args: [
        { name: 'word', type: 'VARCHAR' },
        { name: 'other', type: 'VARCHAR' },
      ],
      returns: 'BOOLEAN',
      prompt: 'Do the words {{word}} and {{other}} rhyme?\nAnswer true or false.',
      description: 'Whether two words rhyme',
      infix: 'RHYMES_WITH',
      examples: [{ sql: "SELECT rhymes('cat', 'hat')" }],
    });
    const registry = createRegistry(imported === undefined ? [] : [imported]);
    expect(registry.infixStartingWith('RHYMES_WITH')[0]?.operator.name).toBe('rhymes');
  });

  test('the CREATE statement an import runs defines the same operator', () => {
    const [created] = parse(createFunctionSql(def));
    expect(created).toMatchObject({
      kind: 'create_function',
      orReplace: true,
      definition: { name: 'refutes', infix: 'REFUTES', prompt: def.prompt, returns: 'BOOLEAN' },
    });
  });

  test('what cannot be imported says why', () => {
    expect(() => importOperators('sql_function:\n  name: x\n  shape: DIMENSION\n')).toThrow(/dimension operators cannot be imported/);
    expect(() => importOperators('{"name": 3}')).toThrow(OperatorFileError);
    expect(() => importOperators('{')).toThrow(/not JSON/);
  });
});

describe('CREATE SEMANTIC AGGREGATE FUNCTION and POSTFIX', () => {
  test('a user aggregate collects its first argument over the group', () => {
    const [, q] = parse(
      "CREATE SEMANTIC AGGREGATE FUNCTION gist(texts VARCHAR) RETURNS VARCHAR AS 'The gist of {{texts}}';\nSELECT author, gist(text) FROM t GROUP BY author",
    );
    expect(q).toMatchObject({ kind: 'query', sql: `SELECT author, __sem_gist(${g('text')}) FROM t GROUP BY author` });
  });

  test('a postfix keyword calls a one-argument operator', () => {
    const [created, q] = parse(
      "CREATE SEMANTIC FUNCTION shout(text VARCHAR) RETURNS VARCHAR AS 'Say {{text}} loudly' POSTFIX 'LOUDLY';\nSELECT text LOUDLY FROM t",
    );
    expect(created).toMatchObject({ definition: { postfix: 'LOUDLY' } });
    expect(q).toMatchObject({ kind: 'query', sql: `SELECT (__sem_shout(${c('text')})) FROM t` });
  });
});
