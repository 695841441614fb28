/** Shared shapes of the SQL front end; types only. */
import type { Span } from './statements';

export type { Span } from './statements';

export type SqlReturnType = 'BOOLEAN' | 'DOUBLE' | 'VARCHAR';

/** scalar: one answer per row; aggregate: one per group; dimension: labels rows with group keys. */
export type OperatorShape = 'scalar' | 'aggregate' | 'dimension';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema for the model's structured answer (the tool input schema of the call). */
export type JsonSchema = { [key: string]: JsonValue };

export interface OperatorArg {
  name: string;
  /** Documented SQL type; every argument reaches the bridge as VARCHAR. */
  type: string;
  optional?: boolean;
  /** SQL literal passed when an optional argument is left out, so equal calls share a cache key. */
  default?: string;
  /** Takes every remaining argument (llm's values). */
  variadic?: boolean;
  /** The argument whose values are collected over the group (aggregates). */
  group?: boolean;
}

export interface OperatorSpellings {
  /** Keyword sequences for infix use, e.g. [['ALIGNS', 'WITH'], ['ALIGNS']]; upper case. */
  infix: string[][];
  /** Function names (lower case) that call this operator. */
  functions: string[];
}

export interface OperatorDef {
  name: string;
  /** Built-ins: a hand-bumped number; user operators: a hash of prompt, args and return type. */
  version: string;
  spellings: OperatorSpellings;
  args: OperatorArg[];
  returns: SqlReturnType;
  range?: [number, number];
  shape: OperatorShape;
  /** Template with {{arg}} placeholders; aggregates see their group as {{values}}. */
  prompt: string;
  outputSchema: JsonSchema;
  /** The bridge UDF: __sem_<name>. */
  udf: string;
  builtin: boolean;
  example: string;
  description: string;
  /** A 0–1 score: used where a boolean is expected it means `score > threshold`. */
  score: boolean;
  /** classify: the operator used when the call sits over a group. */
  aggregateVariant?: string;
  /** topics: the operator that labels each row in GROUP BY topics(x, n). */
  labelOperator?: string;
  /** Reached only through a rewrite, never written by users (topic_label). */
  internal?: boolean;
}

/** What a user writes in CREATE SEMANTIC FUNCTION; what the engine stores. */
export interface UserOperatorDef {
  name: string;
  args: { name: string; type: string }[];
  returns: SqlReturnType;
  prompt: string;
  /** Infix keyword(s), e.g. 'REFUTES' or 'IS ABOUT'. */
  infix?: string;
}

export type CacheMode = 'on' | 'off' | 'refresh';
export type OnErrorMode = 'null' | 'fail';

/** Per-statement options from `-- @ key: value` annotations; undefined means "use settings". */
export interface StatementOptions {
  parallel?: number;
  model?: string;
  threshold: number;
  budget?: number;
  cache: CacheMode;
  temperature?: number;
  on_error: OnErrorMode;
  wave?: number;
  early: 'on' | 'off';
  /** Rows per request (`-- @ batch: B`); undefined means "use settings". */
  batch?: number;
  /** Free-text annotations, added to every operator's instructions. */
  instructions: string[];
}

export type ClauseKind =
  | 'select'
  | 'from'
  | 'where'
  | 'group_by'
  | 'having'
  | 'qualify'
  | 'order_by'
  | 'on'
  | 'other';

/** Where a call site sits, for the executor's "early LIMIT" decision and for EXPLAIN. */
export interface CallContext {
  /** The clause of the nearest enclosing query level. */
  clause: ClauseKind;
  /** 0 for the statement's main query level; 1+ inside subqueries, CTEs or derived tables. */
  depth: number;
  inCte: boolean;
  /** Reached from its clause's root only through AND and parentheses. */
  conjunctive: boolean;
  underNot: boolean;
  underOr: boolean;
  underCase: boolean;
  /** Inside the arguments of an aggregate (semantic or SQL). */
  inAggregate: boolean;
  /** A score used as a boolean, rewritten to `> threshold`. */
  thresholded: boolean;
  /** Infix `NOT` applied. */
  negated: boolean;
  /** WHERE of the main level, AND-joined only: an unknown answer may count as false. */
  topLevelFilter: boolean;
}

export interface CallSite {
  operator: string;
  udf: string;
  span: Span;
  /** Source text of the argument expressions, as written. */
  args: string[];
  shape: OperatorShape;
  spelling: 'infix' | 'function' | 'order_by' | 'group_by';
  context: CallContext;
}

/** Facts about the statement's top level, found by scanning tokens at nesting depth 0. */
export interface StatementShape {
  topLevelLimit?: number;
  hasOrderBy: boolean;
  hasAggregate: boolean;
  hasGroupBy: boolean;
  hasDistinct: boolean;
  hasWindow: boolean;
  hasSetOp: boolean;
}

export type TransactionAction = 'begin' | 'commit' | 'rollback';

/**
 * How the executor may repeat a statement (statement-effect.ts): `read` passes are repeated freely;
 * a `write` is rolled back while answers are missing and committed once; a `copy` resolves its source
 * with read passes (`resolveSql`) before it writes once; a `transaction` statement runs as written.
 */
export type StatementEffect =
  | { kind: 'read' }
  | { kind: 'write' }
  | { kind: 'copy'; resolveSql: string }
  | { kind: 'transaction'; action: TransactionAction };

interface StatementBase {
  /** The statement as written (without annotations and ';'). */
  text: string;
  span: Span;
  options: StatementOptions;
}

export interface QueryStatement extends StatementBase {
  kind: 'query';
  sql: string;
  effect: StatementEffect;
  callSites: CallSite[];
  shape: StatementShape;
}

export interface ExplainStatement extends StatementBase {
  kind: 'explain';
  /** The query after EXPLAIN SEMANTIC, rewritten. */
  sql: string;
  /** The explained statement's effect: a write's first pass is rolled back. */
  effect: StatementEffect;
  querySpan: Span;
  callSites: CallSite[];
  shape: StatementShape;
}

export interface CreateFunctionStatement extends StatementBase {
  kind: 'create_function';
  definition: UserOperatorDef;
  orReplace: boolean;
}

export interface DropFunctionStatement extends StatementBase {
  kind: 'drop_function';
  name: string;
  ifExists: boolean;
}

export interface ShowFunctionsStatement extends StatementBase {
  kind: 'show_functions';
}

export interface PassthroughStatement extends StatementBase {
  kind: 'passthrough';
  /** Identical to `text`. */
  sql: string;
  effect: StatementEffect;
  shape: StatementShape;
}

export type ParsedStatement =
  | QueryStatement
  | ExplainStatement
  | CreateFunctionStatement
  | DropFunctionStatement
  | ShowFunctionsStatement
  | PassthroughStatement;
