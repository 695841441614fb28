/** Shared shapes of the SQL front end; types only. */
import type { SourceMap } from './source-map';
import type { StepUse } from './stage-syntax';
import type { Span } from './statements';
import type { ApproximateTarget, CascadeTargets, JoinOption, RoutingTargets } from './statement-targets';

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
  /**
   * Supplied by the rewriter, never written: `schema` is the tables and columns of the database
   * (ask_data_sql writes SQL for them).
   */
  implicit?: 'schema';
  /** NULL reaches the model as '' (missing): fill, impute and default_smart exist for such values. */
  nullable?: boolean;
  /** What the argument is, for docs and hover help. */
  description?: string;
}

export interface OperatorSpellings {
  /** Keyword sequences between two operands, e.g. [['ALIGNS', 'WITH'], ['ALIGNS']]; upper case. */
  infix: string[][];
  /** Keyword sequences after one operand, with nothing after them: `x CANONICAL`, `x BY FORMALITY`. */
  postfix: string[][];
  /** Function names (lower case) that call this operator. */
  functions: string[];
}

/**
 * What an infix spelling's right operand must be for the spelling to apply, where the keyword also
 * means something else in SQL or in another operator: `x IN 'EUR'` (a currency) is normalize_currency
 * while `x IN 'km'` is normalize_unit and `x IN (1, 2)` stays SQL's IN.
 */
export type OperandRule = 'string' | 'currency';

/** A query from the catalogue that shows an operator at work; each one is run by a test. */
export interface OperatorExample {
  sql: string;
  /** What the example shows, when the SQL does not say it. */
  note?: string;
}

/**
 * How a dimension labels rows (LARS's semantic GROUP BY): `fixed` operators label each row from a
 * set of labels they know (formality, language); `proposed` ones first propose labels over the
 * column (one call over the level's input), then label each row with one of them.
 */
export interface DimensionSpec {
  labels: 'fixed' | 'proposed';
  /** Outside GROUP BY: label each row (LARS) or answer for the group (topics, as semsql always did). */
  ungrouped: 'label' | 'aggregate';
}

/**
 * Where an operator is answered: by the model through the bridge, by the embeddings hook, or by DuckDB
 * SQL the rewriter writes in its place (`sql`: table forms over another operator's answers, the call
 * log, session parameters; src/sql/sql-operators.ts), with no UDF of its own.
 */
export type OperatorExecution = 'model' | 'embeddings' | 'sql';

/** A column of a table form (`triples_rows`): a key of the JSON array's elements. */
export interface RowsColumn {
  name: string;
  /** VARCHAR (a string value), INTEGER (a number), or JSON (an array of strings, as JSON text). */
  type: 'VARCHAR' | 'INTEGER' | 'JSON';
}

/** The table form of an operator answering a JSON array of objects: one row per element. */
export interface RowsForm {
  /** The operator whose answer is read (asked and cached under its own name). */
  of: string;
  columns: RowsColumn[];
}

export interface OperatorDef {
  name: string;
  /** Built-ins: a hand-bumped number; user operators: a hash of prompt, args and return type. */
  version: string;
  spellings: OperatorSpellings;
  /** Right-operand rules of infix spellings, by the spelling's words joined with a space. */
  operandRules?: Record<string, OperandRule>;
  /**
   * Infix and postfix spellings (words joined with a space) recognised only inside query
   * expressions: `TO` and `DEFAULT` also belong to COPY ... TO 'file' and column DEFAULTs.
   */
  queryOnly?: string[];
  args: OperatorArg[];
  returns: SqlReturnType;
  /** The type the user sees when it differs from `returns`: INTEGER (cast in SQL), JSON (JSON text), DOUBLE[], TABLE. */
  sqlType?: string;
  range?: [number, number];
  shape: OperatorShape;
  /** Template with {{arg}} placeholders; aggregates see their group as {{values}}. */
  prompt: string;
  outputSchema: JsonSchema;
  /** The bridge UDF: __sem_<name>; for embedding operators, their hook (__emb_<name>). */
  udf: string;
  builtin: boolean;
  /** The first example's SQL (what listings show). */
  example: string;
  examples: OperatorExample[];
  description: string;
  /** A 0–1 score: used where a boolean is expected it means `score > threshold`. */
  score: boolean;
  /** The offline model's answering strategy (src/llm/mock): built-ins name one; user operators have none. */
  mock?: string;
  /** LARS's names for this operator, where they differ from semsql's (semantic_matches, MEANING, ...). */
  lars?: string[];
  execution?: OperatorExecution;
  /** classify: the operator used when the call sits over a group. */
  aggregateVariant?: string;
  /** sentiment: the dimension used when the call is a GROUP BY key or has the dimension's extra arguments. */
  dimensionVariant?: string;
  /** Dimensions: the operator that labels each row with one of the proposed labels. */
  labelOperator?: string;
  dimension?: DimensionSpec;
  /** Written in FROM, like a table function (vector_search, ask_data). */
  table?: boolean;
  /** Reached only through a rewrite, never written by users (topic_label). */
  internal?: boolean;
  /** A table form: the rows of another operator's JSON-array answer (written in FROM). */
  rows?: RowsForm;
  /** Also written with LARS's @ prefix: `@param_get('region')`. */
  deref?: boolean;
}

/** What a user writes in CREATE SEMANTIC FUNCTION, imports as JSON or LARS YAML; what the engine stores. */
export interface UserOperatorDef {
  name: string;
  args: { name: string; type: string }[];
  returns: SqlReturnType;
  prompt: string;
  /** Infix keyword(s), e.g. 'REFUTES' or 'IS ABOUT'. */
  infix?: string;
  /** Postfix keyword(s): `x KW` calls the operator with one argument. */
  postfix?: string;
  /** scalar (the default): one answer per row; aggregate: one per group, the first argument collected. */
  shape?: 'scalar' | 'aggregate';
  description?: string;
  examples?: OperatorExample[];
}

export type CacheMode = 'on' | 'off' | 'refresh';
export type OnErrorMode = 'null' | 'fail';

/** Per-statement options from `-- @ key: value` annotations; undefined means "use settings". */
export interface StatementOptions {
  parallel?: number;
  /** A model id or a tier (fast, standard, quality), resolved against the settings. */
  model?: string;
  routing?: RoutingTargets;
  threshold: number;
  budget?: number;
  cache: CacheMode;
  temperature?: number;
  on_error: OnErrorMode;
  wave?: number;
  early: 'on' | 'off';
  /** `-- @ mode: batch`: the calls go as Message Batches (half price, answered within hours). */
  mode?: 'direct' | 'batch';
  /**
   * `-- @ cascade: recall R, precision P[, confidence C]`: filter operators decide the rows a cheap
   * proxy is sure of without a call, so that the targets hold with probability C (docs/cascades.md).
   */
  cascade?: CascadeTargets | 'off';
  /**
   * Rows sent together in one request (`-- @ rows_per_request: B` or `auto`; `-- @ batch:` is
   * accepted as another name for it); undefined means "use settings".
   */
  rows_per_request?: number | 'auto';
  /** `-- @ join: …`: how semantic joins are planned (docs/semantic-joins.md); undefined means "use settings". */
  join?: JoinOption;
  /**
   * `-- @ approximate: error E[, confidence C][, seed S]`: an aggregate over semantic answers stops
   * once every running estimate's interval is within ±E, and returns the estimates, marked as such
   * (src/engine/estimate/).
   */
  approximate?: ApproximateTarget;
  /** Free-text annotations, added to every operator's instructions. */
  instructions: string[];
}

export type ClauseKind = 'select' | 'from' | 'where' | 'group_by' | 'having' | 'qualify' | 'order_by' | 'on' | 'other';

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

/**
 * A semantic join condition (docs/semantic-joins.md): a yes/no operator, or a score above a
 * threshold, whose two varying arguments come from the two sides of a join, in ON or in a WHERE over
 * several relations, alone or AND-ed with other conditions. The join planner decides how its pairs
 * are asked; without a `join` annotation or setting, they are asked one by one as before.
 */
export interface SemanticJoin {
  operator: string;
  /** Where the condition is written, for EXPLAIN. */
  span: Span;
  clause: 'on' | 'where';
  /** Positions, among the bridge call's arguments, of the two sides; every other argument is the same for every pair. */
  sides: [number, number];
  /** Each side's expression as written. */
  sideText: [string, string];
  /** When an answer means the condition holds: a yes, or a score above a threshold. */
  holds: { kind: 'yes' } | { kind: 'above'; threshold: number; inclusive: boolean };
  /**
   * DuckDB SQL listing the argument lists the condition is asked about once every other condition
   * of the level is applied: columns a0, a1, … (text, exactly as the bridge function gets them, no
   * NULL) and n, the row pairs each list stands for.
   */
  pairsSql: string;
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
export type StatementEffect = { kind: 'read' } | { kind: 'write' } | { kind: 'copy'; resolveSql: string } | { kind: 'transaction'; action: TransactionAction };

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
  /** Where each part of `sql` came from in the script (errors in the user's terms: engine-error.ts). */
  sourceMap: SourceMap;
  /** Semantic join conditions the join planner may plan (absent when there are none). */
  joins?: SemanticJoin[];
  /**
   * ASK_DATA: the result's one value is SQL the model wrote, to be checked with `generatedQuery`
   * (one read-only query) and run in this statement's place.
   */
  generatesQuery?: boolean;
  /**
   * A staged pipeline: `sql` is the query, and the engine runs these steps after it, each over the
   * rows of the one before (src/engine/stages/run-stages.ts).
   */
  stages?: StepUse[];
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
  sourceMap: SourceMap;
  /** Semantic join conditions of the explained query (absent when there are none). */
  joins?: SemanticJoin[];
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
  /** Identical to `text`, or a statement semsql wrote for it (`-> name` reads the saved table). */
  sql: string;
  effect: StatementEffect;
  shape: StatementShape;
  sourceMap: SourceMap;
}

export type ParsedStatement =
  QueryStatement | ExplainStatement | CreateFunctionStatement | DropFunctionStatement | ShowFunctionsStatement | PassthroughStatement;
