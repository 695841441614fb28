import { describe, expect, it } from 'vitest';
import { runPool, type CallOutcome, type ModelCaller } from '../../../src/engine/model-pool';
import { ProviderError, type ModelRequest } from '../../../src/llm/provider';
import { DEFAULT_RETRY } from '../../../src/llm/retry';

const request = (key: string): ModelRequest => ({
  key, operator: 'ask', returns: 'VARCHAR', args: [key], grouped: false, prompt: key, instructions: [], outputSchema: {}, model: 'm', temperature: 0,
});

describe('runPool', () => {
  it('does not hold a lane while a request waits out its backoff', async () => {
    const starts: string[] = [];
    let flakyTries = 0;
    const caller: ModelCaller = {
      async call(r) {
        starts.push(r.key);
        if (r.key === 'flaky' && ++flakyTries === 1) throw new ProviderError({ kind: 'server', status: 500, message: '500', retryAfterMs: 150 });
        await new Promise((done) => setTimeout(done, 40));
        return { value: r.key, inputTokens: 1, outputTokens: 1 };
      },
    };
    const settled: CallOutcome[] = [];
    await runPool(['flaky', 'a', 'b', 'c', 'd', 'e', 'f'].map(request), caller, { parallel: 2, retry: DEFAULT_RETRY, signal: new AbortController().signal, onSettled: (o) => settled.push(o) });
    // Both lanes work through a to f (three rounds of 40 ms) while 'flaky' waits 150 ms for its
    // retry; a lane that held it would have left one lane for a, b and c before the retry.
    expect(starts).toEqual(['flaky', 'a', 'b', 'c', 'd', 'e', 'f', 'flaky']);
    expect(settled.find((o) => o.request.key === 'flaky')).toMatchObject({ status: 'ok', attempts: 2 });
    expect(settled).toHaveLength(7);
  });

  it('settles a request cancelled during its backoff once, as cancelled', async () => {
    const controller = new AbortController();
    const caller: ModelCaller = {
      async call() {
        throw new ProviderError({ kind: 'rate_limit', status: 429, message: '429', retryAfterMs: 30_000 });
      },
    };
    const settled: CallOutcome[] = [];
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await runPool([request('x')], caller, { parallel: 4, retry: DEFAULT_RETRY, signal: controller.signal, onSettled: (o) => settled.push(o) });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(settled).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 1 })]);
  });
});
