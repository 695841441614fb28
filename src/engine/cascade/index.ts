/** Cascades (docs/cascades.md): the proxy decides the rows it is sure of, the model the rest, at stated targets. */
export { binomialCdf, binomialTail, cpLower, cpUpper } from './clopper-pearson';
export { expectedCalls, expectedDistinct, planCascade, sampleSize, type CascadePlan } from './plan';
export { runCascade, type CascadeResult, type CascadeStats } from './run-cascade';
export { band, learnThresholds, type Band, type LabelledDraw, type PrecisionTest, type RecallTest, type ThresholdInput, type Thresholds } from './thresholds';
export { rowDrawer, type RowDrawer } from './sample';
export { sampleAuc, shownUseful, type SampleAuc } from './sample-auc';
export {
  CASCADE_DEFAULTS,
  isRowError,
  resolveCascadeOptions,
  type CascadeDecision,
  type CascadeOptions,
  type CascadeTargets,
  type DecisionSource,
  type FallbackReason,
  type Oracle,
  type OracleAnswer,
  type OracleRowError,
  type ProxyScores,
} from './types';
