import { describe, expect, it } from 'vitest';
import { expectedCalls, expectedDistinct, planCascade, resolveCascadeOptions, sampleSize } from '../../../../src/engine/cascade';

const loose = resolveCascadeOptions({ targets: { recall: 0.9, precision: 0.9 }, delta: 0.1 });
const strict = resolveCascadeOptions({ targets: { recall: 0.95, precision: 0.95 } });

describe('sampleSize', () => {
  it('draws twice the fewest positives the recall test can pass with, over the share of positives', () => {
    // recall 0.9 at α = 0.05 passes with 29 positives and no miss: 58/π̂.
    expect(sampleSize(20_000, 0.2, loose)).toBe(290);
    expect(sampleSize(20_000, 0.05, loose)).toBe(1160);
    // 0.95 at α = 0.025 needs 72: 144/π̂ (the precision side asks 1.5 × 72 / 0.8 = 135/π̂).
    expect(sampleSize(20_000, 0.3, strict)).toBe(480);
  });

  it('stays within [minDraws, min(maxDraws, rows / 4)]', () => {
    expect(sampleSize(20_000, 0.5, loose)).toBe(200);
    expect(sampleSize(2_000, 0.05, loose)).toBe(500);
    expect(sampleSize(100_000, 0.01, loose)).toBe(2000);
  });

  it('sizes for the precision side alone when only precision is asked', () => {
    const precisionOnly = resolveCascadeOptions({ targets: { precision: 0.95 } });
    // All of δ = 0.05 on precision: 59 draws can pass; 1.5 × 59 / (0.8 × 0.2) = 553.1.
    expect(sampleSize(20_000, 0.2, precisionOnly)).toBe(554);
  });
});

describe('planCascade', () => {
  it('calls every row of a small table without sampling', () => {
    expect(planCascade(500, strict)).toMatchObject({ fallback: 'too-few-rows', pilotDraws: 0, calls: { min: 500, max: 500 } });
  });

  it('calls every row when no allowed sample could certify either target', () => {
    // 0.999 at α = 0.025 needs 3,688 draws, more than the 2,000 allowed.
    const plan = planCascade(50_000, { targets: { recall: 0.999, precision: 0.999 } });
    expect(plan).toMatchObject({
      fallback: 'targets-unreachable',
      calls: { min: 50_000, max: 50_000 },
      needs: { recallPositives: 3688, precisionDraws: 3688 },
    });
  });

  it('pilots when the share of positives is unknown, and gives the range the pilot picks the sample from', () => {
    const plan = planCascade(5_000, strict);
    expect(plan).toMatchObject({
      fallback: null,
      pilotDraws: 100,
      sampleDraws: { min: 200, max: 1250 },
      needs: { recallPositives: 72, precisionDraws: 72, minAuc: 0.65 },
    });
    expect(plan.calls.min).toBe(Math.ceil(expectedDistinct(5_000, 300)));
    expect(plan.calls.max).toBe(5_000);
  });

  it('sizes the sample at once from a given share of positives', () => {
    const plan = planCascade(5_000, { ...strict, positiveRate: 0.3 });
    expect(plan).toMatchObject({ pilotDraws: 0, sampleDraws: { min: 480, max: 480 } });
  });
});

describe('expectedCalls', () => {
  it('grows from the sample alone to every row with the share the model is left', () => {
    const plan = planCascade(5_000, { ...strict, positiveRate: 0.3 });
    const calls = [0, 0.1, 0.5, 1].map((share) => expectedCalls(plan, share));
    expect(calls[0]).toBe(Math.ceil(expectedDistinct(5_000, 480)));
    expect(calls).toEqual([...calls].sort((a, b) => a - b));
    expect(calls[3]).toBe(5_000);
  });

  it('is every row when the plan falls back', () => {
    expect(expectedCalls(planCascade(300, strict), 0)).toBe(300);
  });
});

describe('expectedDistinct', () => {
  it('is the draws when rows are many, and approaches the rows when draws are many', () => {
    expect(expectedDistinct(1_000_000, 500)).toBeCloseTo(500, 0);
    expect(expectedDistinct(100, 10_000)).toBeCloseTo(100, 6);
  });
});

describe('resolveCascadeOptions', () => {
  it('refuses a cascade without a target, and targets, δ or a share of positives outside their range', () => {
    expect(() => resolveCascadeOptions({ targets: {} })).toThrow(RangeError);
    expect(() => resolveCascadeOptions({ targets: { recall: 1 } })).toThrow(RangeError);
    expect(() => resolveCascadeOptions({ targets: { precision: 0 } })).toThrow(RangeError);
    expect(() => resolveCascadeOptions({ targets: { recall: 0.9 }, delta: 1.5 })).toThrow(RangeError);
    expect(() => resolveCascadeOptions({ targets: { recall: 0.9 }, positiveRate: 0 })).toThrow(RangeError);
  });

  it('fills the defaults and keeps what is given', () => {
    expect(resolveCascadeOptions({ targets: { recall: 0.9 }, seed: 7, delta: undefined })).toMatchObject({
      delta: 0.05,
      seed: 7,
      pilotDraws: 100,
      minDraws: 200,
      maxDraws: 2000,
      minRows: 800,
      minAuc: 0.65,
      grid: 20,
      positiveRate: undefined,
    });
  });
});
