import { describe, expect, test } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../../../src/client/default-settings';
import { resolveOptions } from '../../../../src/engine/resolve-options';
import { answersAgree, judgeAgreement, perfectSampleSize, planRouting } from '../../../../src/engine/routing/route-plan';
import { mergeSettings } from '../../../../src/protocol/settings';
import { validateSettings } from '../../../../src/protocol/settings-schema';
import { createRegistry, parseScript, SemanticSqlError } from '../../../../src/sql';

/** Issue 28: tiers and routing targets as annotations, resolved once against the settings' tier map. */

const optionsOf = (sql: string, settings = DEFAULT_ENGINE_SETTINGS) => {
  const [statement] = parseScript(sql, { registry: createRegistry() });
  if (!statement) throw new Error('no statement');
  return resolveOptions(statement.options, settings, sql);
};

const refusal = (value: string): string => {
  try {
    optionsOf(`-- @ model: ${value}\nSELECT 1`);
  } catch (error) {
    if (error instanceof SemanticSqlError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('model tiers', () => {
  test('a tier resolves to the provider’s model for it; a model id stays as written', () => {
    expect(optionsOf('-- @ model: fast\nSELECT 1')).toMatchObject({ model: 'mock-fast', tier: 'fast', routing: null });
    expect(optionsOf('-- @ model: Quality\nSELECT 1')).toMatchObject({ model: 'mock-1', tier: 'quality' });
    const anthropic = mergeSettings(DEFAULT_ENGINE_SETTINGS, {
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      tiers: { anthropic: { quality: 'claude-opus-4-5' } },
    });
    expect(optionsOf('-- @ model: standard\nSELECT 1', anthropic)).toMatchObject({ model: 'claude-sonnet-4-5', tier: 'standard' });
    expect(optionsOf('-- @ model: quality\nSELECT 1', anthropic)).toMatchObject({ model: 'claude-opus-4-5', tier: 'quality' });
    expect(optionsOf("-- @ model: 'claude-x-1'\nSELECT 1", anthropic)).toMatchObject({ model: 'claude-x-1', tier: null });
    expect(optionsOf('SELECT 1', anthropic)).toMatchObject({ model: 'claude-haiku-4-5', tier: null });
  });

  test('the settings’ tier map is checked like every setting', () => {
    expect(() => validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, { tiers: { mock: { fast: ' ' } } }))).toThrow(
      /tiers\.mock\.fast: tiers\.mock\.fast must be a model id/,
    );
    expect(validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, { tiers: { anthropic: { fast: 'claude-haiku-4-5' } } })).tiers.mock.fast).toBe('mock-fast');
  });

  test('auto(accuracy A[, confidence C][, seed S]) routes between the fast and the quality tier, seeded by the statement', () => {
    const auto = optionsOf('-- @ model: auto(accuracy 0.95)\nSELECT 1');
    expect(auto).toMatchObject({ model: 'mock-1', tier: 'quality', routing: { accuracy: 0.95, confidence: 0.9, cheap: 'mock-fast', quality: 'mock-1' } });
    expect(auto.routing?.seed).toBe(optionsOf('-- @ model: auto(accuracy 0.95)\nSELECT 1').routing?.seed);
    expect(optionsOf('-- @ model: AUTO(accuracy 0.9, confidence 0.8, seed 7)\nSELECT 1').routing).toMatchObject({ accuracy: 0.9, confidence: 0.8, seed: 7 });
  });

  test('a bad routing target is refused with the shared range’s words', () => {
    expect(refusal('auto(accuracy 1)')).toMatch(/accuracy must be a number between 0 and 1 \(both excluded\)/);
    expect(refusal('auto(confidence 0.9)')).toMatch(/bad value for model: expected .*auto\(accuracy A\)/);
    expect(refusal('auto(accuracy 0.9, speed 3)')).toMatch(/bad value for model/);
    expect(refusal("''")).toMatch(/bad value for model/);
    expect(() => optionsOf('-- @ cascade: recall 0.9, precision 0.9\n-- @ model: auto(accuracy 0.9)\nSELECT 1')).toThrow(
      /a cascade or model: auto\(\.\.\.\), not both/,
    );
  });
});

describe('routing statistics', () => {
  test('the sample is three perfect samples: a perfect one just clears the bar', () => {
    const targets = { accuracy: 0.95, confidence: 0.9 };
    const n = perfectSampleSize(targets);
    expect(n).toBe(45);
    expect(judgeAgreement(n, n, targets).met).toBe(true);
    expect(judgeAgreement(n - 1, n, targets).met).toBe(false);
    expect(judgeAgreement(n - 1, n - 1, targets).met).toBe(false);
    expect(planRouting(270, targets)).toEqual({ inputs: 270, sampleDraws: 135, fallback: null });
    expect(planRouting(269, targets).fallback).toMatch(/too few inputs to route: 269, routing needs at least 270/);
  });

  test('the verdict is the exact Clopper–Pearson lower limit against the bar', () => {
    const targets = { accuracy: 0.95, confidence: 0.9 };
    // 135 draws: 3 disagreements clear 0.95 at 90%, 5 do not.
    expect(judgeAgreement(132, 135, targets)).toMatchObject({ met: true });
    expect(judgeAgreement(130, 135, targets)).toMatchObject({ met: false });
    expect(judgeAgreement(0, 0, targets).met).toBe(false);
  });

  test('answers agree when equal; strings without case or padding, numbers within 0.05 or 5%', () => {
    expect(answersAgree(true, true)).toBe(true);
    expect(answersAgree(true, false)).toBe(false);
    expect(answersAgree(' Positive', 'positive')).toBe(true);
    expect(answersAgree(0.71, 0.74)).toBe(true);
    expect(answersAgree(0.7, 0.8)).toBe(false);
    expect(answersAgree(1000, 1040)).toBe(true);
    expect(answersAgree(null, null)).toBe(true);
    expect(answersAgree(null, 'x')).toBe(false);
  });
});
