import { describe, expect, it, vi } from 'vitest';
import { AnswerCache } from '../../../src/cache/answer-cache';
import type { CachedAnswer } from '../../../src/cache/persistent-tier';
import { memoryTier } from '../../support/memory-tier';

const answer = (value: CachedAnswer['value']): CachedAnswer => ({ value, inputTokens: 1, outputTokens: 1 });

describe('AnswerCache', () => {
  it('answers from memory at once and batches writes to the persistent tier', async () => {
    const { tier: t, data, requests } = memoryTier();
    const cache = new AnswerCache(t, { flushIntervalMs: 10_000 });
    for (let i = 0; i < 100; i++) cache.put(`k${i}`, answer(i));
    expect(cache.get('k7')?.answer.value).toBe(7);
    expect(data.size).toBe(0);
    await cache.flush();
    expect(requests.writes).toEqual([100]);
    expect(data.size).toBe(100);
  });

  it('flushes on its own within the interval', async () => {
    const { tier: t, data } = memoryTier();
    const cache = new AnswerCache(t, { flushIntervalMs: 20 });
    cache.put('a', answer(true));
    // Nothing but the cache's own timer writes it (no flush call here).
    await vi.waitFor(() => expect(data.get('a')?.value).toBe(true), { timeout: 10_000 });
  });

  it('loads persisted answers into memory in one batch', async () => {
    const { tier: t, data } = memoryTier();
    data.set('x', answer('from disk'));
    const cache = new AnswerCache(t);
    expect(cache.get('x')).toBeUndefined();
    expect([
      ...(await cache.load([
        { key: 'x', prefix: '' },
        { key: 'y', prefix: '' },
      ])),
    ]).toEqual(['x']);
    expect(cache.get('x')?.answer.value).toBe('from disk');
  });

  it('reads a large group of keys as one prefix range instead of key by key', async () => {
    const { tier: t, data, requests } = memoryTier();
    for (let i = 0; i < 2000; i++) data.set(`op|${i}`, answer(i));
    data.set('other|1', answer('x'));
    const cache = new AnswerCache(t);
    const wanted = Array.from({ length: 5000 }, (_, i) => ({ key: `op|${i}`, prefix: 'op|' }));
    const found = await cache.load([...wanted, { key: 'other|1', prefix: 'other|' }]);
    expect(found.size).toBe(2001);
    expect(requests.prefix).toBe(1);
    expect(requests.get).toBe(1);
    expect(cache.get('op|1999')?.answer.value).toBe(1999);
  });

  it('keeps working from memory when the tier fails, and says so once', async () => {
    const warnings: string[] = [];
    const quota = new DOMException('quota exceeded', 'QuotaExceededError');
    const { tier: t } = memoryTier({ set: quota, get: quota });
    const cache = new AnswerCache(t, { onWarning: (m) => warnings.push(m) });
    cache.put('a', answer(1));
    await cache.flush();
    cache.put('b', answer(2));
    await cache.flush();
    await cache.load([{ key: 'c', prefix: '' }]);
    expect(cache.get('a')?.answer.value).toBe(1);
    expect(cache.get('b')?.answer.value).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/QuotaExceededError.*memory/);
    expect((await cache.stats()).memoryOnly).toBe(true);
  });
});
