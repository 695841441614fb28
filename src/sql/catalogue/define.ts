import { DUCKDB_FUNCTIONS } from '../duckdb-builtins';
import type { JsonSchema, OperandRule, OperatorArg, OperatorDef, OperatorExample, OperatorShape, SqlReturnType } from '../types';

/**
 * One catalogue entry: everything about an operator, written as data. The registry, the rewriter,
 * EXPLAIN, the editor's completion and hover help, docs/semantic-sql.md and a test per example all
 * read OperatorDefs built from these (`defineOperator`), so an operator is added in one place.
 */
export interface OperatorSpec extends Partial<
  Pick<OperatorDef, 'lars' | 'execution' | 'aggregateVariant' | 'dimensionVariant' | 'labelOperator' | 'dimension' | 'table' | 'internal' | 'rows' | 'deref'>
> {
  name: string;
  /** Infix spellings, keywords separated by spaces: 'ALIGNS WITH', 'MEANS', '~'. */
  infix?: string[];
  /** Postfix spellings: 'CANONICAL', 'BY FORMALITY'. */
  postfix?: string[];
  operandRules?: Record<string, OperandRule>;
  queryOnly?: string[];
  /** Extra function spellings besides <name> and semantic_<name>. */
  aliases?: string[];
  /** Set false for operators reached only through other spellings. */
  bareName?: boolean;
  args: OperatorArg[];
  returns: SqlReturnType;
  sqlType?: string;
  range?: [number, number];
  shape: OperatorShape;
  prompt: string;
  outputSchema: JsonSchema;
  /** The mock's strategy key (src/llm/mock/answers.ts). */
  mock: string;
  description: string;
  /** The first is the operator's headline example. Every one runs in a test (tests/e2e/catalogue-examples.test.ts). */
  examples: (string | OperatorExample)[];
  score?: boolean;
}

/**
 * Operator names we do not claim as bare function spellings because DuckDB already defines them
 * (checked against duckdb_functions() of DuckDB v1.4.3): `translate(a, from, to)` is DuckDB's
 * character replacement, so the semantic one is only `smart_translate` / `semantic_translate`.
 * `semantic_<name>(...)` always works.
 */
export const DUCKDB_BUILTIN_SHADOW_GUARD: readonly string[] = ['translate'];

export const UDF_PREFIX = '__sem_';
/** Embedding operators rewrite to hooks with this prefix: the embeddings layer defines them, not the bridge. */
export const EMBEDDING_HOOK_PREFIX = '__emb_';

/** Version of every built-in prompt and schema; bump it when any of them changes meaning. */
const BUILTIN_VERSION = '2';

/** The function names that reach an operator: <name>, semantic_<name>, aliases, minus DuckDB's own. */
export function functionSpellings(name: string, aliases: readonly string[] = [], bare = true): string[] {
  const prefixed = name.startsWith('semantic_') ? [] : [`semantic_${name}`];
  const names = [...(bare ? [name] : []), ...prefixed, ...aliases];
  return [...new Set(names)].filter((n) => !DUCKDB_BUILTIN_SHADOW_GUARD.includes(n) && !DUCKDB_FUNCTIONS.has(n));
}

const words = (spelling: string): string[] =>
  spelling
    .trim()
    .split(/\s+/)
    .map((w) => w.toUpperCase());

export function defineOperator(spec: OperatorSpec): OperatorDef {
  const examples = spec.examples.map((e) => (typeof e === 'string' ? { sql: e } : e));
  const execution = spec.execution ?? 'model';
  const def: OperatorDef = {
    name: spec.name,
    version: BUILTIN_VERSION,
    spellings: {
      infix: (spec.infix ?? []).map(words),
      postfix: (spec.postfix ?? []).map(words),
      functions: spec.internal === true ? [] : functionSpellings(spec.name, spec.aliases, spec.bareName ?? true),
    },
    args: spec.args,
    returns: spec.returns,
    shape: spec.shape,
    prompt: spec.prompt,
    outputSchema: spec.outputSchema,
    udf: (execution === 'embeddings' ? EMBEDDING_HOOK_PREFIX : UDF_PREFIX) + spec.name,
    builtin: true,
    example: examples[0]?.sql ?? '',
    examples,
    description: spec.description,
    score: spec.score ?? false,
    mock: spec.mock,
  };
  const optional = {
    operandRules: spec.operandRules,
    queryOnly: spec.queryOnly,
    sqlType: spec.sqlType,
    range: spec.range,
    lars: spec.lars,
    execution: spec.execution,
    aggregateVariant: spec.aggregateVariant,
    dimensionVariant: spec.dimensionVariant,
    labelOperator: spec.labelOperator,
    dimension: spec.dimension,
    table: spec.table,
    internal: spec.internal,
    rows: spec.rows,
    deref: spec.deref,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (def as unknown as Record<string, unknown>)[key] = value;
  return def;
}

// Argument and schema shorthands for the catalogue files.

export const text = (name = 'text'): OperatorArg => ({ name, type: 'VARCHAR' });
/** An optional argument; with a default, an omitted one is passed as it (same call, same cache key). */
export const optional = (name: string, fallback?: string, type = 'VARCHAR'): OperatorArg =>
  fallback === undefined ? { name, type, optional: true } : { name, type, optional: true, default: fallback };
export const count = (name: string, fallback: string): OperatorArg => ({ name, type: 'INTEGER', optional: true, default: fallback });
/** A value that may be missing: NULL reaches the model as ''. */
export const missing = (name = 'value'): OperatorArg => ({ name, type: 'VARCHAR', nullable: true });
/** The argument collected over the group (aggregates, dimensions' label proposals). */
export const group = (name = 'values'): OperatorArg => ({ name, type: 'VARCHAR', group: true });

export const BOOLEAN: JsonSchema = { type: 'boolean' };
export const UNIT: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
export const POLARITY: JsonSchema = { type: 'number', minimum: -1, maximum: 1 };
export const TEXT: JsonSchema = { type: 'string' };
export const TEXT_OR_NULL: JsonSchema = { type: ['string', 'null'] };
export const LABELS: JsonSchema = { type: 'array', items: { type: 'string' } };
/** An answer that is JSON text: the model writes the object as a string (no JSON extension in SQL). */
export const jsonText = (what: string): JsonSchema => ({ type: 'string', description: `JSON text: ${what}` });
/** JSON text, or null when the value holds nothing of the kind (parse_date of a task it cannot answer). */
export const jsonTextOrNull = (what: string): JsonSchema => ({ type: ['string', 'null'], description: `JSON text: ${what}` });
/** One of a fixed set of labels. */
export const oneOf = (labels: readonly string[]): JsonSchema => ({ type: 'string', enum: [...labels] });
