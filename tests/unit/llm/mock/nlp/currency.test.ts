import { describe, expect, test } from 'vitest';
import { convertCurrency, findMoney, readAmount, targetCurrency } from '../../../../../src/llm/mock/nlp/currency';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();

describe('money', () => {
  test('amounts in US, European and Swiss writing', () => {
    expect(readAmount('1,234.56')).toBe(1234.56);
    expect(readAmount('1.234,56')).toBe(1234.56);
    expect(readAmount('1 234,5')).toBe(1234.5);
    expect(readAmount("1'234.56")).toBe(1234.56);
    expect(readAmount('1,234')).toBe(1234);
    expect(readAmount('abc')).toBeUndefined();
  });

  test('finds amounts by symbol, ISO code or word, with scale words, and nothing else', () => {
    expect(findMoney('Paid $49.99, then EUR 20 and 5 dollars; 3.5 million euros later', nlp)).toEqual([
      { text: '$49.99', amount: 49.99, currency: 'USD' },
      { text: 'EUR 20', amount: 20, currency: 'EUR' },
      { text: '5 dollars', amount: 5, currency: 'USD' },
      { text: '3.5 million euros', amount: 3_500_000, currency: 'EUR' },
    ]);
    expect(findMoney('I have 3 cats and the 20 best ABC 7 days', nlp)).toEqual([]);
  });

  test('targets by code, word, symbol or country', () => {
    expect(targetCurrency('eur', nlp)).toBe('EUR');
    expect(targetCurrency('yen', nlp)).toBe('JPY');
    expect(targetCurrency('£', nlp)).toBe('GBP');
    expect(targetCurrency('Japan', nlp)).toBe('JPY');
  });

  test("converts with approximate rates, says so, and rounds to the currency's minor unit", () => {
    const c = convertCurrency('100 dollars', 'EUR', nlp);
    expect(c).toMatchObject({ original_amount: 100, original_currency: 'USD', target_currency: 'EUR', is_approximate: true });
    expect(c.converted_amount).toBeGreaterThan(85);
    expect(c.converted_amount).toBeLessThan(105);
    expect(c.formatted).toMatch(/^\d+\.\d\d EUR$/);
    expect(Number.isInteger(convertCurrency('£20', 'JPY', nlp).converted_amount)).toBe(true);
  });

  test('an amount it cannot read or a currency it has no rate for converts to null, not a guess', () => {
    expect(convertCurrency('a lot of money', 'EUR', nlp).converted_amount).toBeNull();
    expect(convertCurrency('100 dollars', 'XAU', nlp).converted_amount).toBeNull();
  });
});
