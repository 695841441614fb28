import { describe, expect, test } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/client/default-settings';
import { parseEmbedConfig } from '../../../src/embed/config';
import { parseHostMessage } from '../../../src/embed/protocol';
import { resolveOptions } from '../../../src/engine/resolve-options';
import { rangeMessage, RANGES } from '../../../src/protocol/option-ranges';
import { mergeSettings, type SettingsPatch } from '../../../src/protocol/settings';
import { validateSettings } from '../../../src/protocol/settings-schema';
import { createRegistry, parseScript as parse, SemanticSqlError } from '../../../src/sql';

const parseScript = (sql: string) => parse(sql, { registry: createRegistry() });

/**
 * Issue 22, statement options resolved once: a statement's annotations, the settings and the
 * defaults become one complete record, and every range is refused the same way wherever it is
 * given (annotation, setting, widget option).
 */

const optionsOf = (sql: string) => {
  const [statement] = parseScript(sql);
  if (!statement) throw new Error('no statement');
  return resolveOptions(statement.options, DEFAULT_ENGINE_SETTINGS, 'sql');
};

const annotationError = (key: string, value: string): string => {
  try {
    parseScript(`-- @ ${key}: ${value}\nSELECT 1`);
  } catch (error) {
    if (error instanceof SemanticSqlError) return error.message;
    throw error;
  }
  return 'accepted';
};

const settingsError = (patch: SettingsPatch): string => {
  try {
    validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, patch));
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('the resolved options', () => {
  test('are complete with nothing given: the settings and the defaults', () => {
    const s = DEFAULT_ENGINE_SETTINGS;
    expect(optionsOf('SELECT 1')).toEqual({
      model: s.model,
      tier: null,
      routing: null,
      temperature: 0,
      instructions: [],
      mode: 'direct',
      parallel: s.parallel,
      rowsPerRequest: s.rowsPerRequest,
      budget: s.budget,
      maxAttempts: s.maxAttempts,
      maxWaitMs: s.maxWaitMs,
      onError: 'null',
      cache: 'on',
      threshold: 0.5,
      maxPasses: s.maxPasses,
      early: 'on',
      wave: null,
      cascade: 'off',
      join: 'exact',
      estimate: { seed: expect.any(Number) as number, confidence: 0.95, error: null },
    });
  });

  test('take every annotation over the settings', () => {
    const sql = [
      '-- @ model: m2',
      '-- @ temperature: 0.3',
      '-- @ mode: batch',
      '-- @ parallel: 3',
      '-- @ rows_per_request: 16',
      '-- @ budget: 7',
      '-- @ on_error: fail',
      '-- @ cache: refresh',
      '-- @ threshold: 0.7',
      '-- @ early: off',
      '-- @ wave: 9',
      '-- @ cascade: recall 0.9, precision 0.8, seed 5',
      '-- @ join: recall 0.95, seed 6',
      '-- @ be brief',
      'SELECT 1',
    ].join('\n');
    expect(optionsOf(sql)).toMatchObject({
      model: 'm2',
      temperature: 0.3,
      mode: 'batch',
      parallel: 3,
      rowsPerRequest: 16,
      budget: 7,
      onError: 'fail',
      cache: 'refresh',
      threshold: 0.7,
      early: 'off',
      wave: 9,
      cascade: { recall: 0.9, precision: 0.8, confidence: 0.9, seed: 5 },
      join: { recall: 0.95, confidence: 0.9, seed: 6 },
      instructions: ['be brief'],
    });
  });

  test('read `batch` as another name for rows_per_request, in annotations and in settings', () => {
    expect(optionsOf('-- @ batch: 8\nSELECT 1').rowsPerRequest).toBe(8);
    expect(validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, { batchSize: 12 })).rowsPerRequest).toBe(12);
  });

  test('seed a cascade without a seed from the statement, so a rerun draws the same sample', () => {
    const [statement] = parseScript('-- @ cascade: recall 0.9, precision 0.9\nSELECT 1');
    const a = resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x');
    const b = resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x');
    const c = resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT y');
    expect(a.cascade).toEqual(b.cascade);
    expect(a.cascade).not.toEqual(c.cascade);
  });

  test('seed a join without a seed from the statement, as a cascade; a settings default applies without an annotation', () => {
    const [statement] = parseScript('-- @ join: recall 0.95\nSELECT 1');
    const a = resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x');
    expect(a.join).toEqual(resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x').join);
    expect(a.join).not.toEqual(resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT y').join);
    expect(optionsOf('SELECT 1').join).toBe('exact');
    const [plain] = parseScript('SELECT 1');
    expect(resolveOptions(plain!.options, { ...DEFAULT_ENGINE_SETTINGS, join: 'classify' }, 'SELECT 1').join).toBe('classify');
  });

  test('approximate: its error, confidence and seed; the order of inputs seeded from the statement otherwise', () => {
    expect(optionsOf('-- @ approximate: error 0.05\nSELECT 1').estimate).toMatchObject({ error: 0.05, confidence: 0.95 });
    expect(optionsOf('-- @ approximate: error 0.02, confidence 0.9, seed 7\nSELECT 1').estimate).toEqual({ error: 0.02, confidence: 0.9, seed: 7 });
    const [statement] = parseScript('SELECT 1');
    expect(resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x').estimate.seed).toBe(
      resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x').estimate.seed,
    );
    expect(resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT x').estimate.seed).not.toBe(
      resolveOptions(statement!.options, DEFAULT_ENGINE_SETTINGS, 'SELECT y').estimate.seed,
    );
  });
});

describe('every range is refused the same way wherever it is given', () => {
  const shared = [
    { annotation: 'parallel', setting: 'parallel', range: RANGES.parallel, bad: [0, 257, 2.5] },
    { annotation: 'budget', setting: 'budget', range: RANGES.budget, bad: [-1, 100_000_001, 1.5] },
    { annotation: 'rows_per_request', setting: 'rowsPerRequest', range: RANGES.rowsPerRequest, bad: [0, 513] },
  ] as const;

  for (const { annotation, setting, range, bad } of shared) {
    test(`${annotation}: ${range.expected}`, () => {
      for (const value of bad) {
        expect(annotationError(annotation, String(value)), `annotation ${value}`).toContain(rangeMessage(annotation, range));
        expect(settingsError({ [setting]: value }), `setting ${value}`).toContain(rangeMessage(setting, range));
      }
      // The edges are accepted in both.
      const low = annotation === 'budget' ? 0 : 1;
      expect(annotationError(annotation, String(low))).toBe('accepted');
      expect(settingsError({ [setting]: low })).toBe('accepted');
    });
  }

  test('the widget takes parallel in the same range, from its URL and from its host', () => {
    const message = (parallel: number) => parseHostMessage({ semsql: 1, type: 'setOptions', widgetId: 'w', options: { parallel } }, 'w');
    for (const value of [0, 257, 2.5]) {
      expect(parseEmbedConfig(`#parallel=${value}`, null).parallel).toBeNull();
      expect(message(value)).toBeNull();
    }
    expect(parseEmbedConfig('#parallel=256', null).parallel).toBe(256);
    expect(message(1)).not.toBeNull();
  });

  test('approximate: error and confidence between 0 and 1, and an error is required', () => {
    expect(annotationError('approximate', 'error 0')).toContain(rangeMessage('error', RANGES.approximateError));
    expect(annotationError('approximate', 'error 0.05, confidence 1')).toContain(rangeMessage('confidence', RANGES.approximateConfidence));
    expect(annotationError('approximate', 'confidence 0.9')).toMatch(/expected targets such as "error 0.05"/);
    expect(annotationError('approximate', 'error 0.05, wrong 3')).toMatch(/approximate/);
  });

  test('cascade targets: between 0 and 1, in annotations and in settings', () => {
    expect(annotationError('cascade', 'recall 1.5, precision 0.9')).toContain(rangeMessage('recall', RANGES.cascadeTarget));
    expect(settingsError({ cascade: { recall: 1.5, precision: 0.9, confidence: 0.9 } })).toMatch(/cascade/);
    expect(validateSettings(mergeSettings(DEFAULT_ENGINE_SETTINGS, { cascade: { recall: 0.5, precision: 0.9, confidence: 0.9 } })).cascade).not.toBe('off');
  });
});
