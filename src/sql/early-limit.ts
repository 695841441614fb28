import type { CallSite, StatementOptions, StatementShape } from './types';

export type EarlyLimitPlan = { eligible: true; limit: number } | { eligible: false; reason: string };

/**
 * Whether a statement may stop at the first pass that returns its LIMIT k rows (docs/design.md, "Early
 * answers for LIMIT"). That is sound only when an unknown condition can count as false: every
 * semantic operator sits in the top level's WHERE, joined by AND (not under NOT, OR or CASE), and
 * nothing at the top level needs every row (ORDER BY, aggregates, GROUP BY, DISTINCT, windows, set
 * operations). Then every row a pass returns satisfies every condition with known values.
 */
export function earlyLimitPlan(statement: { callSites: readonly CallSite[]; shape: StatementShape; options: StatementOptions }): EarlyLimitPlan {
  const { callSites, shape, options } = statement;
  const no = (reason: string): EarlyLimitPlan => ({ eligible: false, reason });
  if (callSites.length === 0) return no('no semantic operator');
  if (options.early === 'off') return no('turned off by -- @ early: off');
  if (shape.topLevelLimit === undefined) return no('no LIMIT k at the top level');
  if (shape.hasOrderBy) return no('ORDER BY at the top level needs every row');
  if (shape.hasGroupBy) return no('GROUP BY at the top level needs every row');
  if (shape.hasAggregate) return no('an aggregate at the top level needs every row');
  if (shape.hasDistinct) return no('DISTINCT at the top level needs every row');
  if (shape.hasWindow) return no('a window at the top level needs every row');
  if (shape.hasSetOp) return no('a set operation at the top level');
  const outside = callSites.find((site) => !site.context.topLevelFilter);
  if (outside) {
    const where = outside.context.underNot
      ? 'under NOT'
      : outside.context.underOr
        ? 'under OR'
        : outside.context.underCase
          ? 'under CASE'
          : outside.context.depth > 0
            ? 'in a subquery'
            : `in ${outside.context.clause.replace('_', ' ').toUpperCase()}`;
    return no(`${outside.operator} at line ${outside.span.line}, column ${outside.span.column} is ${where}, not only AND-ed in the top-level WHERE`);
  }
  return { eligible: true, limit: shape.topLevelLimit };
}
