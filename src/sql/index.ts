/**
 * The semantic SQL front end: pure TypeScript, no DOM, workers or DuckDB. Lexes, splits and
 * rewrites semantic SQL into DuckDB SQL that calls the bridge UDFs (__sem_<operator>).
 */
export { generatedQuery, parseScript, type ParseScriptOptions } from './script';
export { writtenCallContext } from './call-context';
export { engineErrorInUserTerms } from './engine-error';
export {
  createFunctionSql,
  exportOperators,
  importOperators,
  larsOperator,
  OPERATOR_FILE_FORMAT,
  OperatorFileError,
  type OperatorFile,
} from './operator-files';
export { sourceSpanAt, type Fragment, type SourceMap, type Segment } from './source-map';
export { splitStatements, type Statement, type Span } from './statements';
export { tokenize, stringValue, quotedValue, type Token, type TokenKind } from './lexer';
export { namesIn, tablesNamedIn, tablesDroppedIn } from './table-names';
export { SemanticSqlError, type SourcePosition, type SemanticSqlErrorInit } from './errors';
export { createRegistry, type Registry, type InfixSpelling } from './registry';
export {
  BUILTIN_OPERATORS,
  builtinOperator,
  DUCKDB_BUILTIN_SHADOW_GUARD,
  EMBEDDING_HOOK_PREFIX,
  EXTRACTION,
  OPERATOR_CATALOGUE,
  PIPELINE_FORMS,
  REASONING,
  PIPELINE_STAGES,
  syntaxOf,
  UDF_PREFIX,
  type OperatorSpec,
  type PipelineStage,
} from './catalogue';
export { userOperator, checkUserOperator, userOperatorProblems, type KnownOperator, type UserOperatorProblem } from './user-functions';
export { parseAnnotations, resolveOptions, DEFAULT_OPTIONS, ANNOTATION_KEYS, type Annotations } from './annotations';
export { rewriteStatement, type RewriteInput, type RewriteResult } from './rewriter';
export { encodeGroup, decodeGroup, groupEncodingSql, escapeGroupValue, compareCodePoints } from './group-encoding';
export { hashString } from './hash';
export { materialized, sqlStagesStatement, stepStatement, type StepStatementBase } from './staged';
export type { ChooseUse, IntoUse, StageUse, StepUse } from './stage-syntax';
export { earlyLimitPlan, type EarlyLimitPlan } from './early-limit';
export { classifyStatement, type StatementClass } from './statement-effect';
export type {
  CacheMode,
  CallContext,
  CallSite,
  ClauseKind,
  CreateFunctionStatement,
  DropFunctionStatement,
  ExplainStatement,
  JsonSchema,
  JsonValue,
  OnErrorMode,
  OperatorArg,
  OperatorDef,
  OperatorShape,
  OperatorSpellings,
  ParsedStatement,
  PassthroughStatement,
  QueryStatement,
  ShowFunctionsStatement,
  SqlReturnType,
  StatementOptions,
  SemanticJoin,
  StatementEffect,
  StatementShape,
  TransactionAction,
  UserOperatorDef,
} from './types';
export type { ApproximateTarget, CascadeTargets, JoinOption, JoinTargets, RoutingTargets } from './statement-targets';
