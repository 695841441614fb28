import { describe, expect, test } from 'vitest';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';
import { soundsLike } from '../../../../../src/llm/mock/nlp/phonetic';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();

describe('sounds_like by Double Metaphone', () => {
  test('spelling variants of a name sound alike', () => {
    for (const [a, b] of [
      ['Smith', 'Smyth'],
      ['Catherine', 'Kathryn'],
      ['Stephen', 'Steven'],
      ['Jon', 'John'],
      ['Schmidt', 'Smith'],
      ['Zoë', 'Zoe'],
    ] as const) {
      expect(soundsLike(a, b, nlp), `${a} ~ ${b}`).toBe(true);
    }
  });

  test('names match word by word, or run together when the word counts differ', () => {
    expect(soundsLike('Jon Smyth', 'John Smith', nlp)).toBe(true);
    expect(soundsLike('MacDonald', 'Mac Donald', nlp)).toBe(true);
    expect(soundsLike('John Smith', 'John Jones', nlp)).toBe(false);
  });

  test('different names and empty values do not', () => {
    expect(soundsLike('Smith', 'Jones', nlp)).toBe(false);
    expect(soundsLike('', 'Jones', nlp)).toBe(false);
  });
});
