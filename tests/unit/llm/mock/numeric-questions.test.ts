import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { scaleOf } from '../../../../src/llm/mock/numeric-questions';
import { request } from './helpers';

const nlp = await loadNlp();
const ask = (text: string, question: string) => String(mockAnswer(request('ask', [text, question], 'VARCHAR'), nlp));
const ONE_TO_FIVE = 'On a scale from 1 to 5, how positive is this review? Answer with one digit.';

describe('questions that want a number', () => {
  test('scales are read in their usual spellings', () => {
    expect(scaleOf(ONE_TO_FIVE)).toEqual({ lo: 1, hi: 5, integer: true });
    expect(scaleOf('Rate from 1 (very bad) to 10 (excellent)')).toEqual({ lo: 1, hi: 10, integer: true });
    expect(scaleOf('on a 0-100 scale, how urgent is it?')).toEqual({ lo: 0, hi: 100, integer: true });
    expect(scaleOf('How likely, between 0 and 1?')).toEqual({ lo: 0, hi: 1, integer: false });
    expect(scaleOf('Give it a score out of 10')).toEqual({ lo: 1, hi: 10, integer: true });
    expect(scaleOf('Answer with one digit.')).toEqual({ lo: 1, hi: 9, integer: true });
    expect(scaleOf('who wrote this?')).toBeUndefined();
  });

  test('a 1-to-5 question gets one digit, higher for happier texts (the issue: it got "8217")', () => {
    const glowing = Number(ask('Absolutely wonderful, the best I have owned', ONE_TO_FIVE));
    const flat = Number(ask('It arrived on Tuesday', ONE_TO_FIVE));
    const angry = Number(ask('Terrible quality, broke in a day, avoid', ONE_TO_FIVE));
    expect(glowing).toBe(5);
    expect(angry).toBeLessThan(flat);
    expect(flat).toBeLessThan(glowing);
    expect(ask('Solid phone. 4 stars', 'How many stars would this reviewer give, from 1 to 5?')).toBe('4');
  });

  test('a question about the negative side runs the other way', () => {
    expect(Number(ask('Terrible service, never again', 'How negative is this, from 0 to 10?'))).toBeGreaterThan(5);
  });

  test('any text gets a digit in range', () => {
    fc.assert(
      fc.property(fc.string(), (text) => text.trim() === '' || /^[1-5]$/.test(ask(text, ONE_TO_FIVE))),
      { numRuns: 300 },
    );
  });

  test('"how many" gets a count: the number written next to the thing, else how often it occurs', () => {
    expect(ask('I have 3 cats and 2 dogs', 'How many cats does the author have?')).toBe('3');
    expect(ask('One bug in login, another bug in export', 'How many bugs are mentioned?')).toBe('2');
    expect(ask('Just a plain sentence here', 'How many words are there?')).toBe('5');
    expect(ask('Tim Cook met Angela Merkel', 'How many people are named?')).toBe('2');
    expect(ask('Nothing about pets', 'How many dogs?')).toBe('0');
  });
});
