import { describe, expect, test } from 'vitest';
import { DIAGRAM_STAGES } from '../../../src/engine/stages/diagrams';
import { investigate, MAX_TURNS } from '../../../src/engine/stages/investigate';
import { StageRun } from '../../../src/engine/stages/stage-run';
import { safeSpec, themed } from '../../../src/engine/stages/vega-spec';
import type { ColumnarResult } from '../../../src/protocol/results';
import { ZERO_STATS, type StatementOutput } from '../../../src/engine/query-stats';
import { createRegistry, parseScript, type ParsedStatement, type QueryStatement, type StageUse } from '../../../src/sql';

describe('Vega-Lite specs the model writes (issue 27)', () => {
  test('lose everything that could load or link: data, urls, href, image marks, bound inputs', () => {
    const spec = safeSpec({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Revenue: by month',
      data: { url: 'https://evil.example/steal.csv' },
      datasets: { x: [1] },
      mark: { type: 'image', url: 'https://evil.example/pixel.png' },
      encoding: { x: { field: 'month', type: 'ordinal' }, href: { field: 'link' }, url: { field: 'img' } },
      params: [{ name: 'p', bind: { input: 'range' } }],
      layer: [{ data: { url: '//evil.example/x.json' }, mark: 'image', description: 'javascript:alert(1)' }],
    });
    expect(spec).toEqual({
      title: 'Revenue: by month',
      mark: { type: 'point' },
      encoding: { x: { field: 'month', type: 'ordinal' } },
      params: [{ name: 'p' }],
      layer: [{ mark: 'point' }],
    });
  });

  test('a spec that is not an object is none', () => {
    expect(safeSpec([1, 2])).toBeUndefined();
    expect(safeSpec('bar chart')).toBeUndefined();
  });

  test('a theme merges into config, the user’s own values cleaned like the model’s, the rows kept', () => {
    const out = themed({ mark: 'bar', data: { values: [{ a: 1 }] }, config: { axis: { grid: false } } }, 'dark', {
      background: 'url(https://evil.example/x.png)',
      axis: { labelColor: '#fff' },
    });
    expect(out['data']).toEqual({ values: [{ a: 1 }] });
    expect(out['config']).toMatchObject({ background: '#1b1d23', axis: { grid: false, labelColor: '#fff' } });
    const custom = themed({ mark: 'bar' }, 'auto', { background: 'https://evil.example/x.png' });
    expect(custom['config']).toEqual({});
  });
});

/** A fake engine for a StageRun: answers statements by their SQL, and records what ran. */
function fakeEngine(answers: { investigate: string[] }) {
  const ran: ParsedStatement[] = [];
  const table = (columns: string[], rows: unknown[][]): ColumnarResult => ({
    columns: columns.map((name) => ({ name, type: 'VARCHAR' })),
    values: columns.map((_, c) => rows.map((r) => r[c] ?? null)),
    rowCount: rows.length,
  });
  const stats = (attempts: number) => ({ ...ZERO_STATS, passes: 1, calls: attempts, attempts });
  const run = async (statement: ParsedStatement): Promise<StatementOutput> => {
    ran.push(statement);
    const sql = 'sql' in statement ? statement.sql : '';
    if (sql.startsWith('DESCRIBE'))
      return {
        result: table(
          ['column_name', 'column_type'],
          [
            ['subject', 'VARCHAR'],
            ['predicate', 'VARCHAR'],
            ['object', 'VARCHAR'],
          ],
        ),
        stats: stats(0),
      };
    if (sql.includes('__sem_investigate_step')) return { result: table(['answer'], [[answers.investigate.shift() ?? '{"findings": []}']]), stats: stats(1) };
    if (sql.includes('information_schema')) return { result: table(['schema'], [['t(subject VARCHAR)']]), stats: stats(0) };
    if (/^SELECT "subject"/.test(sql))
      return { result: table(['subject', 'predicate', 'object'], [['Ann "the boss"] --> x[click', 'runs', 'Ops|Team']]), stats: stats(0) };
    return { result: table(['n'], [[1]]), stats: stats(0) };
  };
  return { ran, run };
}

const registry = createRegistry();
const staged = (sql: string): QueryStatement => parseScript(sql, { registry }).at(-1) as QueryStatement;
const stageOf = (statement: QueryStatement): StageUse => statement.stages?.[0] as StageUse;

function stageRun(sql: string, engine: ReturnType<typeof fakeEngine>, budget = 100): StageRun {
  return new StageRun(staged(sql), {
    run: engine.run,
    registry,
    budget,
    queryId: 'q1',
    source: sql,
    scope: { namespace: null, readsAppState: false },
    warn: () => {},
    signal: new AbortController().signal,
  });
}

describe('THEN INVESTIGATE (issue 27)', () => {
  test('runs only read-only queries, within the budget left, and shows every query before the findings', async () => {
    const engine = fakeEngine({
      investigate: [
        '{"sql": "DELETE FROM t"}',
        '{"sql": "SELECT count(*) AS n FROM t"}',
        '{"findings": [{"finding": "one row", "category": "answer", "evidence": "the count", "confidence": "high"}]}',
      ],
    });
    const sql = "SELECT * FROM t THEN INVESTIGATE 'how many?'";
    const run = stageRun(sql, engine, 10);
    await investigate(run, 'input', stageOf(run.statement));
    const texts = engine.ran.map((s) => ('sql' in s ? s.sql : ''));
    // The DELETE reached the model's next turn as refused, and DuckDB never.
    expect(texts.filter((t) => t.startsWith('DELETE'))).toEqual([]);
    const written = engine.ran.find((s) => 'sql' in s && s.sql === 'SELECT count(*) AS n FROM t') as QueryStatement;
    // Two turns were asked (one attempt each) before the model's query ran: 8 of the 10 are left.
    expect(written.options.budget).toBe(8);
    const result = texts.find((t) => t.startsWith('CREATE TEMP TABLE')) ?? '';
    expect(result).toMatch(/VALUES \('DELETE FROM t', 'query', 'refused or failed: the model did not write one read-only query/);
    expect(result).toMatch(/\('SELECT count\(\*\) AS n FROM t', 'query', '1 row: \[\[1\]\]'.*\('one row', 'answer', 'the count', 'high'\)/);
  });

  test('asks at most MAX_TURNS times, and says so when the model never concludes', async () => {
    const engine = fakeEngine({ investigate: Array.from({ length: 20 }, (_, i) => `{"sql": "SELECT ${i} AS n"}`) });
    const sql = "SELECT * FROM t THEN INVESTIGATE 'why?'";
    const run = stageRun(sql, engine);
    await investigate(run, 'input', stageOf(run.statement));
    expect(engine.ran.filter((s) => 'sql' in s && s.sql.includes('__sem_investigate_step'))).toHaveLength(MAX_TURNS);
    expect(engine.ran.filter((s) => 'sql' in s && /^SELECT \d+ AS n$/.test(s.sql))).toHaveLength(MAX_TURNS - 1);
    expect(engine.ran.map((s) => ('sql' in s ? s.sql : '')).find((t) => t.startsWith('CREATE TEMP TABLE'))).toMatch(/reached no conclusion in 8 turns/);
  });
});

describe('MERMAID_TRIPLES (issue 27)', () => {
  test('escapes every value: no label can close its node or start another statement', async () => {
    const engine = fakeEngine({ investigate: [] });
    const run = stageRun('SELECT * FROM t THEN MERMAID_TRIPLES', engine);
    await DIAGRAM_STAGES['MERMAID_TRIPLES']?.(run, 'input', stageOf(run.statement));
    const visual = run.visual;
    expect(visual?.kind).toBe('mermaid');
    if (visual?.kind !== 'mermaid') return;
    expect(visual.source).toBe('graph LR\n    n1["Ann #34;the boss#34;#93; --#62; x#91;click"] -- "runs" --> n2["Ops#124;Team"]');
  });
});
