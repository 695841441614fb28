import { describe, expect, it } from 'vitest';
import { sampleAuc, shownUseful } from '../../../../src/engine/cascade';

const draws = (positives: number[], negatives: number[]) => [
  ...positives.map((score) => ({ score, positive: true })),
  ...negatives.map((score) => ({ score, positive: false })),
];

describe('sampleAuc', () => {
  it('is 1 when every positive outranks every negative, 0 when reversed, and counts ties half', () => {
    expect(sampleAuc(draws([0.9, 0.8], [0.1, 0.2, 0.3]))?.auc).toBe(1);
    expect(sampleAuc(draws([0.1], [0.5, 0.6]))?.auc).toBe(0);
    expect(sampleAuc(draws([0.5, 0.9], [0.5, 0.1]))?.auc).toBe((1 + 1 + 0.5 + 1) / 4);
  });

  it('is null without a positive or without a negative', () => {
    expect(sampleAuc(draws([0.2, 0.3], []))).toBeNull();
    expect(sampleAuc(draws([], [0.2]))).toBeNull();
  });

  it('measures its distance from chance in null standard deviations', () => {
    // 10 positives above 10 negatives: U = 100, mean 50, sd √(100·21/12) ≈ 13.23.
    const separated = sampleAuc(
      draws(
        Array.from({ length: 10 }, (_, i) => 1 + i),
        Array.from({ length: 10 }, (_, i) => -i),
      ),
    );
    expect(separated?.z).toBeCloseTo(50 / Math.sqrt(175), 10);
  });
});

describe('shownUseful', () => {
  it('needs both the AUC floor and a clear distance from chance', () => {
    expect(shownUseful({ auc: 0.9, z: 5 }, 0.65)).toBe(true);
    expect(shownUseful({ auc: 0.6, z: 8 }, 0.65)).toBe(false);
    expect(shownUseful({ auc: 0.8, z: 2 }, 0.65)).toBe(false);
    expect(shownUseful(null, 0.65)).toBe(false);
  });
});
