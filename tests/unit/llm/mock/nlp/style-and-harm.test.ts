import { describe, expect, test } from 'vitest';
import { formality } from '../../../../../src/llm/mock/nlp/formality';
import { loadNlp } from '../../../../../src/llm/mock/nlp/load-nlp';
import { toxicityLevel, toxicityScore } from '../../../../../src/llm/mock/nlp/toxicity';

const nlp = await loadNlp();

describe('formality', () => {
  test("LARS's examples land on their side of the scale", () => {
    expect(['very_formal', 'formal']).toContain(formality('Dear Sir or Madam, I am writing to inquire about...', nlp));
    expect(['very_informal', 'informal']).toContain(formality('hey whats up dude', nlp));
  });

  test('a plain statement is neutral', () => {
    expect(formality('We shipped the new version today.', nlp)).toBe('neutral');
    expect(formality('The meeting is at noon.', nlp)).toBe('neutral');
  });

  test('ordered: a business letter above a plain statement above chat', () => {
    const order = ['very_informal', 'informal', 'neutral', 'formal', 'very_formal'];
    const rank = (text: string) => order.indexOf(formality(text, nlp));
    const letter = rank('Please find attached the quarterly report. Kind regards, Dana');
    const plain = rank('We shipped the new version today.');
    const chat = rank("lol can't believe it, gonna grab food, u coming??");
    expect(letter).toBeGreaterThan(chat);
    expect(letter).toBeGreaterThanOrEqual(plain);
    expect(plain).toBeGreaterThan(chat);
  });
});

describe('toxicity', () => {
  test('hostility aimed at someone counts; sadness and dislike of things do not', () => {
    expect(toxicityLevel('Thank you for your help!', nlp)).toBe('Civil');
    expect(toxicityLevel('My dog died, I am so sad', nlp)).toBe('Civil');
    expect(toxicityLevel('I hate Mondays', nlp)).toBe('Civil');
    expect(toxicityLevel('Shut up you stupid fucking moron', nlp)).toBe('Severely Toxic');
    expect(toxicityScore('You are an idiot', nlp)).toBeGreaterThan(toxicityScore('This idea is idiotic', nlp));
  });

  test('levels follow the number asked for, and a focus names the harm', () => {
    expect(toxicityLevel('You are an idiot', nlp, '', 3)).toBe('Moderately Toxic');
    expect(toxicityLevel('You are an idiot', nlp, 'harassment', 5)).toBe('Moderate harassment');
    expect(toxicityLevel('Thanks!', nlp, 'hate_speech')).toBe('No hate speech');
    expect(['Civil', 'Severely Toxic']).toContain(toxicityLevel('You are an idiot', nlp, '', 2));
  });
});
