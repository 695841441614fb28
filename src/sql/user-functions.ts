import { DUCKDB_RESERVED_WORDS } from './duckdb-builtins';
import { errorAtToken } from './errors';
import { hashString } from './hash';
import { stringValue, type Token } from './lexer';
import { functionSpellings, UDF_PREFIX } from './catalogue';
import type { OperatorDef, SqlReturnType, UserOperatorDef } from './types';

/**
 * CREATE / DROP / SHOW SEMANTIC FUNCTION(S): parsed here, stored by the engine.
 *
 *   CREATE [OR REPLACE] SEMANTIC [AGGREGATE] FUNCTION name(arg type, ...) RETURNS type AS 'prompt'
 *     [INFIX 'KW' | POSTFIX 'KW']
 *   DROP SEMANTIC FUNCTION [IF EXISTS] name
 *   SHOW SEMANTIC FUNCTIONS
 */

const RETURN_TYPES: Record<string, SqlReturnType> = {
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  DOUBLE: 'DOUBLE',
  FLOAT: 'DOUBLE',
  REAL: 'DOUBLE',
  VARCHAR: 'VARCHAR',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
};

/** Words an infix keyword may not be: SQL's own operators and clause words would become ambiguous. */
const SQL_OPERATOR_WORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'IN',
  'LIKE',
  'ILIKE',
  'GLOB',
  'SIMILAR',
  'BETWEEN',
  'ESCAPE',
  'COLLATE',
  'ISNULL',
  'NOTNULL',
  'AT',
  'OVER',
  'FILTER',
  'WITHIN',
  'ASC',
  'DESC',
  'NULLS',
  'AS',
  'JOIN',
  'ON',
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface UserOperatorProblem {
  field: 'name' | 'args' | 'returns' | 'prompt' | 'infix' | 'postfix' | 'shape';
  message: string;
}

/** What the check needs of the operators already known: the registry's, or the UI's copy of them. */
export type KnownOperator = Pick<OperatorDef, 'name' | 'builtin'> & {
  spellings: { infix: readonly (readonly string[])[]; postfix?: readonly (readonly string[])[]; functions: readonly string[] };
};

/**
 * Why a definition cannot join the operators already known: at most one problem per field, in field
 * order. The one check: the engine refuses CREATE SEMANTIC FUNCTION on the first, and the operator
 * form shows them all as the user types.
 */
export function userOperatorProblems(def: UserOperatorDef, existing: readonly KnownOperator[]): UserOperatorProblem[] {
  const problems: UserOperatorProblem[] = [];
  const name = def.name.toLowerCase();
  // A built-in's name or any of its function spellings (tldr, smart_translate, ...) is taken.
  if (!NAME.test(def.name) || name.startsWith(UDF_PREFIX)) problems.push({ field: 'name', message: `'${def.name}' is not a valid operator name` });
  else if (existing.some((op) => op.builtin && (op.name === name || op.spellings.functions.includes(name)))) {
    problems.push({ field: 'name', message: `'${def.name}' is a built-in semantic operator` });
  }
  const seen = new Set<string>();
  const argProblem = (): string | undefined => {
    if (def.args.length === 0) return 'a semantic function needs at least one argument';
    for (const arg of def.args) {
      const argName = arg.name.toLowerCase();
      if (!NAME.test(arg.name)) return `'${arg.name}' is not a valid argument name`;
      if (seen.has(argName)) return `argument '${arg.name}' is declared twice`;
      seen.add(argName);
    }
    return undefined;
  };
  const args = argProblem();
  if (args !== undefined) problems.push({ field: 'args', message: args });
  if (!['BOOLEAN', 'DOUBLE', 'VARCHAR'].includes(def.returns)) {
    problems.push({ field: 'returns', message: `return type must be BOOLEAN, DOUBLE or VARCHAR, not ${def.returns}` });
  }
  if (def.prompt.trim() === '') problems.push({ field: 'prompt', message: 'the prompt is empty' });
  else if (args === undefined) {
    const unknown = [...def.prompt.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').find((p) => !seen.has(p.toLowerCase()));
    if (unknown !== undefined) problems.push({ field: 'prompt', message: `the prompt uses {{${unknown}}}, which is not an argument` });
  }
  if (def.shape !== undefined && def.shape !== 'scalar' && def.shape !== 'aggregate') {
    problems.push({ field: 'shape', message: `shape must be scalar or aggregate, not ${String(def.shape)}` });
  }
  if (def.infix !== undefined) {
    const infix = infixProblem(def.infix, def.args.length, 2, name, existing);
    if (infix !== undefined) problems.push({ field: 'infix', message: infix });
  }
  if (def.postfix !== undefined) {
    const postfix = infixProblem(def.postfix, def.args.length, 1, name, existing);
    if (postfix !== undefined) problems.push({ field: 'postfix', message: postfix.replace('INFIX', 'POSTFIX').replace('an infix', 'a postfix') });
  }
  return problems;
}

/** The first problem, or undefined when the definition can join the registry. */
export function checkUserOperator(def: UserOperatorDef, existing: readonly KnownOperator[]): UserOperatorProblem | undefined {
  return userOperatorProblems(def, existing)[0];
}

function infixProblem(infix: string, argCount: number, wanted: 1 | 2, name: string, existing: readonly KnownOperator[]): string | undefined {
  if (argCount !== wanted) return wanted === 2 ? 'an INFIX operator takes exactly two arguments' : 'a POSTFIX operator takes exactly one argument';
  const words = infixWords(infix);
  if (words.length === 0 || words.some((w) => !NAME.test(w))) return `'${infix}' is not a keyword (letters, digits and _ only)`;
  const clash = words.find((w) => DUCKDB_RESERVED_WORDS.has(w.toLowerCase()) || SQL_OPERATOR_WORDS.has(w));
  if (clash !== undefined) return `'${clash}' is a SQL keyword and cannot be an infix operator`;
  const key = words.join(' ');
  const taken = existing.find((op) => op.name !== name && [...op.spellings.infix, ...(op.spellings.postfix ?? [])].some((s) => s.join(' ') === key));
  if (taken !== undefined) return `INFIX '${infix}' already spells ${taken.name}`;
  return undefined;
}

export function infixWords(infix: string): string[] {
  return infix
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/** The registry entry of a user definition. Its version changes whenever prompt, args, type or shape do. */
export function userOperator(def: UserOperatorDef): OperatorDef {
  const name = def.name.toLowerCase();
  const shape = def.shape ?? 'scalar';
  const args = def.args.map((a, i) => ({ name: a.name, type: a.type.toUpperCase(), ...(shape === 'aggregate' && i === 0 ? { group: true } : {}) }));
  const version = hashString(JSON.stringify({ prompt: def.prompt, args, returns: def.returns, ...(shape === 'scalar' ? {} : { shape }) }));
  const score = def.returns === 'DOUBLE';
  const infix = def.infix === undefined ? [] : [infixWords(def.infix)];
  const postfix = def.postfix === undefined ? [] : [infixWords(def.postfix)];
  const argList = args.map((a) => a.name).join(', ');
  const fn = functionSpellings(name)[0] ?? `semantic_${name}`;
  const example =
    infix[0] !== undefined
      ? `SELECT * FROM t WHERE ${args[0]?.name ?? 'a'} ${infix[0].join(' ')} ${args[1]?.name ?? 'b'}`
      : postfix[0] !== undefined
        ? `SELECT ${args[0]?.name ?? 'a'} ${postfix[0].join(' ')} FROM t`
        : `SELECT ${fn}(${argList}) FROM t`;
  const examples = def.examples !== undefined && def.examples.length > 0 ? def.examples : [{ sql: example }];
  const op: OperatorDef = {
    name,
    version,
    spellings: { infix, postfix, functions: functionSpellings(name) },
    args,
    returns: def.returns,
    shape,
    prompt: def.prompt,
    outputSchema: def.returns === 'BOOLEAN' ? { type: 'boolean' } : score ? { type: 'number', minimum: 0, maximum: 1 } : { type: 'string' },
    udf: UDF_PREFIX + name,
    builtin: false,
    example: examples[0]?.sql ?? example,
    examples,
    description: def.description ?? 'user-defined',
    // A user DOUBLE is taken to be a 0–1 score, so it filters with the threshold like ALIGNS does.
    score,
  };
  if (score) op.range = [0, 1];
  return op;
}

interface Cursor {
  tokens: readonly Token[];
  i: number;
  source: string;
}

function fail(c: Cursor, expected: string, message?: string): never {
  throw errorAtToken(c.tokens[c.i], c.tokens[c.tokens.length - 1], expected, message);
}

function word(c: Cursor, upper: string): boolean {
  const t = c.tokens[c.i];
  if (t?.kind === 'word' && t.upper === upper) {
    c.i++;
    return true;
  }
  return false;
}

function expectWord(c: Cursor, upper: string): void {
  if (!word(c, upper)) fail(c, upper);
}

function expectPunct(c: Cursor, text: string): void {
  const t = c.tokens[c.i];
  if (t?.kind === 'punct' && t.text === text) c.i++;
  else fail(c, `'${text}'`);
}

function identifier(c: Cursor, what: string): Token {
  const t = c.tokens[c.i];
  if (t === undefined || t.kind !== 'word') return fail(c, what);
  c.i++;
  return t;
}

export interface CreateFunctionParse {
  definition: UserOperatorDef;
  orReplace: boolean;
}

/** `tokens`: the statement's code tokens, starting at CREATE. */
export function parseCreateFunction(source: string, tokens: readonly Token[], existing: readonly OperatorDef[]): CreateFunctionParse {
  const c: Cursor = { tokens, i: 0, source };
  expectWord(c, 'CREATE');
  let orReplace = false;
  if (word(c, 'OR')) {
    expectWord(c, 'REPLACE');
    orReplace = true;
  }
  expectWord(c, 'SEMANTIC');
  const aggregate = word(c, 'AGGREGATE');
  expectWord(c, 'FUNCTION');
  const nameIndex = c.i;
  const name = identifier(c, 'a function name');
  expectPunct(c, '(');
  const args: { name: string; type: string }[] = [];
  const argIndex = c.i;
  while (!(c.tokens[c.i]?.kind === 'punct' && c.tokens[c.i]?.text === ')')) {
    if (args.length > 0) expectPunct(c, ',');
    const argName = identifier(c, 'an argument name');
    const argType = identifier(c, 'an argument type such as VARCHAR');
    args.push({ name: argName.text, type: argType.upper });
  }
  expectPunct(c, ')');
  expectWord(c, 'RETURNS');
  const returnsIndex = c.i;
  const returnsToken = identifier(c, 'BOOLEAN, DOUBLE or VARCHAR');
  const returns = RETURN_TYPES[returnsToken.upper];
  if (returns === undefined) {
    c.i = returnsIndex;
    fail(c, 'BOOLEAN, DOUBLE or VARCHAR');
  }
  expectWord(c, 'AS');
  const promptIndex = c.i;
  const promptToken = c.tokens[c.i];
  if (promptToken?.kind !== 'string') fail(c, "the prompt as a string literal ('...' or $$...$$)");
  c.i++;
  const definition: UserOperatorDef = { name: name.text.toLowerCase(), args, returns, prompt: stringValue(promptToken) };
  if (aggregate) definition.shape = 'aggregate';
  let infixIndex = -1;
  const spelling = word(c, 'INFIX') ? 'infix' : word(c, 'POSTFIX') ? 'postfix' : undefined;
  if (spelling !== undefined) {
    infixIndex = c.i;
    const kw = c.tokens[c.i];
    if (kw?.kind !== 'string')
      fail(c, `the ${spelling} keyword as a string literal, e.g. ${spelling.toUpperCase()} '${spelling === 'infix' ? 'REFUTES' : 'CANONICAL'}'`);
    c.i++;
    definition[spelling] = stringValue(kw);
  }
  if (c.i < c.tokens.length) fail(c, 'end of statement');

  const others = orReplace ? existing.filter((op) => op.builtin || op.name !== definition.name) : existing;
  const duplicate = others.find((op) => !op.builtin && op.name === definition.name);
  if (duplicate !== undefined) {
    c.i = nameIndex;
    fail(c, 'a new name', `semantic function '${definition.name}' already exists; use CREATE OR REPLACE`);
  }
  const problem = checkUserOperator(definition, others);
  if (problem !== undefined) {
    c.i = { name: nameIndex, args: argIndex, returns: returnsIndex, prompt: promptIndex, infix: infixIndex, postfix: infixIndex, shape: nameIndex }[
      problem.field
    ];
    fail(c, problem.field === 'infix' ? 'a new keyword' : `a valid ${problem.field}`, problem.message);
  }
  return { definition, orReplace };
}

export function parseDropFunction(source: string, tokens: readonly Token[]): { name: string; ifExists: boolean } {
  const c: Cursor = { tokens, i: 0, source };
  expectWord(c, 'DROP');
  expectWord(c, 'SEMANTIC');
  expectWord(c, 'FUNCTION');
  let ifExists = false;
  if (word(c, 'IF')) {
    expectWord(c, 'EXISTS');
    ifExists = true;
  }
  const name = identifier(c, 'a function name');
  if (c.i < c.tokens.length) fail(c, 'end of statement');
  return { name: name.text.toLowerCase(), ifExists };
}

export function parseShowFunctions(source: string, tokens: readonly Token[]): void {
  const c: Cursor = { tokens, i: 0, source };
  expectWord(c, 'SHOW');
  expectWord(c, 'SEMANTIC');
  expectWord(c, 'FUNCTIONS');
  if (c.i < c.tokens.length) fail(c, 'end of statement');
}
