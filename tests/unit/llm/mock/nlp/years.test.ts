import { describe, expect, test } from 'vitest';
import { loadNlp } from '../../../../../src/llm/mock/nlp/load-nlp';
import { cleanYear } from '../../../../../src/llm/mock/nlp/years';

const nlp = await loadNlp();

describe('clean_year', () => {
  test.each([
    ['FY2023', 2023],
    ['circa 1990', 1990],
    ['1990-1995', 1990],
    ["the '90s", 1990],
    ['class of 05', 2005],
    ['3/5/21', 2021],
    ['nineteen eighty-four', 1984],
    ['two thousand and five', 2005],
    ['the nineties', 1990],
    ['no idea', -1],
    ['', -1],
  ])('%s → %i', (text, year) => {
    expect(cleanYear(text, nlp)).toBe(year);
  });
});
