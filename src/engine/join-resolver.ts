import type { JoinReport } from '../protocol/progress';
import type { JoinTargetsResolved, ResolvedOptions } from '../protocol/resolved-options';
import type { ColumnarResult } from '../protocol/results';
import type { OperatorDef, SemanticJoin } from '../sql';
import { cacheKey } from './cache-key';
import type { OracleAnswer } from './cascade';
import { settlePasses, type FixpointDeps } from './fixpoint';
import { choosePlan, runBlocking, runClassify, type JoinPairs, type PairCounts, type PlanChoice } from './join';
import { classifyOperators, readSetAnswer } from './join/classify-request';
import { VECTOR_UDF } from './embedding-hooks';
import { loadKnown, resolveMisses, type ResolveContext } from './miss-resolver';
import { modelRequest } from './model-request';
import type { Miss } from './query-run';

/**
 * The join planner in the engine (issue 24, docs/semantic-joins.md). Before a statement's passes,
 * each semantic join its `join` option (annotation or setting, src/engine/resolve-options.ts) plans
 * is listed (the pairs query, run to its own fixpoint), its known answers read, and its plan run:
 * classify answers pairs for this query (cached apart, per pair); blocking asks its pairs the
 * pairwise question (cached as usual) and leaves the rest NULL for this query. The passes then find
 * every pair decided, known or unasked. With `join: exact` nothing here runs: the nested loop is
 * what it always was. Calls go through the pass path's resolver context, so the connection's plan
 * checks each batch against the budget before anything is sent.
 */
export interface JoinContext {
  joins: readonly SemanticJoin[];
  option: Exclude<ResolvedOptions['join'], 'exact'>;
  resolve: ResolveContext;
  /** Runs a read query to its fixpoint (its own operators answered) and returns its rows. */
  settle(sql: string): Promise<ColumnarResult>;
  operator(name: string): OperatorDef | undefined;
  /** Whether the embeddings' bridge function (embed) is defined: blocking needs it. */
  embeddings: boolean;
}

/** What the executor hands the planner: the statement's joins and how to read a result's rows. */
export interface StatementJoins<R> {
  joins?: readonly SemanticJoin[];
  inTransaction?: boolean;
  toColumnar?(result: R): ColumnarResult;
  operator?(name: string): OperatorDef | undefined;
  embeddings: boolean;
}

/**
 * Plans a statement's semantic joins before its passes, when its options ask for a plan (never
 * inside the user's transaction, where a pairs query could not be run again). Each join's report
 * goes to the run's progress; returns the passes the pairs queries took.
 */
export async function planJoinsBeforePasses<R>(fixpoint: FixpointDeps<R>, statement: StatementJoins<R>): Promise<number> {
  const option = fixpoint.options.join;
  const { joins, toColumnar, operator } = statement;
  if (option === 'exact' || !joins || joins.length === 0 || !toColumnar || !operator || statement.inTransaction) return 0;
  let passes = 0;
  const ctx: JoinContext = {
    joins,
    option,
    operator,
    embeddings: statement.embeddings,
    resolve: fixpoint.resolver.context,
    settle: async (sql) => {
      const settled = await settlePasses({ ...fixpoint, early: null }, sql, 'read', 0);
      passes += settled.passes;
      return toColumnar(settled.result);
    },
  };
  for (const join of joins) {
    if (ctx.resolve.signal.aborted) break;
    fixpoint.progress.join(await planJoin(join, ctx));
  }
  return passes;
}

interface Listed {
  pairs: JoinPairs;
  /** Every pair's full argument list, as the bridge function gets it. */
  args: string[][];
  similarity?: Float64Array;
  rank?: Int32Array;
}

async function planJoin(join: SemanticJoin, ctx: JoinContext): Promise<JoinReport> {
  const base = { operator: join.operator, sides: join.sideText, pairs: 0, rowPairs: 0, known: 0, calls: 0 };
  const nested = (reason: string): JoinReport => ({ ...base, plan: 'nested-loop', reason: `${reason}: every pair is asked` });
  const op = ctx.operator(join.operator);
  if (op === undefined) return nested(`${join.operator} is not defined`);
  const blocking = typeof ctx.option === 'object';
  if (blocking && !ctx.embeddings) return nested('no embeddings operator to score pairs');
  // Listed first without the proxy: a join whose pairs are all known needs no vector and no call.
  let first = await listPairs(join, ctx, false);
  if (typeof first === 'string') return nested(first);
  if (blocking && first.known.some((k) => k === undefined)) {
    const scored = await listPairs(join, ctx, true);
    if (typeof scored === 'string') return nested(scored);
    first = scored;
  }
  const { listed, misses, known } = first;
  const { run } = ctx.resolve;
  const holds = holdsOf(join);
  const counts = pairCounts(listed.pairs, known);
  const choice = choosePlan(counts, ctx.option);
  const report = { ...base, pairs: counts.pairs, rowPairs: counts.rowPairs, known: counts.pairs - counts.unknown, plan: choice.kind, reason: choice.reason };
  if (choice.kind === 'nested-loop' || counts.unknown === 0) return report;
  if (choice.kind === 'classify') return { ...report, ...(await classifyJoin(join, op, listed, misses, known, choice, ctx)) };
  let calls = 0;
  const oracle = async (wanted: readonly number[]): Promise<OracleAnswer[]> => {
    calls += wanted.length;
    await resolveMisses(
      wanted.map((p) => misses[p] as Miss),
      ctx.resolve,
    );
    if (ctx.resolve.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    return wanted.map((p) => {
      const k = run.known((misses[p] as Miss).key);
      return k && 'value' in k ? holds(k.value) : { error: k && 'error' in k ? k.error : 'no answer' };
    });
  };
  const target = ctx.option as JoinTargetsResolved;
  const result = await runBlocking({ pairs: listed.pairs, similarity: listed.similarity as Float64Array, rank: listed.rank as Int32Array, known }, oracle, {
    recall: target.recall,
    confidence: target.confidence,
    seed: target.seed,
  });
  run.leaveUnasked(op.name, covering(join, listed));
  const s = result.stats;
  return {
    ...report,
    calls,
    block: {
      candidates: s.candidates,
      sampled: s.sampled,
      sampleDraws: s.sampleDraws,
      k: s.k,
      recallBound: s.recallBound,
      confidence: target.confidence,
      fallback: s.fallback,
    },
  };
}

/** The join's pairs (with the proxy's similarity and ranks when `scored`), their cache keys and what is known of them. */
async function listPairs(
  join: SemanticJoin,
  ctx: JoinContext,
  scored: boolean,
): Promise<{ listed: Listed; misses: Miss[]; known: (OracleAnswer | undefined)[] } | string> {
  let listed: Listed | string;
  try {
    listed = readPairs(await ctx.settle(scored ? similaritySql(join) : join.pairsSql), join);
  } catch (error) {
    if (ctx.resolve.signal.aborted) throw error;
    return `the pairs could not be listed (${(error as Error).message})`;
  }
  if (typeof listed === 'string') return listed;
  const { run } = ctx.resolve;
  const op = ctx.operator(join.operator) as OperatorDef;
  const holds = holdsOf(join);
  const prefix = run.prefix(op);
  const misses: Miss[] = listed.args.map((a) => ({ key: cacheKey(prefix, a), operator: op, args: a }));
  const unknown = new Set((await loadKnown(misses, ctx.resolve)).map((m) => m.key));
  const known = misses.map((m): OracleAnswer | undefined => {
    if (unknown.has(m.key)) return undefined;
    const k = run.known(m.key);
    return k && 'value' in k ? holds(k.value) : undefined;
  });
  return { listed, misses, known };
}

async function classifyJoin(
  join: SemanticJoin,
  op: OperatorDef,
  listed: Listed,
  misses: readonly Miss[],
  known: readonly (OracleAnswer | undefined)[],
  choice: PlanChoice,
  ctx: JoinContext,
): Promise<Pick<JoinReport, 'calls' | 'classify'>> {
  const { run } = ctx.resolve;
  const { pairs, args } = listed;
  const optionsSide = choice.optionsSide ?? 'right';
  const ops = classifyOperators(op, join, args[0]?.length ?? 2, optionsSide);
  const pairPrefix = run.prefix(ops.pair);
  const pairMisses: Miss[] = args.map((a) => ({ key: cacheKey(pairPrefix, a), operator: ops.pair, args: a }));
  const unknownPairs = new Set((await loadKnown(pairMisses, ctx.resolve)).map((m) => m.key));
  const classified = pairMisses.map((m, p): OracleAnswer | undefined => {
    if (known[p] !== undefined || unknownPairs.has(m.key)) return known[p];
    const k = run.known(m.key);
    return k && 'value' in k && typeof k.value === 'boolean' ? k.value : undefined;
  });
  let calls = 0;
  const result = await runClassify(pairs, optionsSide, classified, async (groups) => {
    const requests: Miss[] = groups.map((g) => {
      const first = args[g.pairs[0] as number] as string[];
      const constants = first.filter((_, i) => i !== ops.valueAt && i !== ops.optionAt);
      const options = g.pairs.map((p) => (args[p] as string[])[ops.optionAt] as string);
      const reqArgs = [first[ops.valueAt] as string, JSON.stringify(options), ...constants];
      return { key: cacheKey(run.prefix(ops.request), reqArgs), operator: ops.request, args: reqArgs };
    });
    calls += requests.length;
    const request = (m: Miss) =>
      m.operator === ops.request ? { ...modelRequest(m.key, m.operator, m.args, run.scope), pairwise: ops.task } : ctx.resolve.request(m);
    await resolveMisses(requests, { ...ctx.resolve, request });
    if (ctx.resolve.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    return requests.map((m, g) => {
      const k = run.known(m.key);
      return k && 'value' in k ? readSetAnswer(k.value, groups[g]?.options.length ?? 0) : { error: k && 'error' in k ? k.error : 'no answer' };
    });
  });
  // Pairwise answers known before win; the rest take the set answer for this query, and keep it per pair.
  result.answers.forEach((answer, p) => {
    if (known[p] !== undefined || typeof answer !== 'boolean') return;
    if (classified[p] === undefined) run.settle((pairMisses[p] as Miss).key, { value: answer, inputTokens: 0, outputTokens: 0 });
    const key = (misses[p] as Miss).key;
    // A score that holds is asked for its value (the set answer has none); one that does not is NULL.
    if (op.returns === 'BOOLEAN') run.decide(key, answer);
    else if (!answer) run.decide(key, null);
  });
  return { calls, classify: { requests: result.stats.requests, failed: result.stats.failed } };
}

/** When an answer means the condition holds. */
function holdsOf(join: SemanticJoin): (value: unknown) => boolean {
  const h = join.holds;
  if (h.kind === 'yes') return (v) => v === true;
  return (v) => typeof v === 'number' && (h.inclusive ? v >= h.threshold : v > h.threshold);
}

/**
 * The pairs query with each pair's proxy similarity and its rank among its left value's pairs, in
 * DuckDB: each side's distinct texts embedded by the embeddings bridge function (asked once, cached
 * per text, as the passes resolve them), compared with list_cosine_similarity.
 */
function similaritySql(join: SemanticJoin): string {
  const [l, r] = join.sides;
  const vector = (t: string) => `CAST(${VECTOR_UDF}(${t}) AS DOUBLE[])`;
  const sim = 'coalesce(list_cosine_similarity(__semsql_lv.v, __semsql_rv.v), -1)';
  return (
    `WITH __semsql_p AS (${join.pairsSql}), ` +
    `__semsql_lv AS (SELECT t, ${vector('t')} AS v FROM (SELECT DISTINCT a${l} AS t FROM __semsql_p)), ` +
    `__semsql_rv AS (SELECT t, ${vector('t')} AS v FROM (SELECT DISTINCT a${r} AS t FROM __semsql_p)) ` +
    `SELECT __semsql_p.*, ${sim} AS __sim, row_number() OVER (PARTITION BY __semsql_p.a${l} ORDER BY ${sim} DESC, __semsql_p.a${r}) AS __rank ` +
    `FROM __semsql_p JOIN __semsql_lv ON __semsql_lv.t = __semsql_p.a${l} JOIN __semsql_rv ON __semsql_rv.t = __semsql_p.a${r}`
  );
}

/** The listed pairs, or why they cannot be planned. */
function readPairs(table: ColumnarResult, join: SemanticJoin): Listed | string {
  const at = (name: string) => table.columns.findIndex((c) => c.name === name);
  const argColumns = table.columns.flatMap((c, i) => (/^a\d+$/.test(c.name) ? [i] : []));
  const [li, ri] = join.sides;
  const leftIds = new Map<string, number>();
  const rightIds = new Map<string, number>();
  const id = (ids: Map<string, number>, v: string) => ids.get(v) ?? (ids.set(v, ids.size), ids.size - 1);
  const rows = table.rowCount;
  const out: Listed = { pairs: { leftOf: new Int32Array(rows), rightOf: new Int32Array(rows), weight: new Float64Array(rows), left: [], right: [] }, args: [] };
  const constants = new Set<string>();
  for (let row = 0; row < rows; row++) {
    const a = argColumns.map((c) => String(table.values[c]?.[row]));
    out.args.push(a);
    out.pairs.leftOf[row] = id(leftIds, a[li] as string);
    out.pairs.rightOf[row] = id(rightIds, a[ri] as string);
    out.pairs.weight[row] = Number(table.values[at('n')]?.[row] ?? 1);
    constants.add(JSON.stringify(a.filter((_, i) => i !== li && i !== ri)));
  }
  if (constants.size > 1) return 'an argument other than the two sides varies from pair to pair';
  out.pairs.left = [...leftIds.keys()];
  out.pairs.right = [...rightIds.keys()];
  if (at('__sim') >= 0) {
    out.similarity = Float64Array.from(table.values[at('__sim')] ?? [], Number);
    out.rank = Int32Array.from(table.values[at('__rank')] ?? [], Number);
  }
  return out;
}

function pairCounts(pairs: JoinPairs, known: readonly (OracleAnswer | undefined)[]): PairCounts {
  const unknownLeft = new Set<number>();
  const unknownRight = new Set<number>();
  let rowPairs = 0;
  known.forEach((k, p) => {
    rowPairs += pairs.weight[p] as number;
    if (k !== undefined) return;
    unknownLeft.add(pairs.leftOf[p] as number);
    unknownRight.add(pairs.rightOf[p] as number);
  });
  const unknown = known.filter((k) => k === undefined).length;
  return {
    pairs: known.length,
    unknown,
    left: pairs.left.length,
    right: pairs.right.length,
    unknownLeft: unknownLeft.size,
    unknownRight: unknownRight.size,
    rowPairs,
  };
}

/** Argument lists of this join's pairs: both sides among its values and the other arguments its own. */
function covering(join: SemanticJoin, listed: Listed): (args: readonly string[]) => boolean {
  const [li, ri] = join.sides;
  const left = new Set(listed.pairs.left);
  const right = new Set(listed.pairs.right);
  const first = listed.args[0] ?? [];
  return (args) => left.has(args[li] as string) && right.has(args[ri] as string) && args.every((a, i) => i === li || i === ri || a === first[i]);
}
