/** The join planner (docs/semantic-joins.md): how a semantic join's pairs are asked. */
export { runBlocking, sampleSize } from './block';
export { CLASSIFY_MAX_OPTIONS, classifyGroups, runClassify, type ClassifyGroup, type ClassifyResult, type SetAnswer } from './classify';
export { choosePlan, planCosts, type PairCounts, type PlanChoice, type PlanCosts } from './plan';
export {
  BLOCK_DEFAULTS,
  type BlockFallback,
  type BlockOptions,
  type BlockResult,
  type BlockStats,
  type JoinPairs,
  type PairOracle,
  type PlanKind,
} from './types';
