import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import type { MockQuestion as ModelRequest } from '../../../../src/llm/mock/question';
import { encodeGroup } from '../../../../src/sql/group-encoding';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { request } from './helpers';

const COMPLAINTS = [
  'My order arrived broken, I want a refund',
  'Worst support ever, still waiting for a reply',
  'The app crashes on launch. Terrible.',
  'Charged twice and no refund yet. Unacceptable.',
];
const PRAISE = ['Loving the new release, great work', 'DuckDB is so fast, amazing tool'];
const OFF_TOPIC = 'Made sourdough bread today, the kitchen smells lovely';

const jsonArray = (value: unknown): string[] => {
  const parsed: unknown = JSON.parse(String(value));
  if (!Array.isArray(parsed)) throw new Error(`not an array: ${String(value)}`);
  return parsed.map(String);
};

// The workers answer with the NLP libraries loaded; code without them gets the lexicon fallback.
// Both must keep these behaviours.
const MODES = [
  ['with the NLP libraries', await loadNlp()],
  ['with the lexicon fallback', undefined],
] as const;

describe.each(MODES)('%s', (_mode, nlp) => {
  const answer = (r: ModelRequest) => mockAnswer(r, nlp);

  /** An aggregate request over these values, encoded the way the rewritten SQL encodes a group. */
  function agg(operator: string, values: string[], extra: string[] = [], returns: 'VARCHAR' | 'DOUBLE' = 'VARCHAR') {
    const encoded = encodeGroup(values);
    if (encoded === null) throw new Error('empty group');
    const range: [number, number] | undefined = returns === 'DOUBLE' ? [-1, 1] : undefined;
    return answer(request(operator, [encoded, ...extra], returns, range === undefined ? { grouped: true } : { grouped: true, range }));
  }

  describe('aggregates over encoded groups', () => {
    test('summarize names the main concept, the count and the tone', () => {
      const summary = String(agg('summarize', COMPLAINTS));
      expect(summary).toContain('4 texts');
      expect(summary).toMatch(/product complaints/i);
      expect(summary).toMatch(/negative/);
    });

    test('values containing the separator characters survive the encoding', () => {
      const tricky = ['first \u001e value', 'second \u001b value'];
      expect(jsonArray(agg('dedupe', tricky)).sort()).toEqual([...tricky].sort());
    });

    test('themes proposes at most n labels, the most common first', () => {
      const labels = jsonArray(agg('themes', [...COMPLAINTS, ...PRAISE, OFF_TOPIC], ['2']));
      expect(labels.length).toBeLessThanOrEqual(2);
      expect(labels[0]).toBe('Product complaints');
    });

    test('topics covers the group, with "Other" for what the top labels miss, and topic_label maps rows back', () => {
      const values = [...COMPLAINTS, ...PRAISE, OFF_TOPIC];
      const labelsJson = String(agg('topics', values, ['3']));
      const labels = jsonArray(labelsJson);
      expect(labels.length).toBeLessThanOrEqual(3);
      expect(labels).toContain('Other');
      for (const value of values) {
        expect(labels).toContain(answer(request('topic_label', [value, labelsJson], 'VARCHAR')));
      }
      expect(answer(request('topic_label', [COMPLAINTS[0] ?? '', labelsJson], 'VARCHAR'))).toBe('Product complaints');
    });

    test('consensus reports what most texts are about', () => {
      expect(String(agg('consensus', COMPLAINTS))).toMatch(/Most of the texts \(4 of 4\).*product complaints/);
    });

    test('dedupe drops repeats that differ only in case and punctuation', () => {
      const kept = jsonArray(agg('dedupe', ['Great game tonight!', 'great game tonight', OFF_TOPIC]));
      expect(kept).toHaveLength(2);
    });

    test('outliers picks the off-topic value, at most n and at most a quarter of the group', () => {
      const values = [...COMPLAINTS, 'Broken again, refund please', 'Terrible support, still waiting', OFF_TOPIC, 'Slow and buggy app'];
      const found = jsonArray(agg('outliers', values, ['1']));
      expect(found).toEqual([OFF_TOPIC]);
      expect(jsonArray(agg('outliers', values, ['10'])).length).toBeLessThanOrEqual(2);
      expect(jsonArray(agg('outliers', ['a', 'b'], ['3']))).toEqual([]);
    });

    test('classify_agg returns the most common label; sentiment_agg the mean', () => {
      expect(agg('classify_agg', [...COMPLAINTS, ...PRAISE], ['praise,complaint,question'])).toBe('complaint');
      const mean = agg('sentiment_agg', [...COMPLAINTS, ...PRAISE], [], 'DOUBLE') as number;
      expect(mean).toBeLessThan(0);
      expect(mean).toBeGreaterThanOrEqual(-1);
      expect(agg('sentiment_agg', PRAISE, [], 'DOUBLE') as number).toBeGreaterThan(0.3);
    });

    test('the same group gives the same answer', () => {
      for (const op of ['summarize', 'themes', 'topics', 'consensus', 'dedupe', 'outliers']) {
        expect(agg(op, [...COMPLAINTS, OFF_TOPIC])).toBe(agg(op, [...COMPLAINTS, OFF_TOPIC]));
      }
    });
  });
});
