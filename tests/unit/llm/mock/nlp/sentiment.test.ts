import { describe, expect, test } from 'vitest';
import { explicitRating } from '../../../../../src/llm/mock/nlp/explicit-rating';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';
import { sentimentScore } from '../../../../../src/llm/mock/nlp/sentiment';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();

describe('explicit ratings', () => {
  test('read fractions of 10 or 5, "out of", and stars, as a share of the scale', () => {
    expect(explicitRating('Solid film, 8/10')).toBe(0.8);
    expect(explicitRating('I give it 3 out of 5')).toBe(0.6);
    expect(explicitRating('two stars, would not return')).toBe(0.4);
    expect(explicitRating('4.5 stars')).toBe(0.9);
  });

  test('the last rating wins, impossible ones and plain numbers do not count', () => {
    expect(explicitRating('The first was 9/10, this one 3/10')).toBe(0.3);
    expect(explicitRating('12/10 would buy again')).toBeUndefined();
    expect(explicitRating('Bought 3 of them for 10 dollars')).toBeUndefined();
  });
});

describe('sentimentScore', () => {
  test('is signed, in [-1, 1], and exactly 0 for a text without sentiment', () => {
    expect(sentimentScore('Absolutely wonderful, I love it!', nlp)).toBeGreaterThan(0.5);
    expect(sentimentScore('Terrible. Broke after one day and support was rude.', nlp)).toBeLessThan(-0.3);
    expect(sentimentScore('The meeting is at noon', nlp)).toBe(0);
    expect(sentimentScore('', nlp)).toBe(0);
  });

  test('a stated rating decides over the words', () => {
    expect(sentimentScore('Awful pacing and a terrible ending, but 8/10 for the acting', nlp)).toBeGreaterThan(0);
    expect(sentimentScore('Lovely packaging. 1 star.', nlp)).toBeLessThan(0);
  });

  test('takes the lexicons\' positive lean off, so a faint "ok" is not positive', () => {
    expect(sentimentScore('It is ok', nlp)).toBeLessThanOrEqual(0.2);
  });

  test('keeps the sign of a small lean through rounding, and gives the same score every time', () => {
    for (const text of ['Not bad, not great.', 'It works, I guess.', 'Fine.']) {
      const s = sentimentScore(text, nlp);
      expect(Math.abs(s) === 0 || Math.abs(s) >= 0.01).toBe(true);
      expect(sentimentScore(text, nlp)).toBe(s);
    }
  });
});
