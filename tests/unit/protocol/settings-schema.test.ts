import { describe, expect, it } from 'vitest';
import { mergeSettings, type SettingsPatch } from '../../../src/protocol/settings';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/client/default-settings';
import { SettingsError, validateSettings } from '../../../src/protocol/settings-schema';

const check = (patch: SettingsPatch) => validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, patch));

describe('settings are validated at the client boundary (issue 13)', () => {
  it('accepts the defaults and a sensible change', () => {
    expect(validateSettings(DEFAULT_ENGINE_SETTINGS)).toEqual(DEFAULT_ENGINE_SETTINGS);
    expect(check({ budget: 0, parallel: 64, mock: { latencyMs: [10, 20] }, embedHosts: ['https://docs.example.org'] })).toMatchObject({
      budget: 0,
      parallel: 64,
    });
  });

  it('takes a default join plan for every statement (issue 24): exact, classify or targets', () => {
    expect(check({ join: 'classify' })).toMatchObject({ join: 'classify' });
    expect(check({ join: { recall: 0.95, confidence: 0.9 } })).toMatchObject({ join: { recall: 0.95, confidence: 0.9 } });
    expect(() => check({ join: 'fast' as never })).toThrow(/join must be "exact", "classify" or \{recall, confidence\}/);
    expect(() => check({ join: { recall: 1.5, confidence: 0.9 } })).toThrow(/join\.recall/);
  });

  it.each<[string, SettingsPatch, RegExp]>([
    ['a NaN budget', { budget: Number.NaN }, /budget/],
    ['a negative budget', { budget: -1 }, /budget: budget must be a whole number from 0 to 100,000,000/],
    ['a fractional budget', { budget: 2.5 }, /budget must be a whole number/],
    ['maxPasses: 0', { maxPasses: 0 }, /maxPasses must be at least 2/],
    ['parallel: 0', { parallel: 0 }, /parallel must be a whole number from 1 to 256/],
    ['an unknown provider', { provider: 'openai' as never }, /provider must be "mock" or "anthropic"/],
    ['an empty model', { model: '  ' }, /model must be a model id/],
    ['a negative wait ceiling', { maxWaitMs: -5 }, /maxWaitMs/],
    ['fault rates over 1', { mock: { faults: { rateLimit: 0.6, server: 0.6 } } }, /add up to at most 1/],
    ['a reversed latency range', { mock: { latencyMs: [20, 10] } }, /mock latency/],
    ['a base URL that is not http', { anthropic: { baseURL: 'javascript:alert(1)' } }, /baseURL/],
    ['a negative price', { pricing: { x: { inputPerMTok: -1, outputPerMTok: 0 } } }, /cannot be negative/],
    ['a host that is not an origin', { embedHosts: ['https://docs.example.org/page'] }, /origin/],
  ])('refuses %s with a message naming the field', (_label, patch, message) => {
    expect(() => check(patch)).toThrow(SettingsError);
    expect(() => check(patch)).toThrow(message);
  });
});
