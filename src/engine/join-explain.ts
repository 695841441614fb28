import type { AnswerCache } from '../cache/answer-cache';
import type { JoinExplain } from '../protocol/duckdb-worker-api';
import type { ColumnarResult } from '../protocol/results';
import type { JoinOption, OperatorDef, SemanticJoin } from '../sql';
import { cacheKey } from './cache-key';
import { choosePlan, planCosts } from './join';
import { loadKnown } from './miss-resolver';
import { runPass, type Database } from './pass-runner';
import type { QueryRun } from './query-run';

/**
 * EXPLAIN SEMANTIC of a semantic join (docs/semantic-joins.md): its pairs once the other conditions
 * apply (one pass of its pairs query, no call), how many are known, the plan its annotation or
 * setting picks and why, and what each plan would call, so a join without an annotation shows
 * what classify or blocking would save.
 */
export async function explainJoins<R>(
  deps: { db: Database<R>; cache: AnswerCache; toColumnar(result: R): ColumnarResult; operator(name: string): OperatorDef | undefined },
  joins: readonly SemanticJoin[],
  option: JoinOption,
  run: QueryRun,
  queryId: string,
): Promise<JoinExplain[]> {
  const out: JoinExplain[] = [];
  for (const join of joins) {
    const op = deps.operator(join.operator);
    const at = { operator: join.operator, line: join.span.line, column: join.span.column, sides: join.sideText };
    let table: ColumnarResult;
    try {
      run.beginPass();
      table = deps.toColumnar(await runPass(deps.db, join.pairsSql, run, 'read', new AbortController().signal, queryId));
    } catch (error) {
      out.push({
        ...at,
        pairs: 0,
        known: 0,
        values: [0, 0],
        plan: 'nested-loop',
        reason: `the pairs could not be listed (${(error as Error).message})`,
        calls: { nestedLoop: 0, classify: null, block: { about: 0, max: 0 } },
      });
      continue;
    }
    const argColumns = table.columns.flatMap((c, i) => (/^a\d+$/.test(c.name) ? [i] : []));
    const nColumn = table.columns.findIndex((c) => c.name === 'n');
    const args = Array.from({ length: table.rowCount }, (_, row) => argColumns.map((c) => String(table.values[c]?.[row])));
    const prefix = op === undefined ? '' : run.prefix(op);
    const misses = op === undefined ? [] : args.map((a) => ({ key: cacheKey(prefix, a), operator: op, args: a }));
    const unknown = new Set((await loadKnown(misses, { run, cache: deps.cache })).map((m) => m.key));
    const [li, ri] = join.sides;
    const distinct = (i: number, only: boolean) => new Set(args.filter((_, p) => !only || unknown.has(misses[p]?.key ?? '')).map((a) => a[i])).size;
    let rowPairs = 0;
    for (let row = 0; row < table.rowCount; row++) rowPairs += Number(table.values[nColumn]?.[row] ?? 1);
    const counts = {
      pairs: args.length,
      unknown: op === undefined ? args.length : unknown.size,
      left: distinct(li, false),
      right: distinct(ri, false),
      unknownLeft: distinct(li, true),
      unknownRight: distinct(ri, true),
      rowPairs,
    };
    const choice = choosePlan(counts, option);
    const targets = typeof option === 'object' ? option : undefined;
    out.push({
      ...at,
      pairs: counts.pairs,
      known: counts.pairs - counts.unknown,
      values: [counts.left, counts.right],
      plan: choice.kind,
      reason: choice.reason,
      calls: planCosts(counts, targets),
    });
  }
  return out;
}
