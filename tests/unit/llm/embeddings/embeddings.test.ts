import { afterEach, describe, expect, test } from 'vitest';
import { cosine } from '../../../../src/llm/embeddings/embedder';
import { embeddingAnswer } from '../../../../src/llm/embeddings/embedding-answers';
import { mockEmbedder, mockVector } from '../../../../src/llm/embeddings/mock-embedder';
import { openAiEmbedder } from '../../../../src/llm/embeddings/openai-embedder';
import { ProviderError } from '../../../../src/llm/provider';
import type { ModelRequest } from '../../../../src/protocol/model';
import { encodeGroup as encodeOrNull } from '../../../../src/sql';

/** A group as the rewriter hands it over (never null for a non-empty group). */
const encodeGroup = (values: string[]): string => encodeOrNull(values) ?? '';
import { startFakeEmbeddingsApi, type FakeEmbeddingsApi } from '../../../support/fake-embeddings-api';

const signal = () => new AbortController().signal;
/** The value of an answer's row `i` as text ('' when the row failed). */
const textOf = (answer: { rows: { ok: boolean; value?: unknown }[] }, i = 0): string => {
  const row = answer.rows[i];
  return row?.ok ? String(row.value) : '';
};

const request = (operator: string, rows: string[][], grouped = false): ModelRequest => ({
  operator,
  returns: 'VARCHAR',
  grouped,
  template: '',
  fields: ['a', 'b', 'c'],
  rows: rows.map((args, i) => ({ key: `k${i}`, args })),
  instructions: [],
  outputSchema: { type: 'string' },
  model: 'mock-embed-256',
  temperature: 0,
});

describe('the offline embedder', () => {
  test('is deterministic, unit length, and measures word overlap (stems and stopwords aside)', () => {
    const a = mockVector('Baking sourdough bread at home');
    expect(mockVector('Baking sourdough bread at home')).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
    expect(cosine(a, mockVector('I baked a sourdough loaf of bread'))).toBeGreaterThan(0.4);
    expect(Math.abs(cosine(a, mockVector('Quarterly earnings beat expectations')))).toBeLessThan(0.2);
    // Stopwords carry no meaning: a text of them alone is the zero vector.
    expect(mockVector('the and of at').every((x) => x === 0)).toBe(true);
  });

  test('puts texts about one thing in different words near each other, through the offline lexicon', () => {
    // No word in common with the criterion, but recipe and dinner are cooking, as sourdough is.
    const criterion = mockVector('the sourdough baking journey');
    const related = cosine(criterion, mockVector('A new pasta recipe for dinner tonight'));
    const unrelated = cosine(criterion, mockVector('Rebuilt the B-tree index after the migration'));
    expect(related).toBeGreaterThan(0.2);
    expect(related).toBeGreaterThan(unrelated + 0.2);
  });
});

describe('answers of the embedding operators', () => {
  test('embed gives each row its own vector, in one call for all rows', async () => {
    const calls: number[] = [];
    const base = mockEmbedder();
    const counting = { identity: base.identity, embed: (t: readonly string[], s: AbortSignal) => (calls.push(t.length), base.embed(t, s)) };
    const answer = await embeddingAnswer(request('embed', [['bread'], ['taxes']]), counting, signal());
    expect(calls).toEqual([2]);
    expect([0, 1].map((i) => (JSON.parse(textOf(answer, i)) as number[]).length)).toEqual([256, 256]);
  });

  test('RANKED BY puts the members nearest the criterion first', async () => {
    const answer = await embeddingAnswer(
      request('rank_semantic', [[encodeGroup(['tax filing', 'bread baking recipe', 'baking']), 'baking bread']], true),
      mockEmbedder(),
      signal(),
    );
    const value = JSON.parse(textOf(answer));
    expect(value.rankings.map((r: { value: string }) => r.value)[2]).toBe('tax filing');
  });

  test('MEANING clusters by shared words, deterministically, never more clusters than members', async () => {
    const group = encodeGroup(['bread baking', 'baking loaves of bread', 'tax filing', 'filing taxes']);
    const once = await embeddingAnswer(request('semantic_cluster', [[group, '2']], true), mockEmbedder(), signal());
    const twice = await embeddingAnswer(request('semantic_cluster', [[group, '2']], true), mockEmbedder(), signal());
    expect(once.rows).toEqual(twice.rows);
    const clusters = JSON.parse(textOf(once)).clusters as { members: string[] }[];
    expect(clusters.map((c) => c.members.sort())).toEqual(
      expect.arrayContaining([
        ['baking loaves of bread', 'bread baking'],
        ['filing taxes', 'tax filing'],
      ]),
    );
    const many = await embeddingAnswer(request('semantic_cluster', [[encodeGroup(['a', 'b']), '9']], true), mockEmbedder(), signal());
    expect(JSON.parse(textOf(many)).clusters.length).toBeLessThanOrEqual(2);
  });

  test('embed_batch embeds the named field of each JSON row and reports it', async () => {
    const answer = await embeddingAnswer(request('embed_batch', [['t', 'text', '[{"text":"a b"},{"text":"c"},{"other":1}]', '1']]), mockEmbedder(), signal());
    expect(JSON.parse(textOf(answer))).toMatchObject({ rows_embedded: 2, batches: 2 });
  });
});

describe('an OpenAI-compatible endpoint', () => {
  let api: FakeEmbeddingsApi | undefined;
  afterEach(async () => api?.close());

  test('sends the texts in one request with the key as a bearer token, and reads vectors by index', async () => {
    api = await startFakeEmbeddingsApi({ key: 'k-123', vector: (t) => [t.length, 1] });
    const embedder = openAiEmbedder({ provider: 'openai', baseURL: `${api.url}/v1/`, model: 'm' }, async () => 'k-123');
    const { vectors } = await embedder.embed(['ab', 'abcd'], signal());
    expect(api.requests).toEqual([{ authorization: 'Bearer k-123', model: 'm', input: ['ab', 'abcd'] }]);
    expect(cosine(vectors[0] ?? [], [2, 1])).toBeCloseTo(1, 6);
    expect(embedder.identity).toBe(`openai:${api.url}/v1|m`);
  });

  test('a rejected key is an auth error that does not repeat the key', async () => {
    api = await startFakeEmbeddingsApi({ key: 'right', vector: () => [1] });
    const error = await openAiEmbedder({ provider: 'openai', baseURL: api.url, model: 'm' }, async () => 'wrong-key')
      .embed(['x'], signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
    expect((error as ProviderError).message).not.toContain('wrong-key');
  });

  test('an unreachable endpoint is a network error naming it', async () => {
    const error = (await openAiEmbedder({ provider: 'openai', baseURL: 'http://127.0.0.1:9', model: 'm' }, async () => undefined)
      .embed(['x'], signal())
      .catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/127\.0\.0\.1:9/);
  });
});
