import { AGGREGATES } from './aggregates';
import { CODE_WRITERS } from './code';
import { defineOperator, type OperatorSpec } from './define';
import { DIMENSIONS } from './dimensions';
import { EMBEDDINGS } from './embeddings';
import { EXTRACTION } from './extraction';
import { JUDGEMENTS } from './judgements';
import { PARSING } from './parsing';
import { PIPELINE_OPERATORS } from './pipeline';
import { REASONING } from './reasoning';
import { SESSION } from './session';
import { TEXT_OPERATORS } from './text';
import type { OperatorDef } from '../types';

/** The catalogue: every built-in operator, by family, as written. */
export const OPERATOR_CATALOGUE: readonly OperatorSpec[] = [
  ...JUDGEMENTS,
  ...TEXT_OPERATORS,
  ...PARSING,
  ...REASONING,
  ...EXTRACTION,
  ...AGGREGATES,
  ...DIMENSIONS,
  ...CODE_WRITERS,
  ...EMBEDDINGS,
  ...PIPELINE_OPERATORS,
  ...SESSION,
];

export const BUILTIN_OPERATORS: readonly OperatorDef[] = OPERATOR_CATALOGUE.map(defineOperator);

const BY_NAME = new Map(BUILTIN_OPERATORS.map((op) => [op.name, op]));

/** The built-in of that name: the mock reads its strategy here (no user operator can take the name). */
export function builtinOperator(name: string): OperatorDef | undefined {
  return BY_NAME.get(name);
}

export { PIPELINE_FORMS, PIPELINE_STAGES, type PipelineStage } from './stages';
export { EXTRACTION } from './extraction';
export { REASONING } from './reasoning';
export { syntaxOf } from './syntax';
export { DUCKDB_BUILTIN_SHADOW_GUARD, EMBEDDING_HOOK_PREFIX, functionSpellings, UDF_PREFIX, type OperatorSpec } from './define';
