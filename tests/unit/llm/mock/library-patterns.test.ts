import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { request } from './helpers';

const nlp = await loadNlp();
const extract = (text: string, what: string) => mockAnswer(request('extracts', [text, what], 'VARCHAR'), nlp);
const valid = (text: string, kind: string) => mockAnswer(request('valid', [text, kind], 'BOOLEAN'), nlp);
const ask = (text: string, question: string) => String(mockAnswer(request('ask', [text, question], 'VARCHAR'), nlp));

describe('EXTRACTS with the libraries', () => {
  test('phones, dates, times and money as written', () => {
    expect(extract('Call me at (415) 555-0132 or +44 20 7946 0958', 'phone numbers')).toBe('(415) 555-0132, +44 20 7946 0958');
    expect(extract('Order #4821 arrived on Jan 5, two days late', 'the date')).toBe('Jan 5');
    expect(extract('See you tomorrow at 5pm', 'the time')).toBe('tomorrow at 5pm');
    expect(extract('Acme paid EUR 20 and 5 dollars', 'the amounts')).toBe('EUR 20, 5 dollars');
  });

  test('people, places and companies apart', () => {
    const text = 'Tim Cook met Angela Merkel in Paris to discuss Acme Corp.';
    expect(extract(text, 'the people')).toBe('Tim Cook, Angela Merkel');
    expect(extract(text, 'the city')).toBe('Paris');
    expect(extract(text, 'the company')).toBe('Acme Corp.');
    expect(extract('We met at the office', 'the city')).toBeNull();
  });

  test('the language by name', () => {
    expect(extract('Hallo, wie geht es dir heute?', 'language')).toBe('German');
  });
});

describe('IS VALID with the libraries', () => {
  test('phones must exist in their numbering plan, dates on the calendar', () => {
    expect(valid('+1 415 555 0132', 'phone number')).toBe(true);
    expect(valid('(555) 123-4567', 'phone number')).toBe(false);
    expect(valid('March 15th, 2024', 'date')).toBe(true);
    expect(valid('February 29, 2023', 'date')).toBe(false);
    expect(valid('2024-02-29', 'date')).toBe(true);
  });
});

describe('ASK with the libraries', () => {
  test('who, where and when come from the entity and date parsers', () => {
    expect(ask('Yesterday Angela Merkel visited Paris', 'who is this about?')).toBe('Angela Merkel');
    expect(ask('Yesterday Angela Merkel visited Paris', 'where did she go?')).toBe('Paris');
    expect(ask('Paid $49.99 on March 3rd', 'when was it paid?')).toBe('March 3rd');
  });
});
