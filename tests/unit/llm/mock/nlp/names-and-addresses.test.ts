import { describe, expect, test } from 'vitest';
import { addressParts, isAddressLike } from '../../../../../src/llm/mock/nlp/addresses';
import { entities } from '../../../../../src/llm/mock/nlp/entities';
import { loadNlp } from '../../../../../src/llm/mock/nlp/load-nlp';
import { nameParts } from '../../../../../src/llm/mock/nlp/names';

const nlp = await loadNlp();

describe('person names by parse-full-name', () => {
  test('titles, middle names, suffixes and "Last, First"', () => {
    expect(nameParts('Dr. John Michael Smith Jr.', nlp)).toEqual({
      prefix: 'Dr.',
      first: 'John',
      middle: 'Michael',
      last: 'Smith',
      suffix: 'Jr.',
      nickname: null,
      formatted: 'Dr. John Michael Smith Jr.',
    });
    expect(nameParts('Smith, Jane', nlp)).toMatchObject({ first: 'Jane', last: 'Smith', formatted: 'Jane Smith' });
  });

  test('ranks the library does not know are prefixes, not first names; shouting is fixed', () => {
    expect(nameParts('Sen. Elizabeth Warren', nlp)).toMatchObject({ prefix: 'Sen.', first: 'Elizabeth', last: 'Warren' });
    expect(nameParts('JOHN SMITH', nlp)).toMatchObject({ first: 'John', last: 'Smith' });
  });
});

describe('named entities by compromise', () => {
  test('people, places and organisations apart', () => {
    const text = 'Tim Cook met Angela Merkel in Paris to discuss Acme Corp.';
    expect(entities(text, 'people', nlp)).toEqual(['Tim Cook', 'Angela Merkel']);
    expect(entities(text, 'places', nlp)).toEqual(['Paris']);
    expect(entities(text, 'organizations', nlp)).toEqual(['Acme Corp.']);
  });
});

describe('US addresses by parse-address', () => {
  test('number, street, type, unit, city, state, ZIP', () => {
    expect(addressParts('123 Main St, Boston, MA 02101', nlp)).toEqual({
      street_number: '123',
      street_name: 'Main',
      street_type: 'St',
      unit_type: null,
      unit_number: null,
      city: 'Boston',
      state: 'MA',
      zip: '02101',
      zip_plus4: null,
      country: 'US',
      formatted: '123 Main St, Boston, MA 02101',
    });
    expect(addressParts('456 Oak Ave Apt 2B, New York NY', nlp)).toMatchObject({ unit_type: 'Apt', unit_number: '2B', city: 'New York', state: 'NY' });
  });

  test('what it cannot read keeps its text and claims no country', () => {
    expect(addressParts('somewhere over the rainbow', nlp)).toMatchObject({ street_number: null, country: null, formatted: 'somewhere over the rainbow' });
    expect(isAddressLike('542 Oak Avenue, Boston MA', nlp)).toBe(true);
    expect(isAddressLike('hello there', nlp)).toBe(false);
  });
});
