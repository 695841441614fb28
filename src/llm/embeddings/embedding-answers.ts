import type { ModelAnswer, ModelRequest } from '../../protocol/model';
import { decodeGroup } from '../../sql';
import { ProviderError, type Provider } from '../provider';
import { cosine, type Embedder } from './embedder';

/**
 * Answers for the operators that embeddings answer (the catalogue's `execution: 'embeddings'`):
 * `embed` gives each row's vector as JSON text (the engine casts it to DOUBLE[] and compares in
 * DuckDB with list_cosine_similarity); `rank_semantic` and `semantic_cluster` rank and cluster a
 * group's members by their vectors. Everything else goes to the model.
 */
export const VECTOR_OPERATORS: ReadonlySet<string> = new Set(['embed', 'embed_with_storage']);
export const EMBEDDING_OPERATORS: ReadonlySet<string> = new Set([...VECTOR_OPERATORS, 'rank_semantic', 'semantic_cluster', 'embed_batch']);

/** `provider`, with the embedding operators answered by `embedder` instead. */
export function withEmbeddings(provider: Provider, embedder: () => Promise<Embedder>): Provider {
  return {
    ...provider,
    async call(request, signal) {
      if (!EMBEDDING_OPERATORS.has(request.operator)) return provider.call(request, signal);
      return embeddingAnswer(request, await embedder(), signal);
    },
  };
}

export async function embeddingAnswer(request: ModelRequest, embedder: Embedder, signal: AbortSignal): Promise<ModelAnswer> {
  if (VECTOR_OPERATORS.has(request.operator)) {
    // One call for all the request's rows: embedding endpoints take lists.
    const { vectors, inputTokens } = await embedder.embed(
      request.rows.map((row) => row.args[0] ?? ''),
      signal,
    );
    return { rows: vectors.map((v) => ({ ok: true, value: JSON.stringify(v) })), inputTokens, outputTokens: 0 };
  }
  let inputTokens = 0;
  const rows = [];
  for (const row of request.rows) {
    const answer =
      request.operator === 'embed_batch'
        ? await embedBatch(row.args, embedder, signal)
        : request.operator === 'rank_semantic'
          ? await rank(decodeGroup(row.args[0] ?? ''), row.args[1] ?? '', embedder, signal)
          : await cluster(decodeGroup(row.args[0] ?? ''), Number(row.args[1] ?? 8), row.args[2], embedder, signal);
    inputTokens += answer.inputTokens;
    rows.push({ ok: true as const, value: JSON.stringify(answer.value) });
  }
  return { rows, inputTokens, outputTokens: 0 };
}

/**
 * embed_batch(table, column, rows_json, batch_size): embeds the column's text of each row in the
 * JSON list, batch_size at a time, and reports what it did (LARS's bulk loader).
 */
async function embedBatch(args: readonly string[], embedder: Embedder, signal: AbortSignal) {
  const [table = '', column = '', json = '[]', size = '50'] = args;
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch {
    throw new ProviderError({ kind: 'bad_request', message: 'embed_batch: rows_json is not JSON' });
  }
  if (!Array.isArray(rows)) throw new ProviderError({ kind: 'bad_request', message: 'embed_batch: rows_json must be a JSON array of rows' });
  const texts = rows
    .map((r) => (r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[column] : undefined))
    .filter((t): t is string => typeof t === 'string');
  const batchSize = Math.max(1, Math.floor(Number(size)) || 50);
  let inputTokens = 0;
  for (let i = 0; i < texts.length; i += batchSize) inputTokens += (await embedder.embed(texts.slice(i, i + batchSize), signal)).inputTokens;
  return { value: { rows_embedded: texts.length, batches: Math.ceil(texts.length / batchSize), table, column, model: embedder.identity }, inputTokens };
}

async function rank(members: string[], criteria: string, embedder: Embedder, signal: AbortSignal) {
  const { vectors, inputTokens } = await embedder.embed([criteria, ...members], signal);
  const [target, ...own] = vectors;
  const scored = members.map((value, i) => ({ value, score: round(cosine(target ?? [], own[i] ?? [])) }));
  scored.sort((a, b) => b.score - a.score || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { value: { rankings: scored.map((s, i) => ({ value: s.value, rank: i + 1, score: s.score })) }, inputTokens };
}

/**
 * k-means over the members' vectors (cosine), seeded deterministically by farthest-first from the
 * first member so the same group always clusters the same way; each cluster is labelled by the
 * member nearest its centre. With a criterion, each member is embedded as "criterion: member".
 */
async function cluster(members: string[], requested: number, criterion: string | undefined, embedder: Embedder, signal: AbortSignal) {
  if (!Number.isFinite(requested) || requested < 1)
    throw new ProviderError({ kind: 'bad_request', message: `semantic_cluster: the number of clusters must be at least 1, got ${requested}` });
  if (members.length === 0) return { value: { clusters: [] }, inputTokens: 0 };
  const texts = criterion ? members.map((m) => `${criterion}: ${m}`) : members;
  const { vectors, inputTokens } = await embedder.embed(texts, signal);
  const k = Math.min(Math.floor(requested), members.length);
  const centres = [vectors[0] as number[]];
  while (centres.length < k) {
    let best = 0;
    let bestDistance = -1;
    vectors.forEach((v, i) => {
      const d = Math.min(...centres.map((c) => 1 - cosine(c, v)));
      if (d > bestDistance) [best, bestDistance] = [i, d];
    });
    centres.push(vectors[best] as number[]);
  }
  let assignment = vectors.map(() => 0);
  for (let round = 0; round < 20; round++) {
    const next = vectors.map((v) => nearest(v, centres));
    const moved = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    centres.forEach((_, c) => {
      const own = vectors.filter((_, i) => assignment[i] === c);
      if (own.length > 0) centres[c] = (own[0] as number[]).map((_, d) => own.reduce((s, v) => s + (v[d] ?? 0), 0) / own.length);
    });
    if (!moved && round > 0) break;
  }
  const clusters = centres
    .map((centre, c) => {
      const own = members.map((m, i) => ({ m, i })).filter(({ i }) => assignment[i] === c);
      if (own.length === 0) return null;
      const label = own.reduce((best, x) => (cosine(centre, vectors[x.i] as number[]) > cosine(centre, vectors[best.i] as number[]) ? x : best)).m;
      return { label, members: own.map((x) => x.m) };
    })
    .filter((c): c is { label: string; members: string[] } => c !== null);
  return { value: { clusters }, inputTokens };
}

function nearest(v: readonly number[], centres: readonly number[][]): number {
  let best = 0;
  let score = -Infinity;
  centres.forEach((c, i) => {
    const s = cosine(c, v);
    if (s > score) [best, score] = [i, s];
  });
  return best;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
