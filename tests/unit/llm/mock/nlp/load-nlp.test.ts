import { describe, expect, test } from 'vitest';
import { loadNlp, loadNlpCore, loadNlpPart, MissingNlpPart } from '../../../../../src/llm/mock/nlp/load-nlp';

// Module state is per test file in Vitest, so this file starts with nothing loaded.
describe('loading the NLP layer', () => {
  test('the heavy parts are absent until loaded, and say which part to load', async () => {
    const nlp = await loadNlpCore();
    expect(typeof nlp.vader.polarity_scores).toBe('function');
    expect(() => nlp.eld).toThrow(MissingNlpPart);
    try {
      nlp.compromise('x');
    } catch (error) {
      expect(error).toBeInstanceOf(MissingNlpPart);
      expect((error as MissingNlpPart).part).toBe('entities');
    }
    await loadNlpPart('language');
    expect(nlp.eld.detect('Bonjour tout le monde').language).toBe('fr');
  });

  test('loads once: every caller gets the same libraries', async () => {
    const [a, b] = await Promise.all([loadNlp(), loadNlp()]);
    expect(a).toBe(b);
    expect(a).toBe(await loadNlpCore());
    expect(a.compromise('Tim Cook').people().out('array')).toEqual(['Tim Cook']);
  });
});
