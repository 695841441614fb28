import { describe, expect, test } from 'vitest';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';
import { countryCode, findPhones, isPhone, phoneParts } from '../../../../../src/llm/mock/nlp/phones';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();

describe('phones by libphonenumber-js', () => {
  test('a valid phone exists in its country: numbering-plan checks a pattern cannot make', () => {
    expect(isPhone('+1 415 555 0132', nlp)).toBe(true);
    expect(isPhone('(415) 555-0132', nlp)).toBe(true);
    expect(isPhone('+44 20 7946 0958', nlp)).toBe(true);
    expect(isPhone('+33 1 23 45 67 89', nlp)).toBe(true);
    expect(isPhone('555-1234', nlp)).toBe(false);
    expect(isPhone('(555) 123-4567', nlp)).toBe(false);
    expect(isPhone('call me maybe', nlp)).toBe(false);
  });

  test('national numbers are read for the country given, US by default', () => {
    expect(isPhone('020 7946 0958', nlp)).toBe(false);
    expect(isPhone('020 7946 0958', nlp, countryCode('gb', nlp))).toBe(true);
    expect(countryCode('Narnia', nlp)).toBe('US');
  });

  test('finds the numbers in a text as written', () => {
    expect(findPhones('Call me at (415) 555-0132 or +44 20 7946 0958 tomorrow', nlp)).toEqual(['(415) 555-0132', '+44 20 7946 0958']);
  });

  test('parts: NANP area code, exchange and subscriber; E.164 and the formats; validity', () => {
    const p = phoneParts('Call me at (555) 123-4567', nlp);
    expect(p).toMatchObject({ country_code: '1', area_code: '555', exchange: '123', subscriber: '4567', e164: '+15551234567', is_valid: false });
    expect(phoneParts('+44 20 7946 0958', nlp)).toMatchObject({ country_code: '44', area_code: null, national: '020 7946 0958', is_valid: true });
    expect(phoneParts('no digits here', nlp)).toMatchObject({ e164: null, is_valid: false, digits: '' });
  });
});
