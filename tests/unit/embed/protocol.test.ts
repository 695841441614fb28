import { describe, expect, it } from 'vitest';
import { parseEmbedConfig } from '../../../src/embed/config';
import { parseHostMessage, resultMessage } from '../../../src/embed/protocol';

const base = { semsql: 1, widgetId: 'w1' };

describe('parseHostMessage', () => {
  it('accepts the four host messages', () => {
    expect(parseHostMessage({ ...base, type: 'query', sql: 'SELECT 1', requestId: 'r1' }, 'w1')).not.toBeNull();
    expect(parseHostMessage({ ...base, type: 'load', url: 'data/x.csv', table: 'x' }, 'w1')).not.toBeNull();
    expect(parseHostMessage({ ...base, type: 'setOptions', options: { theme: 'dark', parallel: 4 } }, 'w1')).not.toBeNull();
    expect(parseHostMessage({ ...base, type: 'cancel' }, 'w1')).not.toBeNull();
  });

  it('accepts data the host read itself, as text or as bytes (issue 14)', () => {
    expect(parseHostMessage({ ...base, type: 'load', text: 'a,b\n1,2', table: 'x' }, 'w1')).not.toBeNull();
    expect(parseHostMessage({ ...base, type: 'load', bytes: new Uint8Array([80, 65, 82, 49]), name: 'x.parquet', table: 'x' }, 'w1')).not.toBeNull();
    expect(parseHostMessage({ ...base, type: 'load', bytes: new ArrayBuffer(4), table: 'x' }, 'w1')).not.toBeNull();
  });

  it.each([
    ['another widget', { ...base, widgetId: 'w2', type: 'cancel' }],
    ['another version', { ...base, semsql: 2, type: 'cancel' }],
    ['no version', { widgetId: 'w1', type: 'cancel' }],
    ['an unknown type', { ...base, type: 'eval', code: 'x' }],
    ['a non-string sql', { ...base, type: 'query', sql: 42 }],
    ['an API key riding along', { ...base, type: 'query', sql: 'SELECT 1', apiKey: 'sk-ant-x' }],
    ['a key in the options', { ...base, type: 'setOptions', options: { apiKey: 'sk-ant-x' } }],
    ['a bad table name', { ...base, type: 'load', url: 'x.csv', table: 'x; DROP TABLE y' }],
    ['a bad parallel', { ...base, type: 'setOptions', options: { parallel: 0 } }],
    ['a load with two sources', { ...base, type: 'load', url: 'x.csv', text: 'a\n1', table: 'x' }],
    ['a load with no source', { ...base, type: 'load', table: 'x' }],
    ['bytes that are not bytes', { ...base, type: 'load', bytes: [1, 2, 3], table: 'x' }],
    ['a name without bytes', { ...base, type: 'load', text: 'a\n1', name: 'x.csv', table: 'x' }],
    ['a string', 'query'],
    ['null', null],
    ['an array', [base]],
  ])('rejects %s', (_name, data) => {
    expect(parseHostMessage(data, 'w1')).toBeNull();
  });
});

describe('resultMessage', () => {
  it('caps rows and says so', () => {
    const rows = Array.from({ length: 5 }, (_, i) => [i, BigInt(i)]);
    const m = resultMessage(
      'w1',
      'r',
      { columns: [{ name: 'a', type: 'INTEGER' }], rows, stats: { passes: 1, calls: 0, cached: 0, errors: 0, wall_ms: 1 } },
      3,
    );
    expect(m).toMatchObject({ type: 'result', rowCount: 5, truncated: true, requestId: 'r' });
    if (m.type === 'result')
      expect(m.rows).toEqual([
        [0, '0'],
        [1, '1'],
        [2, '2'],
      ]);
  });
});

describe('parseEmbedConfig', () => {
  it('reads the hash, with the embedding origin as the default allowed origin', () => {
    const c = parseEmbedConfig(
      '#sql=SELECT%201&data=tweets%3Ddata%2Ftweets.csv,https%3A%2F%2Fx.org%2Fa%2Fsales-2024.parquet&theme=dark&readonly=1&autorun=true&parallel=8&height=320&id=w9',
      'https://blog.example',
    );
    expect(c).toMatchObject({
      widgetId: 'w9',
      sql: 'SELECT 1',
      theme: 'dark',
      readonly: true,
      autorun: true,
      parallel: 8,
      height: 320,
      model: 'mock',
      origins: ['https://blog.example'],
    });
    expect(c.data.map((d) => d.table)).toEqual(['tweets', 'sales_2024']);
    // Unnamed files are named as the app names dropped files, never twice the same.
    expect(parseEmbedConfig('#data=a/x.csv,b/x.csv,2024.csv', null).data.map((d) => d.table)).toEqual(['x', 'x_2', 't_2024']);
  });

  it('takes explicit origins and drops malformed ones', () => {
    const c = parseEmbedConfig('#origins=https://a.example:8443/path,not a url,http://127.0.0.1:5000', 'https://ignored.example');
    expect(c.origins).toEqual(['https://a.example:8443', 'http://127.0.0.1:5000']);
  });

  it('has safe defaults', () => {
    expect(parseEmbedConfig('', null)).toMatchObject({
      sql: '',
      data: [],
      theme: 'auto',
      readonly: false,
      autorun: false,
      model: 'mock',
      parallel: null,
      height: 'auto',
      origins: [],
    });
  });
});
