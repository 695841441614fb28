import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../src/cache/answer-cache';
import { cacheKey } from '../../../src/engine/cache-key';
import { QueryRun } from '../../../src/engine/query-run';
import { semanticBatchFunction } from '../../../src/engine/semantic-udf';
import { BUILTIN_OPERATORS, type OperatorDef } from '../../../src/sql';

const matches = BUILTIN_OPERATORS.find((o) => o.name === 'matches') as OperatorDef;

function setup(answers: Record<string, boolean | null>) {
  const cache = new AnswerCache(null);
  const run = new QueryRun('q', { provider: 'mock', model: 'm', temperature: 0, instructions: [] }, 'on', cache);
  for (const [pair, value] of Object.entries(answers)) {
    const [text, criterion] = pair.split('|') as [string, string];
    cache.put(cacheKey(run.prefix(matches), [text, criterion]), { value, inputTokens: 0, outputTokens: 0 });
  }
  run.beginPass();
  return { run, fn: semanticBatchFunction(matches, () => run) };
}

describe('semanticBatchFunction', () => {
  it('answers repeated values with a constant criterion, NULL answers and NULL inputs included', () => {
    const { run, fn } = setup({ 'a|x': true, 'b|x': null });
    const out = fn(
      [
        ['a', 'b', 'a', null, 'b', 'c'],
        ['x', 'x', 'x', 'x', 'x', 'x'],
      ],
      6,
    );
    expect(out).toEqual([true, null, true, null, null, null]);
    expect(run.misses.map((m) => m.key)).toEqual([cacheKey(run.prefix(matches), ['c', 'x'])]);
    expect(run.cachedCount()).toBe(2);
  });

  it('keeps rows apart when the criterion varies within the chunk', () => {
    const { fn } = setup({ 'a|x': true, 'a|y': false });
    expect(
      fn(
        [
          ['a', 'a', 'a'],
          ['x', 'y', 'x'],
        ],
        3,
      ),
    ).toEqual([true, false, true]);
    // The same text under another criterion in a later chunk is not answered from the first's memo.
    expect(
      fn(
        [
          ['a', 'a'],
          ['y', 'y'],
        ],
        2,
      ),
    ).toEqual([false, false]);
  });
});
