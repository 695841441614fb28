import type { CallRecord } from '../protocol/call-log';
import type { CascadeReport } from '../protocol/progress';
import type { CascadeTargetsResolved } from '../protocol/resolved-options';
import type { OperatorDef } from '../sql';
import { cacheKey } from './cache-key';
import { runCascade, type CascadeDecision, type OracleAnswer, type ProxyScores } from './cascade';
import { loadKnown, resolveMisses, type ResolveContext } from './miss-resolver';
import type { Miss } from './query-run';

/**
 * Cascades in the engine (issue 19, docs/cascades.md): a filter's misses are scored by a cheap proxy
 * (the cosine similarity of the row's text and the criterion, from the embeddings model), a uniform
 * sample goes to the model, thresholds are learned on it so the recall and precision targets hold
 * with the stated confidence, rows the proxy is sure of are decided without a call (for this query
 * only: never cached as the model's answers), and the rest go to the model as usual: asked once,
 * through the same resolver, budget and in-flight registry.
 */

export interface CascadeContext {
  /** The statement's targets, seeded so its cascade draws the same rows every run. */
  targets: CascadeTargetsResolved;
  /** The operator whose vectors score rows (embed). */
  proxy: OperatorDef;
  log(entry: CallRecord): void;
  report(report: CascadeReport): void;
}

/** Rows a cascade samples over one by one; a larger table's inputs count once each (memory, not correctness). */
const MAX_EXPANDED = 1_000_000;

/**
 * Filters a cascade can decide: yes/no operators over a row's text and a criterion the same for
 * every row (MEANS and the other judgements). Scores and aggregates are left to the model.
 */
function eligible(miss: Miss): boolean {
  const op = miss.operator;
  return op.returns === 'BOOLEAN' && op.shape === 'scalar' && op.execution !== 'embeddings' && miss.args.length === 2;
}

/** The misses a cascade can decide, one group per filter (operator and criterion), and the rest. */
export function cascadeGroups(misses: readonly Miss[]): { groups: Miss[][]; rest: Miss[] } {
  const groups = new Map<string, Miss[]>();
  const rest: Miss[] = [];
  for (const miss of misses) {
    if (!eligible(miss)) {
      rest.push(miss);
      continue;
    }
    const group = `${miss.operator.name}\u0000${miss.args[1]}`;
    const list = groups.get(group);
    if (list) list.push(miss);
    else groups.set(group, [miss]);
  }
  return { groups: [...groups.values()], rest };
}

/** Resolves `misses`, running a cascade for each eligible filter and the usual resolver for the rest. */
export async function resolveWithCascade(misses: readonly Miss[], ctx: ResolveContext, cascade: CascadeContext): Promise<void> {
  const { groups, rest } = cascadeGroups(misses);
  if (rest.length > 0) await resolveMisses(rest, ctx);
  for (const group of groups) {
    if (ctx.signal.aborted) return;
    await cascadeGroup(group, ctx, cascade);
  }
}

async function cascadeGroup(group: Miss[], ctx: ResolveContext, cascade: CascadeContext): Promise<void> {
  // Stored answers are not part of the sample (it must be uniform over what is unknown), and cost nothing.
  const unknown = await loadKnown(group, ctx);
  const first = unknown[0];
  if (!first) return;
  const criterion = first.args[1] ?? '';
  // The targets are over the query's rows, and a text may stand in many: the cascade samples rows,
  // each of an input's rows with its score. (Past MAX_EXPANDED rows, inputs count once each.)
  const total = unknown.reduce((n, m) => n + (m.rows ?? 1), 0);
  const inputOf: number[] = [];
  unknown.forEach((m, i) => {
    for (let r = 0; r < (total <= MAX_EXPANDED ? (m.rows ?? 1) : 1); r++) inputOf.push(i);
  });
  // Rows are scored (their texts embedded) only as the cascade needs them: none when it falls back
  // at once, the pilot's when the pilot shows the proxy useless or the positives too rare.
  const proxy = proxyScores(
    inputOf.map((i) => unknown[i] as Miss),
    criterion,
    ctx,
    cascade.proxy,
  );
  const oracle = batchedOracle(
    inputOf.map((i) => unknown[i] as Miss),
    ctx,
  );
  const result = await runCascade(proxy, oracle, {
    targets: { recall: cascade.targets.recall, precision: cascade.targets.precision },
    delta: 1 - cascade.targets.confidence,
    seed: cascade.targets.seed,
  });
  // An input the model answered (any of its rows sampled or asked) keeps the model's answer; the
  // others' rows share one score, so one band: the proxy's decision.
  const asked = new Set<number>();
  const proxied = new Map<number, boolean>();
  result.decisions.forEach((decision: CascadeDecision, row) => {
    const input = inputOf[row] as number;
    if (decision.source === 'proxy-accept' || decision.source === 'proxy-reject') proxied.set(input, decision.source === 'proxy-accept');
    else asked.add(input);
  });
  const at = Date.now();
  proxied.forEach((value, input) => {
    if (asked.has(input)) return;
    const miss = unknown[input] as Miss;
    ctx.run.decide(miss.key, value);
    cascade.log({
      query_id: ctx.run.id,
      operator: miss.operator.name,
      model: `proxy:${ctx.run.scope.embeddings?.model ?? 'embeddings'}`,
      started_at: at,
      ended_at: at,
      duration_ms: 0,
      status: 'proxy',
      attempts: 0,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      error: null,
      answers: miss.rows ?? 1,
      rows_in_request: 0,
    });
  });
  const { stats } = result;
  cascade.report({
    operator: first.operator.name,
    criterion,
    targets: cascade.targets,
    rows: stats.rows,
    calls: asked.size,
    proxyTexts: proxy.texts(),
    decidedBy: {
      sample: stats.decidedBy.sample,
      proxyAccept: stats.decidedBy['proxy-accept'],
      proxyReject: stats.decidedBy['proxy-reject'],
      model: stats.decidedBy.oracle,
    },
    thresholds: { low: stats.thresholds?.low ?? null, high: stats.thresholds?.high ?? null },
    estimate: stats.thresholds?.estimate ?? { recall: null, precision: null },
    fallback: stats.fallback,
  });
}

/**
 * The proxy over the cascade's rows: a row's score is the cosine similarity of its text's vector and
 * the criterion's, the vectors asked through the resolver like any answer (once per text, cached;
 * counted as embedding requests, not model calls).
 */
function proxyScores(rows: readonly Miss[], criterion: string, ctx: ResolveContext, proxy: OperatorDef): ProxyScores & { texts(): number } {
  const prefix = ctx.run.prefix(proxy);
  const keyOf = (text: string) => cacheKey(prefix, [text]);
  const used = new Set<string>();
  const vector = (text: string): number[] | null => {
    const known = ctx.run.known(keyOf(text));
    return known && 'value' in known && typeof known.value === 'string' ? (JSON.parse(known.value) as number[]) : null;
  };
  return {
    rows: rows.length,
    async score(wanted) {
      const texts = [criterion, ...new Set(wanted.map((row) => rows[row]?.args[0] ?? ''))];
      for (const text of texts) used.add(text);
      const vectorMisses = texts.map((text): Miss => ({ key: keyOf(text), operator: proxy, args: [text] }));
      await resolveMisses(await loadKnown(vectorMisses, ctx), ctx);
      const target = vector(criterion);
      // Without the criterion's vector no row can be scored: all scores equal, and the cascade asks every row.
      return wanted.map((row) => {
        const v = target ? vector(rows[row]?.args[0] ?? '') : null;
        return v && target ? similarity(v, target) : 0;
      });
    },
    texts: () => used.size,
  };
}

function similarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] ?? 0);
  // Vectors are unit length (src/llm/embeddings): the dot product is the cosine.
  return dot;
}

/**
 * The model as the cascade's oracle: rows asked in the same turn go to the resolver together (so
 * they share requests and the budget check), and each answer is read back from the query's run.
 */
function batchedOracle(misses: readonly Miss[], ctx: ResolveContext) {
  let pending: { miss: Miss; resolve(a: OracleAnswer): void; reject(e: unknown): void }[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      // Rows of one input are asked as one input.
      await resolveMisses([...new Map(batch.map((p) => [p.miss.key, p.miss])).values()], ctx);
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    if (ctx.signal.aborted) {
      for (const p of batch) p.reject(new DOMException('cancelled', 'AbortError'));
      return;
    }
    for (const p of batch) {
      const known = ctx.run.known(p.miss.key);
      p.resolve(known && 'value' in known ? known.value === true : { error: known && 'error' in known ? known.error : 'no answer' });
    }
  };
  return (row: number): Promise<OracleAnswer> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) queueMicrotask(() => void flush());
      pending.push({ miss: misses[row] as Miss, resolve, reject });
    });
}
