import { describe, expect, test } from 'vitest';
import { BUILTIN_OPERATORS, createRegistry, DUCKDB_BUILTIN_SHADOW_GUARD, hashString, userOperator, type OperatorDef } from '../../../src/sql';
import { c, g, parse, rewrite } from './helpers';

/** Every operator the language reference names (docs/semantic-sql.md). */
const SPEC_OPERATORS = [
  'matches',
  'score',
  'aligns',
  'implies',
  'contradicts',
  'similar_to',
  'same_as',
  'ask',
  'extracts',
  'classify',
  'sentiment',
  'condense',
  'translate',
  'parse',
  'valid',
  'llm',
  'summarize',
  'themes',
  'topics',
  'consensus',
  'dedupe',
  'outliers',
  'sentiment_agg',
];

const registry = createRegistry();

describe('built-in registry', () => {
  test('registers every operator of the spec, with complete data', () => {
    for (const name of SPEC_OPERATORS) {
      const op = registry.get(name);
      expect(op, name).toBeDefined();
      expect(op?.udf).toBe(`__sem_${name}`);
      expect(op?.version).toBe('2');
      expect(op?.builtin).toBe(true);
      expect(op?.prompt).toMatch(/\{\{\w+\}\}/);
      expect(op?.example).toMatch(/^SELECT /);
      expect(['BOOLEAN', 'DOUBLE', 'VARCHAR']).toContain(op?.returns);
    }
  });

  test('every prompt placeholder is an argument', () => {
    for (const op of BUILTIN_OPERATORS) {
      const names = new Set(op.args.map((a) => a.name));
      for (const m of op.prompt.matchAll(/\{\{(\w+)\}\}/g)) expect(names.has(m[1] ?? ''), `${op.name}: ${m[1]}`).toBe(true);
    }
  });

  test('lookups by name, UDF and function spelling', () => {
    expect(registry.byUdf('__sem_classify_agg')?.name).toBe('classify_agg');
    expect(registry.byUdf('__sem_topic_label')?.internal).toBe(true);
    expect(registry.byFunction('TLDR')?.name).toBe('condense');
    expect(registry.byFunction('translate')).toBeUndefined();
    expect(registry.infixStartingWith('ALIGNS').map((s) => s.words.join(' '))).toEqual(['ALIGNS WITH', 'ALIGNS']);
    expect(registry.list().some((o) => o.name === 'topic_label')).toBe(false);
  });

  test('score operators have a 0–1 range and a number schema', () => {
    for (const name of ['score', 'aligns', 'similar_to']) {
      expect(registry.get(name)).toMatchObject({ score: true, returns: 'DOUBLE', range: [0, 1], outputSchema: { type: 'number', minimum: 0, maximum: 1 } });
    }
    expect(registry.get('matches')?.outputSchema).toEqual({ type: 'boolean' });
  });

  test('names that DuckDB defines are not claimed as bare functions', () => {
    expect(DUCKDB_BUILTIN_SHADOW_GUARD).toContain('translate');
    for (const op of BUILTIN_OPERATORS) {
      for (const fn of op.spellings.functions) expect(DUCKDB_BUILTIN_SHADOW_GUARD).not.toContain(fn);
      const prefixed = op.name.startsWith('semantic_') ? op.name : `semantic_${op.name}`;
      if (op.internal !== true) expect(op.spellings.functions).toContain(prefixed);
    }
  });
});

/** A call of `op` through `spelling` with the right number of arguments, and the UDF it must reach. */
/** A right operand each spelling's rule accepts (a currency for IN, a unit for TO). */
const OPERANDS: Record<string, string> = { currency: "'EUR'", string: "'km'" };

function usesOf(op: OperatorDef): { sql: string; udf: string }[] {
  const uses: { sql: string; udf: string }[] = [];
  // ask_data is a statement of its own (tests below), and cascade() calls a user operator (lars-v24
  // tests); a dimension is reached through its label.
  if (op.name === 'ask_data' || op.name === 'cascade') return uses;
  for (const words of op.spellings.infix) {
    const operand = OPERANDS[op.operandRules?.[words.join(' ')] ?? ''] ?? "'y'";
    uses.push({ sql: `SELECT id, x ${words.join(' ')} ${operand} FROM t`, udf: op.udf });
    if (op.returns !== 'VARCHAR') uses.push({ sql: `SELECT * FROM t WHERE x NOT ${words.join(' ')} ${operand}`.replace('NOT IS', 'IS NOT'), udf: op.udf });
  }
  for (const words of op.spellings.postfix) uses.push({ sql: `SELECT id, x ${words.join(' ')} FROM t`, udf: op.udf });
  const required = op.args.filter((a) => a.optional !== true && a.variadic !== true && a.implicit === undefined);
  // A variadic operator's first argument is its prompt, which must be a literal.
  const variadic = op.args.some((a) => a.variadic === true);
  for (const fn of op.spellings.functions) {
    // An operator written as SQL takes its key as a literal (session parameters are named before the statement runs).
    const first = variadic ? "'p {{a}}'" : op.execution === 'sql' && op.rows === undefined ? "'k'" : 'x';
    const args = required.map((a, i) => (i === 0 ? first : a.type === 'INTEGER' ? '3' : `'v${i}'`)).join(', ');
    uses.push({ sql: op.table === true ? `SELECT * FROM ${fn}(${args})` : `SELECT id, ${fn}(${args}) FROM t`, udf: op.udf });
  }
  return uses;
}

/**
 * The UDF a use reaches: a dimension's rows are labelled by its label operator, a table form reads its
 * operator's answers, an operator written as SQL reaches none ('').
 */
function reached(op: OperatorDef, sql: string): string {
  if (op.rows !== undefined) return registry.get(op.rows.of)?.udf ?? '';
  if (op.execution === 'sql') return '';
  if (op.dimension?.labels !== 'proposed' || op.dimension.ungrouped !== 'label' || !/^SELECT id, /.test(sql)) return op.udf;
  return registry.get(op.labelOperator ?? '')?.udf ?? op.udf;
}

describe('every operator in every spelling', () => {
  const cases = registry.list().flatMap((op) => usesOf(op).map((u) => ({ name: op.name, sql: u.sql, udf: reached(op, u.sql) })));
  test('there is at least one spelling per user-visible operator', () => {
    expect(new Set(cases.map((x) => x.name)).size).toBe(registry.list().length - 2);
  });
  test.each(cases)('$name: $sql', ({ sql, udf }) => {
    const statements = parse(sql);
    const s = statements[statements.length - 1];
    expect(s?.kind).toBe('query');
    if (s?.kind !== 'query') return;
    if (udf === '') {
      // Written as SQL: no call site, and no call of the operator's name left for DuckDB.
      expect(s.callSites).toEqual([]);
      expect(s.sql).not.toMatch(/\b(?:semantic_)?(?:param_\w+|latest)\(/);
      return;
    }
    expect(s.callSites.map((x) => x.udf)).toContain(udf);
    expect(s.sql).toContain(`${udf}(`);
    expect(s.sql).not.toMatch(/\bMEANS\b|\bABOUT\b|\bALIGNS\b|RELEVANCE TO/);
  });
});

describe('user-defined operators', () => {
  test('CREATE SEMANTIC FUNCTION parses, and later statements can use it', () => {
    const statements = parse(
      "CREATE SEMANTIC FUNCTION refutes(claim VARCHAR, evidence VARCHAR) RETURNS BOOLEAN AS 'Does {{evidence}} refute {{claim}}?' INFIX 'REFUTES';\n" +
        "SELECT * FROM t WHERE a REFUTES b AND refutes(b, a) AND semantic_refutes(a, 'x')",
    );
    expect(statements[0]).toMatchObject({
      kind: 'create_function',
      orReplace: false,
      definition: {
        name: 'refutes',
        args: [
          { name: 'claim', type: 'VARCHAR' },
          { name: 'evidence', type: 'VARCHAR' },
        ],
        returns: 'BOOLEAN',
        prompt: 'Does {{evidence}} refute {{claim}}?',
        infix: 'REFUTES',
      },
    });
    expect(statements[1]).toMatchObject({
      kind: 'query',
      sql: `SELECT * FROM t WHERE (__sem_refutes(${c('a')}, ${c('b')})) AND __sem_refutes(${c('b')}, ${c('a')}) AND __sem_refutes(${c('a')}, ${c("'x'")})`,
    });
  });

  test('a user DOUBLE operator is a score and filters with the threshold', () => {
    const reg = createRegistry([{ name: 'funny', args: [{ name: 'text', type: 'VARCHAR' }], returns: 'DOUBLE', prompt: 'How funny is {{text}}?' }]);
    expect(reg.get('funny')).toMatchObject({ score: true, range: [0, 1], udf: '__sem_funny', builtin: false, shape: 'scalar' });
    const [, q] = parse("CREATE SEMANTIC FUNCTION funny(text VARCHAR) RETURNS DOUBLE AS 'How funny is {{text}}?';\nSELECT * FROM t WHERE funny(a)");
    expect(q).toMatchObject({ kind: 'query', sql: `SELECT * FROM t WHERE (__sem_funny(${c('a')}) > 0.5)` });
  });

  test('multi-word infix keywords and dollar-quoted prompts', () => {
    const [, q] = parse(
      "CREATE OR REPLACE SEMANTIC FUNCTION rebuts(a TEXT, b TEXT) RETURNS VARCHAR AS $$Rebut {{a}} with {{b}}: it's fine$$ INFIX 'pushes back against';\nSELECT x PUSHES BACK AGAINST y FROM t",
    );
    expect(q).toMatchObject({ kind: 'query', sql: `SELECT (__sem_rebuts(${c('x')}, ${c('y')})) FROM t` });
  });

  test('the version is a hash of prompt, args and return type', () => {
    const base = { name: 'f', args: [{ name: 'x', type: 'VARCHAR' }], returns: 'BOOLEAN' as const, prompt: 'Is {{x}} ok?' };
    const v1 = userOperator(base).version;
    expect(v1).toMatch(/^[0-9a-f]{14}$/);
    expect(userOperator({ ...base }).version).toBe(v1);
    expect(userOperator({ ...base, prompt: 'Is {{x}} fine?' }).version).not.toBe(v1);
    expect(userOperator({ ...base, returns: 'VARCHAR' }).version).not.toBe(v1);
    expect(userOperator({ ...base, args: [{ name: 'y', type: 'VARCHAR' }], prompt: 'Is {{y}} ok?' }).version).not.toBe(v1);
  });

  test('a user function named like a DuckDB function is reached only as semantic_<name>', () => {
    const op = userOperator({ name: 'lower', args: [{ name: 'x', type: 'VARCHAR' }], returns: 'VARCHAR', prompt: '{{x}}' });
    expect(op.spellings.functions).toEqual(['semantic_lower']);
  });

  test('DROP applies to the statements after it; SHOW parses', () => {
    const statements = parse(
      "CREATE SEMANTIC FUNCTION nice(x VARCHAR) RETURNS BOOLEAN AS 'Is {{x}} nice?';\nSELECT nice(a) FROM t;\nDROP SEMANTIC FUNCTION IF EXISTS nice;\nSELECT nice(a) FROM t;\nSHOW SEMANTIC FUNCTIONS",
    );
    expect(statements.map((s) => s.kind)).toEqual(['create_function', 'query', 'drop_function', 'passthrough', 'show_functions']);
    expect(statements[2]).toMatchObject({ name: 'nice', ifExists: true });
  });

  test('registries are immutable: with/without return new ones', () => {
    const reg = createRegistry();
    const more = reg.with({ name: 'g', args: [{ name: 'x', type: 'VARCHAR' }], returns: 'BOOLEAN', prompt: '{{x}}?' });
    expect(reg.get('g')).toBeUndefined();
    expect(more.get('g')?.udf).toBe('__sem_g');
    expect(more.without('g').get('g')).toBeUndefined();
    expect(more.userDefs).toHaveLength(1);
  });

  test('createRegistry rejects definitions that clash with built-ins', () => {
    expect(() => createRegistry([{ name: 'summarize', args: [{ name: 'x', type: 'VARCHAR' }], returns: 'VARCHAR', prompt: '{{x}}' }])).toThrow(/built-in/);
  });

  test.each([
    ["CREATE SEMANTIC FUNCTION matches(x VARCHAR) RETURNS BOOLEAN AS 'x'", 'matches', 'a valid name'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS INTEGER AS 'x'", 'INTEGER', 'BOOLEAN, DOUBLE or VARCHAR'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS 'Is {{y}} ok?'", "'Is {{y}} ok?'", 'a valid prompt'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS 'x' INFIX 'OR'", "'OR'", 'a new keyword'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS 'x' INFIX 'FOO'", "'FOO'", 'a new keyword'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR, y VARCHAR) RETURNS BOOLEAN AS 'x' INFIX 'MEANS'", "'MEANS'", 'a new keyword'],
    ['CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS x', 'x', "the prompt as a string literal ('...' or $$...$$)"],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR, x VARCHAR) RETURNS BOOLEAN AS 'x'", 'x', 'a valid args'],
    ["CREATE SEMANTIC FUNCTION f(x) RETURNS BOOLEAN AS 'x'", ')', 'an argument type such as VARCHAR'],
    ["CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS 'x' extra", 'extra', 'end of statement'],
    ['DROP SEMANTIC FUNCTION', '', 'a function name'],
    ['SHOW SEMANTIC FUNCTION', 'FUNCTION', 'FUNCTIONS'],
  ])('%j is a positioned error', (sql, token, expected) => {
    let error: unknown;
    try {
      parse(sql);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ token, expected });
  });

  test('CREATE of an existing user function needs OR REPLACE', () => {
    const def = "CREATE SEMANTIC FUNCTION f(x VARCHAR) RETURNS BOOLEAN AS '{{x}}?'";
    expect(() => parse(`${def}; ${def}`)).toThrow(/already exists; use CREATE OR REPLACE/);
    expect(parse(`${def}; ${def.replace('CREATE', 'CREATE OR REPLACE')}`)).toHaveLength(2);
  });
});

describe('hash', () => {
  test('stable, hex, seed-dependent', () => {
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).toMatch(/^[0-9a-f]{14}$/);
    expect(hashString('abc')).not.toBe(hashString('abd'));
    expect(hashString('abc', 1)).not.toBe(hashString('abc'));
  });
});

test('aggregates reach their UDF with the group encoding', () => {
  expect(rewrite('SELECT summarize(x) FROM t')).toBe(`SELECT __sem_summarize(${g('x')}) FROM t`);
});
