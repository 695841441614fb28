import { describe, expect, test } from 'vitest';
import { DEFAULT_OPTIONS } from '../../../src/sql';
import { parse, parseError } from './helpers';

const optionsOf = (sql: string) => parse(sql)[0]?.options;

describe('annotations', () => {
  test('defaults when there are none', () => {
    expect(optionsOf('SELECT 1')).toEqual({ threshold: 0.5, cache: 'on', on_error: 'null', early: 'on', instructions: [] });
    expect(DEFAULT_OPTIONS.threshold).toBe(0.5);
  });

  test('every key, typed', () => {
    const sql = [
      '-- @ parallel: 16',
      '-- @ model: claude-haiku-4-5',
      '-- @ threshold: 0.75',
      '-- @ budget: 1,000',
      '-- @ cache: refresh',
      '-- @ temperature: 0.2',
      '-- @ on_error: fail',
      '-- @ wave: 32',
      '-- @ early: off',
      'SELECT 1',
    ].join('\n');
    expect(optionsOf(sql)).toEqual({
      parallel: 16,
      model: 'claude-haiku-4-5',
      threshold: 0.75,
      budget: 1000,
      cache: 'refresh',
      temperature: 0.2,
      on_error: 'fail',
      wave: 32,
      early: 'off',
      instructions: [],
    });
  });

  test('rows per request, batch mode and cascade targets (issues 16 and 19)', () => {
    expect(optionsOf('-- @ rows_per_request: auto\nSELECT 1')).toMatchObject({ rows_per_request: 'auto' });
    expect(optionsOf('-- @ rows-per-request: 16\nSELECT 1')).toMatchObject({ rows_per_request: 16 });
    // `batch` is the former name, still accepted (issue 22: "batch" now means Message Batches only).
    expect(optionsOf('-- @ batch: 16\nSELECT 1')).toMatchObject({ rows_per_request: 16 });
    expect(parseError('-- @ batch: 4\n-- @ rows_per_request: 8\nSELECT 1').message).toMatch(/given twice \(batch is another name for rows_per_request\)/);
    expect(optionsOf('-- @ mode: batch\nSELECT 1')).toMatchObject({ mode: 'batch' });
    expect(optionsOf('-- @ cascade: recall 0.95, precision 0.9\nSELECT 1')).toMatchObject({ cascade: { recall: 0.95, precision: 0.9, confidence: 0.9 } });
    expect(optionsOf('-- @ cascade: precision 0.8, recall 0.85, confidence 0.95\nSELECT 1')).toMatchObject({
      cascade: { recall: 0.85, precision: 0.8, confidence: 0.95 },
    });
    expect(optionsOf('-- @ cascade: off\nSELECT 1')).toMatchObject({ cascade: 'off' });
    for (const bad of ['recall 0.9', 'recall 1.5, precision 0.9', 'recall 0.9, precision 0.9, confidence 1', 'sure']) {
      expect(parseError(`-- @ cascade: ${bad}\nSELECT 1`).message, bad).toMatch(/recall 0\.95, precision 0\.95/);
    }
    expect(parseError('-- @ mode: later\nSELECT 1').message).toMatch(/direct or batch/);
    expect(parseError('-- @ batch: 0\nSELECT 1').message).toMatch(/batch must be "auto" or a whole number from 1 to 512/);
  });

  test('spaces are optional and keys and choices are case-insensitive', () => {
    expect(optionsOf("--@PARALLEL:4\n--@ Cache :OFF\n--   @model: 'my-model'\nSELECT 1")).toMatchObject({ parallel: 4, cache: 'off', model: 'my-model' });
  });

  test('free text becomes an instruction', () => {
    expect(optionsOf('-- @ be strict about sarcasm\n-- @ answer in French, please\nSELECT 1')?.instructions).toEqual([
      'be strict about sarcasm',
      'answer in French, please',
    ]);
  });

  test('ordinary comments and annotations inside the statement are not annotations', () => {
    expect(optionsOf('-- parallel: 4\nSELECT 1 -- @ parallel: 9\n')).toEqual({ threshold: 0.5, cache: 'on', on_error: 'null', early: 'on', instructions: [] });
  });

  test('settings passed as defaults sit under the annotations', () => {
    const [s] = parse('-- @ parallel: 2\nSELECT 1', { parallel: 8, model: 'm', instructions: ['be brief'] });
    expect(s?.options).toMatchObject({ parallel: 2, model: 'm', instructions: ['be brief'] });
  });

  test.each([
    ['-- @ paralel: 4\nSELECT 1', 1, 6, 'paralel'],
    ['-- @ parallel: 0\nSELECT 1', 1, 16, '0'],
    ['-- @ parallel: four\nSELECT 1', 1, 16, 'four'],
    ['-- @ threshold: 1.5\nSELECT 1', 1, 17, '1.5'],
    ['-- @ cache: maybe\nSELECT 1', 1, 13, 'maybe'],
    ['-- @ on_error: ignore\nSELECT 1', 1, 16, 'ignore'],
    ['-- @ temperature: -1\nSELECT 1', 1, 19, '-1'],
    ['-- @ early: yes\nSELECT 1', 1, 13, 'yes'],
    ['-- @ wave: 1.5\nSELECT 1', 1, 12, '1.5'],
    ['-- @ budget: lots\nSELECT 1', 1, 14, 'lots'],
    ['SELECT 1;\n  --@parallel: 2\n  -- @ parallel: 3\nSELECT 2', 3, 8, 'parallel'],
    ['SELECT 1;\n-- @ model:\nSELECT 2', 2, 12, ''],
  ])('%j is a positioned error', (sql, line, column, token) => {
    const error = parseError(sql);
    expect({ line: error.line, column: error.column, token: error.token }).toEqual({ line, column, token });
  });

  test('bad values say what was expected', () => {
    expect(parseError('-- @ cache: maybe\nSELECT 1').message).toBe("line 1, column 13: bad value for cache: expected on or off or refresh, found 'maybe'");
  });

  test('annotations with no statement after them are an error', () => {
    expect(parseError('SELECT 1;\n-- @ parallel: 3\n')).toMatchObject({ line: 2, column: 1 });
  });
});
