import { describe, expect, test } from 'vitest';
import { detectLanguage } from '../../../../../src/llm/mock/language';
import { languageName, languageOf } from '../../../../../src/llm/mock/nlp/language-id';
import { loadNlp } from '../../../../../src/llm/mock/nlp/load-nlp';

const nlp = await loadNlp();
const lang = (text: string) => languageOf(text, nlp, detectLanguage);

describe('language identification by eld', () => {
  test("LARS's examples: English, French, Spanish; and German, Italian, Portuguese", () => {
    expect(lang('Hello, how are you today?')).toBe('en');
    expect(lang('Bonjour, comment allez-vous?')).toBe('fr');
    expect(lang('Hola, como estas?')).toBe('es');
    expect(lang('Das ist sehr gut und ich bin heute hier')).toBe('de');
    expect(lang('Ciao bella, come stai oggi?')).toBe('it');
    expect(lang('Obrigado pela ajuda')).toBe('pt');
  });

  test('special answers for numbers, program text and nothing at all', () => {
    expect(lang('12 345,6')).toBe('numeric');
    expect(lang('SELECT * FROM t;')).toBe('code');
    expect(lang('const x = () => { return 1; };')).toBe('code');
    expect(lang(' ... ')).toBe('unknown');
  });

  test('too little text for eld falls back to the marker words', () => {
    expect(lang('ok')).toBe('en');
  });

  test('codes become English names', () => {
    expect(languageName('fr')).toBe('French');
    expect(languageName('nl')).toBe('Dutch');
  });
});
