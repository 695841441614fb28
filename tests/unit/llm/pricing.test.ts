import { describe, expect, it } from 'vitest';
import { costUsd } from '../../../src/llm/pricing';

const TABLE = {
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  custom: { inputPerMTok: 2, outputPerMTok: 4, cacheWritePerMTok: 3, cacheReadPerMTok: 0.5 },
};

describe('cost per request (issue 16)', () => {
  it('prices plain input and output', () => {
    expect(costUsd('claude-haiku-4-5', { inputTokens: 1_000_000, outputTokens: 100_000 }, TABLE)).toBeCloseTo(1 + 0.5, 10);
  });

  it('prices prompt-cache writes at 1.25× and reads at 0.1× of input, unless the table says otherwise', () => {
    // 1M input tokens of which 400k written to the cache and 500k read from it: 100k plain.
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheWriteTokens: 400_000, cacheReadTokens: 500_000 };
    expect(costUsd('claude-haiku-4-5', usage, TABLE)).toBeCloseTo(0.1 + 0.4 * 1.25 + 0.5 * 0.1, 10);
    expect(costUsd('custom', usage, TABLE)).toBeCloseTo(0.1 * 2 + 0.4 * 3 + 0.5 * 0.5, 10);
  });

  it('halves everything for a Message Batches request', () => {
    expect(costUsd('claude-haiku-4-5', { inputTokens: 2_000_000, outputTokens: 200_000 }, TABLE, { batch: true })).toBeCloseTo((2 + 1) / 2, 10);
  });

  it('matches a model by prefix, and prices an unknown model at 0 rather than guessing', () => {
    expect(costUsd('claude-haiku-4-5-20251001', { inputTokens: 1_000_000, outputTokens: 0 }, TABLE)).toBeCloseTo(1, 10);
    expect(costUsd('some-other-model', { inputTokens: 1_000_000, outputTokens: 1 }, TABLE)).toBe(0);
  });
});
