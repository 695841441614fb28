import { describe, expect, it } from 'vitest';
import { cascadeDataset, CASCADE_CRITERION } from '../../../../bench/cases/cascade-data';
import { matches } from '../../../../src/llm/mock/judgements';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';

const nlp = await loadNlp();

describe('cascadeDataset (bench case cascade, second dataset)', () => {
  const rows = cascadeDataset({ rows: 3000, seed: 1 });

  it('is the same for a seed and another for another seed', () => {
    expect(cascadeDataset({ rows: 3000, seed: 1 })).toEqual(rows);
    expect(cascadeDataset({ rows: 3000, seed: 2 }).map((r) => r.text)).not.toEqual(rows.map((r) => r.text));
  });

  it('makes distinct texts, numbered from 1, with the asked shares of clear rows and positives', () => {
    expect(new Set(rows.map((r) => r.text)).size).toBe(3000);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => r.clear)).toBeCloseTo(0.85, 1);
    expect(share((r) => r.gold)).toBeCloseTo(0.3, 1);
    const mixed = cascadeDataset({ rows: 3000, seed: 1, clearShare: 0.5, positiveShare: 0.5 });
    expect(mixed.filter((r) => r.clear).length / 3000).toBeCloseTo(0.5, 1);
    expect(mixed.filter((r) => r.gold).length / 3000).toBeCloseTo(0.5, 1);
  });

  it('writes clear rows the offline model judges as their gold label, and ambiguous ones it does not always', () => {
    const agree = (subset: typeof rows) => subset.filter((r) => matches(r.text, CASCADE_CRITERION, 0.5, nlp) === r.gold).length / subset.length;
    expect(agree(rows.filter((r) => r.clear))).toBeGreaterThanOrEqual(0.99);
    expect(agree(rows.filter((r) => !r.clear))).toBeLessThan(0.9);
  });
});
