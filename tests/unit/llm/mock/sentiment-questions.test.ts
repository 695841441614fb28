import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { sentimentIntent } from '../../../../src/llm/mock/sentiment-intent';
import { request } from './helpers';

const nlp = await loadNlp();
const means = (text: string, criterion: string, instructions: string[] = []) =>
  mockAnswer(request('matches', [text, criterion], 'BOOLEAN', { instructions }), nlp);
const score = (text: string, criterion: string) => mockAnswer(request('score', [text, criterion], 'DOUBLE', { range: [0, 1] }), nlp) as number;
const classify = (text: string, labels: string) => mockAnswer(request('classify', [text, labels], 'VARCHAR'), nlp);
const ask = (text: string, question: string) => String(mockAnswer(request('ask', [text, question], 'VARCHAR'), nlp));

describe('criteria that ask for a polarity', () => {
  test('are read as polarity plus an optional topic; others are not', () => {
    expect(sentimentIntent('a positive review')).toEqual({ polarity: 1, topic: '' });
    expect(sentimentIntent('complains about a delivery')).toEqual({ polarity: -1, topic: 'about a delivery' });
    expect(sentimentIntent('the customer is unhappy')).toEqual({ polarity: -1, topic: '' });
    expect(sentimentIntent('neutral tone')).toEqual({ polarity: 0, topic: '' });
    expect(sentimentIntent('complaint')).toBeUndefined();
    expect(sentimentIntent('about databases')).toBeUndefined();
  });

  test('MEANS follows the sentiment, and the topic when one is named', () => {
    expect(means('An absolute joy from start to finish', 'a positive review')).toBe(true);
    expect(means('A dull, lifeless film', 'a positive review')).toBe(false);
    expect(means('A dull, lifeless film', 'a negative review')).toBe(true);
    expect(means('My package never arrived and support ignores me', 'complains about a delivery')).toBe(true);
    expect(means('The food was cold and bland', 'complains about a delivery')).toBe(false);
    expect(means('Delivery was fast and the courier was lovely', 'positive about the delivery')).toBe(true);
  });

  test('a text without any sentiment is neither positive nor negative, but neutral', () => {
    expect(means('The package is 30 cm wide', 'a positive review')).toBe(false);
    expect(means('The package is 30 cm wide', 'a negative review')).toBe(false);
    expect(means('The package is 30 cm wide', 'neutral')).toBe(true);
  });

  test('negation and strictness apply as to any criterion', () => {
    expect(means('I am so disappointed', 'not a negative review')).toBe(false);
    expect(means('It was fine', 'a positive review', ['be strict'])).toBe(false);
    expect(means('Best purchase I have made all year, wonderful!', 'a positive review', ['be strict'])).toBe(true);
  });

  test('ABOUT / RELEVANCE scores rank by the same polarity', () => {
    expect(score('Wonderful, I love it', 'positive')).toBeGreaterThan(score('It is ok', 'positive'));
    expect(score('It is ok', 'positive')).toBeGreaterThan(score('Awful, I hate it', 'positive'));
  });

  test('ASK yes/no questions about sentiment follow it; bare answers when the question asks for them', () => {
    expect(ask('Great product, love it', 'Is this review positive? Answer yes or no.')).toBe('Yes');
    expect(ask('Great product, love it', 'Based on the review, is the customer unhappy?')).toMatch(/^No/);
    expect(ask('Works great, would buy again', 'Does the customer recommend the product?')).toMatch(/^Yes/);
  });
});

describe('labels on a sentiment scale', () => {
  test('two labels: the sign decides', () => {
    expect(classify('Loved every minute', 'positive,negative')).toBe('positive');
    expect(classify('Waste of money', 'positive,negative')).toBe('negative');
    expect(classify('meh', 'good,bad')).toBe('bad');
  });

  test('a neutral label takes the texts without a clear lean', () => {
    expect(classify('The store opens at nine', 'Positive, Neutral, Negative')).toBe('Neutral');
    expect(classify('Loved every minute', 'Positive, Neutral, Negative')).toBe('Positive');
  });

  test('graded scales pick by strength', () => {
    const scale = 'Very Negative,Negative,Neutral,Positive,Very Positive';
    expect(classify('This is the best, most wonderful, amazing thing ever!!!', scale)).toBe('Very Positive');
    expect(classify('Pretty good overall', scale)).toBe('Positive');
    expect(classify('Horrible, disgusting, the worst experience of my life', scale)).toBe('Very Negative');
  });

  test('labels that are not all on the scale go by topic', () => {
    expect(classify('The app crashes when I open settings', 'bug, feature, positive')).toBe('bug');
  });
});
