import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../src/cache/answer-cache';
import type { CachedAnswer, PersistentTier } from '../../../src/cache/persistent-tier';

const answer = (value: CachedAnswer['value']): CachedAnswer => ({ value, inputTokens: 1, outputTokens: 1 });

function tier(fail: { get?: Error; set?: Error } = {}) {
  const data = new Map<string, CachedAnswer>();
  const writes: number[] = [];
  const t: PersistentTier = {
    getMany: async (keys) => {
      if (fail.get) throw fail.get;
      return keys.map((k) => data.get(k));
    },
    setMany: async (entries) => {
      if (fail.set) throw fail.set;
      writes.push(entries.length);
      for (const [k, v] of entries) data.set(k, v);
    },
    clear: async () => data.clear(),
    count: async () => data.size,
  };
  return { t, data, writes };
}

describe('AnswerCache', () => {
  it('answers from memory at once and batches writes to the persistent tier', async () => {
    const { t, data, writes } = tier();
    const cache = new AnswerCache(t, { flushIntervalMs: 10_000 });
    for (let i = 0; i < 100; i++) cache.put(`k${i}`, answer(i));
    expect(cache.get('k7')?.answer.value).toBe(7);
    expect(data.size).toBe(0);
    await cache.flush();
    expect(writes).toEqual([100]);
    expect(data.size).toBe(100);
  });

  it('flushes on its own within the interval', async () => {
    const { t, data } = tier();
    const cache = new AnswerCache(t, { flushIntervalMs: 20 });
    cache.put('a', answer(true));
    await new Promise((r) => setTimeout(r, 60));
    expect(data.get('a')?.value).toBe(true);
  });

  it('loads persisted answers into memory in one batch', async () => {
    const { t, data } = tier();
    data.set('x', answer('from disk'));
    const cache = new AnswerCache(t);
    expect(cache.get('x')).toBeUndefined();
    expect([...(await cache.load(['x', 'y']))]).toEqual(['x']);
    expect(cache.get('x')?.answer.value).toBe('from disk');
  });

  it('keeps working from memory when the tier fails, and says so once', async () => {
    const warnings: string[] = [];
    const quota = new DOMException('quota exceeded', 'QuotaExceededError');
    const { t } = tier({ set: quota, get: quota });
    const cache = new AnswerCache(t, { onWarning: (m) => warnings.push(m) });
    cache.put('a', answer(1));
    await cache.flush();
    cache.put('b', answer(2));
    await cache.flush();
    await cache.load(['c']);
    expect(cache.get('a')?.answer.value).toBe(1);
    expect(cache.get('b')?.answer.value).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/QuotaExceededError.*memory/);
    expect((await cache.stats()).memoryOnly).toBe(true);
  });
});
