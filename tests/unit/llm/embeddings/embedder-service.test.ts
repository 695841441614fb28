import { describe, expect, it } from 'vitest';
import { createEmbedderService } from '../../../../src/llm/embeddings/embedder-service';
import type { UseLite } from '../../../../src/llm/embeddings/use-lite';
import type { EmbedderStatus } from '../../../../src/protocol/embedder';

/**
 * The embeddings worker's service with a stand-in model: a text's vector is [its length, 1], its
 * tokens are its words. The batches it ran are recorded.
 */
function fakeModel(runs: string[][]): UseLite {
  return {
    dimensions: 2,
    tokenize: (text) =>
      text
        .split(' ')
        .filter(Boolean)
        .map((_, i) => i),
    memoryBytes: () => 1_000,
    async embed(texts) {
      runs.push([...texts]);
      return Float32Array.from(texts.flatMap((t) => [t.length, 1]));
    },
  };
}

describe('the embeddings worker service', () => {
  it('loads once, on the first text, reporting progress, and answers vectors in the order of the texts', async () => {
    const runs: string[][] = [];
    const seen: EmbedderStatus[] = [];
    let loads = 0;
    const service = createEmbedderService(async (url, progress) => {
      loads++;
      expect(url).toBe('https://app.example/models/');
      progress(10, 20);
      progress(20, 20);
      return fakeModel(runs);
    });
    await service.watch((s) => seen.push(s));
    await service.init('https://app.example/models/');
    expect((await service.status()).state).toBe('idle');
    const [a, b] = await Promise.all([service.embed(['three word text', 'a', 'two words']), service.embed(['xyz'])]);
    expect(loads).toBe(1);
    expect(a.ok && [...a.vectors]).toEqual([15, 1, 1, 1, 9, 1]);
    expect(b.ok && [...b.vectors]).toEqual([3, 1]);
    expect(a.ok && a.tokens).toBe(6);
    expect(seen.map((s) => s.state)).toEqual(['idle', 'loading', 'loading', 'loading', 'ready']);
    expect(seen.at(-1)).toMatchObject({ loadedBytes: 20, totalBytes: 20, error: null });
    // Texts of both requests share runs; within a request, shorter texts go first.
    expect(runs.flat()).toHaveLength(4);
    expect(runs[0]?.slice(0, 3)).toEqual(['a', 'two words', 'three word text']);
  });

  it('bounds a batch by its texts and by its padded tokens', async () => {
    const runs: string[][] = [];
    const service = createEmbedderService(async () => fakeModel(runs));
    await service.init('u');
    await service.embed(Array.from({ length: 300 }, (_, i) => `t${i}`));
    expect(runs.map((r) => r.length)).toEqual([128, 128, 44]);
    runs.length = 0;
    // 1,000-word texts: 8 of them fill the token budget (8 × 1,000 ≤ 8,192 < 9 × 1,000).
    await service.embed(Array.from({ length: 20 }, () => 'w '.repeat(1_000)));
    expect(runs.map((r) => r.length)).toEqual([8, 8, 4]);
  });

  it('reports a failed load as an error value, and tries again at the next text', async () => {
    let attempt = 0;
    const service = createEmbedderService(async () => {
      if (++attempt === 1) throw new Error('could not fetch model.json (HTTP 404)');
      return fakeModel([]);
    });
    await service.init('u');
    const failed = await service.embed(['x']);
    expect(failed).toEqual({
      ok: false,
      error: { kind: 'bad_request', message: 'the on-device embedding model could not load: could not fetch model.json (HTTP 404)' },
    });
    expect(await service.status()).toMatchObject({ state: 'failed', error: 'could not fetch model.json (HTTP 404)' });
    expect((await service.embed(['x'])).ok).toBe(true);
    expect((await service.status()).state).toBe('ready');
  });

  it('fails a request whose batch the model failed on, and goes on with the next', async () => {
    const model = fakeModel([]);
    const service = createEmbedderService(async () => ({
      ...model,
      embed: async (texts) => (texts.includes('boom') ? Promise.reject(new Error('out of memory')) : model.embed(texts)),
    }));
    await service.init('u');
    const bad = await service.embed(['fine', 'boom']);
    expect(bad).toEqual({ ok: false, error: { kind: 'server', message: 'the on-device embedding model failed: out of memory' } });
    const later = await service.embed(['fine']);
    expect(later.ok && [...later.vectors]).toEqual([4, 1]);
  });
});
