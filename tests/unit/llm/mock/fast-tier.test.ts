import { describe, expect, test } from 'vitest';
import { createMockProvider } from '../../../../src/llm/mock/mock-provider';
import { DEFAULT_MOCK_CONFIG, MOCK_FAST_MODEL } from '../../../../src/llm/provider';
import { asRequest, request, valueOf } from './helpers';
import { labelledReviews } from './labelled-reviews';

/**
 * Issue 28: the mock's fast tier answers from its lexicon alone, the standard one with its language
 * libraries as well. On 3,000 labelled UCI review sentences they agree on every row about a topic
 * and on about 82% about sentiment (measured): routing's bench (bench/cases/routing.ts) runs on
 * this split. Through the provider, as a model worker calls it.
 */

// Every third sentence (1,000): the split holds there too, in a third of the time.
const reviews = labelledReviews().filter((_, i) => i % 3 === 0);
const provider = createMockProvider({ ...DEFAULT_MOCK_CONFIG, latencyMs: 0 }, { sleep: async () => {} });
const signal = new AbortController().signal;

async function agreement(criterion: string): Promise<number> {
  let agreed = 0;
  for (const [i, r] of reviews.entries()) {
    const ask = (model: string) => provider.call(asRequest(request('matches', [r.text, criterion], 'BOOLEAN', { key: `${i}`, model })), signal).then(valueOf);
    if ((await ask('mock-1')) === (await ask(MOCK_FAST_MODEL))) agreed++;
  }
  return agreed / reviews.length;
}

describe('the mock’s fast tier', () => {
  test('agrees with the standard tier on a topic, everywhere', async () => {
    expect(await agreement('mentions food')).toBe(1);
  });

  test('disagrees with it on sentiment often enough for routing to refuse it', async () => {
    const a = await agreement('a positive review');
    expect(a).toBeGreaterThan(0.75);
    expect(a).toBeLessThan(0.9);
  });
});
