import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { errorRange, parseErrorPosition, relocateMessage } from '../../../src/ui/lib/error-position';
import { exportFileName, toCsv, toJson, toTsvRow, uniqueNames } from '../../../src/ui/lib/export-encode';
import { cellDisplay, cellText, formatDuration } from '../../../src/ui/lib/format';
import { starterQuery, tableNameFor } from '../../../src/ui/lib/naming';
import { draftFromOperator, draftProblems, draftSql, operatorWords } from '../../../src/ui/lib/operator-sql';
import { toParquet } from '../../../src/ui/lib/parquet-export';
import { runMetrics } from '../../../src/ui/lib/run-metrics';
import { decodeShare, encodeShare } from '../../../src/ui/lib/share-link';
import { nextSort, sortedOrder } from '../../../src/ui/lib/sort-rows';
import { statementAt } from '../../../src/ui/lib/statement-at';
import { layoutTimeline, timeTicks } from '../../../src/ui/lib/timeline-layout';
import { columnWidths, visibleRange } from '../../../src/ui/lib/virtual-window';
import { SemanticSqlError, createRegistry, parseScript } from '../../../src/sql';
import type { CallRecord } from '../../../src/protocol/call-log';
import type { OperatorInfo } from '../../../src/protocol/duckdb-worker-api';

describe('error positions from query error messages', () => {
  it('reads line, column, caret width and detail from a formatted SemanticSqlError', () => {
    const sql = 'SELECT 1;\n-- @ paralel: 3\nSELECT 1';
    let message = '';
    try {
      parseScript(sql, { registry: createRegistry() });
    } catch (error) {
      message = (error as SemanticSqlError).format(sql);
    }
    const position = parseErrorPosition(message);
    expect(position).not.toBeNull();
    expect(position?.line).toBe(2);
    const range = errorRange(sql, 0, position!);
    expect(sql.slice(range.from, range.to)).toBe('paralel');
    expect(position?.detail).toMatch(/^unknown annotation 'paralel'/);
  });

  it('moves the message position from the statement that ran to the whole editor', () => {
    const doc = 'SELECT 1;\n\n-- @ paralel: 3\nSELECT 2';
    const message = "line 1, column 6: unknown annotation 'paralel'\n1 | -- @ paralel: 3\n  |      ^^^^^^^";
    expect(relocateMessage(message, doc, doc.indexOf('--'))).toBe("line 3, column 6: unknown annotation 'paralel'\n3 | -- @ paralel: 3\n  |      ^^^^^^^");
    expect(relocateMessage('plain', doc, 5)).toBe('plain');
  });

  it('returns null for an unpositioned message', () => {
    expect(parseErrorPosition('Catalog Error: Table with name nope does not exist!')).toBeNull();
  });

  it('maps a position in a statement run on its own back into the document, counting code points', () => {
    const doc = "SELECT '🍞';\n\nSELECT 'é🍞' AS x, oops FROM t";
    const base = doc.indexOf('SELECT', 5);
    const range = errorRange(doc, base, { line: 1, column: 19, length: 4, detail: '' });
    expect(doc.slice(range.from, range.to)).toBe('oops');
  });
});

describe('the statement Ctrl+Enter runs', () => {
  const doc = "-- @ parallel: 2\nSELECT 1;\n\n-- @ budget: 5\nSELECT 'a;b' AS s;\n";
  it('takes the statement under the cursor with its annotations', () => {
    expect(statementAt(doc, { from: doc.indexOf("'a;b'") + 2, to: doc.indexOf("'a;b'") + 2 }).sql).toBe("-- @ budget: 5\nSELECT 'a;b' AS s");
    expect(statementAt(doc, { from: 3, to: 3 }).sql).toBe('-- @ parallel: 2\nSELECT 1');
  });
  it('runs the statement before the cursor when the cursor is after the last semicolon', () => {
    expect(statementAt(doc, { from: doc.length, to: doc.length }).sql).toBe("-- @ budget: 5\nSELECT 'a;b' AS s");
  });
  it('runs the selection when there is one, and reports where it starts', () => {
    const target = statementAt(doc, { from: doc.indexOf('SELECT 1'), to: doc.indexOf('SELECT 1') + 8 });
    expect(target).toEqual({ sql: 'SELECT 1', from: doc.indexOf('SELECT 1'), to: doc.indexOf('SELECT 1') + 8 });
  });
});

describe('exports', () => {
  const columns = [
    { name: 'id', type: 'INTEGER' },
    { name: 'text', type: 'VARCHAR' },
    { name: 'score', type: 'DOUBLE' },
    { name: 'ok', type: 'BOOLEAN' },
    { name: 'big', type: 'BIGINT' },
  ];
  const rows = [
    [1, 'plain', 0.5, true, 10],
    [2, 'has, comma and "quotes"\nand a line', null, false, null],
    [null, '<img src=x onerror="alert(1)">', 1, null, 2 ** 40],
  ];
  it('encodes CSV per RFC 4180', () => {
    expect(toCsv(columns, rows)).toBe(
      'id,text,score,ok,big\r\n1,plain,0.5,true,10\r\n2,"has, comma and ""quotes""\nand a line",,false,\r\n,"<img src=x onerror=""alert(1)"">",1,,1099511627776\r\n',
    );
  });
  it('encodes JSON as objects with unique keys', () => {
    expect(
      JSON.parse(
        toJson(
          [
            { name: 'a', type: 'INTEGER' },
            { name: 'a', type: 'INTEGER' },
          ],
          [[1, 2]],
        ),
      ),
    ).toEqual([{ a: 1, a_2: 2 }]);
    expect(uniqueNames(['x', 'x', 'y', 'x'])).toEqual(['x', 'x_2', 'y', 'x_3']);
  });
  it('writes Parquet that reads back with the same values', async () => {
    const bytes = toParquet(
      columns,
      columns.map((_, c) => rows.map((row) => row[c])),
    );
    const back = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(back).toHaveLength(3);
    expect(back[1]).toMatchObject({ id: 2, text: rows[1]?.[1], score: null, ok: false });
    expect(back[2]?.big).toBe(BigInt(2 ** 40));
  });
  it('makes TSV rows and file names', () => {
    expect(toTsvRow([1, 'a\tb\nc', null])).toBe('1\ta b c\t');
    expect(exportFileName('SELECT * FROM tweets WHERE x', 'csv')).toBe('tweets.csv');
    expect(exportFileName('SELECT 1', 'json')).toBe('result.json');
  });
});

describe('share links', () => {
  it('round-trips SQL with unicode through deflate-raw and base64url', async () => {
    const sql = "-- @ parallel: 4\nSELECT text ALIGNS 'café 🍞' FROM tweets WHERE text MEANS 'x'";
    const hash = await encodeShare(sql);
    expect(hash).toMatch(/^sql=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(`#${hash}`)).toBe(sql);
  });
  it('gives null for a missing or damaged hash', async () => {
    expect(await decodeShare('#other=1')).toBeNull();
    expect(await decodeShare('#sql=!!!')).toBeNull();
  });
});

function call(start: number, end: number, status: CallRecord['status'] = 'ok'): CallRecord {
  return {
    query_id: 'q',
    operator: 'aligns',
    model: 'mock-1',
    started_at: start,
    ended_at: end,
    duration_ms: end - start,
    status,
    attempts: 1,
    input_tokens: 1,
    output_tokens: 1,
    cost_usd: 0,
    error: null,
    answers: 1,
    rows_in_request: 1,
  };
}

describe('timeline layout', () => {
  it('stacks overlapping calls in lanes and reuses a lane once it is free', () => {
    const layout = layoutTimeline([call(1000, 1400), call(1010, 1300), call(1300, 1500), call(1420, 1600, 'error')]);
    expect(layout.bars.map((b) => b.lane)).toEqual([0, 1, 1, 0]);
    expect(layout.lanes).toBe(2);
    expect(layout.maxConcurrency).toBe(2);
    expect(layout.span).toBe(600);
    expect(layout.counts).toMatchObject({ ok: 3, error: 1 });
  });
  it('has round ticks', () => {
    expect(timeTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(layoutTimeline([]).bars).toEqual([]);
  });
});

describe('grid helpers', () => {
  it('renders only the visible window plus overscan', () => {
    expect(visibleRange(0, 280, 28, 100_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(28 * 99_990, 280, 28, 100_000, 5)).toEqual({ start: 99_985, end: 100_000 });
  });
  it('sorts by index with NULLs last, numbers numerically', () => {
    const rows = [[3], [null], [10], [1]];
    expect([...(sortedOrder(rows, { column: 0, direction: 'asc' }) ?? [])]).toEqual([3, 0, 2, 1]);
    expect([...(sortedOrder(rows, { column: 0, direction: 'desc' }) ?? [])]).toEqual([2, 0, 3, 1]);
    expect(nextSort(null, 1)).toEqual({ column: 1, direction: 'asc' });
    expect(nextSort({ column: 1, direction: 'desc' }, 1)).toBeNull();
  });
  it('sizes columns within bounds', () => {
    const widths = columnWidths(['id', 'text'], ['INTEGER', 'VARCHAR'], [['1', 'x'.repeat(500)]]);
    expect(widths[0]).toBeGreaterThanOrEqual(72);
    expect(widths[1]).toBeLessThanOrEqual(420);
  });
  it('formats cells as text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText({ a: 1n })).toBe('{"a":"1"}');
    expect(cellDisplay(0.123456789)).toBe('0.1235');
    expect(formatDuration(1234)).toBe('1.23 s');
  });
});

describe('run metrics', () => {
  it("shows the engine's estimate of the time left, and none when there is none", () => {
    const p = {
      queryId: 'q',
      phase: 'resolving' as const,
      pass: 1,
      queued: 10,
      inFlight: 5,
      done: 5,
      cached: 0,
      failed: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      elapsedMs: 1000,
      etaMs: 4200,
    };
    const m = runMetrics(p);
    expect(m.total).toBe(20);
    expect(m.fraction).toBe(0.25);
    expect(m.etaMs).toBe(4200);
    expect(runMetrics({ ...p, etaMs: null }).etaMs).toBeNull();
    expect(runMetrics({ ...p, queued: 0, inFlight: 0, etaMs: null }).etaMs).toBe(0);
  });
});

describe('names and operator forms', () => {
  it('derives table names from file names and URLs', () => {
    expect(tableNameFor('My Sales (2024).csv')).toBe('my_sales_2024');
    expect(tableNameFor('2024.parquet')).toBe('t_2024');
    expect(tableNameFor('tweets.csv', ['tweets'])).toBe('tweets_2');
    expect(tableNameFor('My Tweets (2024).csv')).toBe('my_tweets_2024');
    expect(tableNameFor('https://x.org/data/2024.parquet?x=1')).toBe('t_2024');
    expect(tableNameFor('.csv')).toBe('data');
    expect(
      starterQuery('tweets', [
        { name: 'id', type: 'BIGINT' },
        { name: 'text', type: 'VARCHAR' },
      ]),
    ).toContain("-- WHERE text MEANS 'your criterion'");
  });
  it('generates CREATE SEMANTIC FUNCTION that the parser accepts', () => {
    const sql = draftSql(
      { name: 'refutes', args: 'claim, evidence', returns: 'BOOLEAN', prompt: "Does {{evidence}} refute {{claim}}? It's yes/no.", infix: 'refutes' },
      true,
    );
    const [statement] = parseScript(sql, { registry: createRegistry() });
    expect(statement?.kind).toBe('create_function');
    if (statement?.kind === 'create_function') {
      expect(statement.definition).toMatchObject({
        name: 'refutes',
        returns: 'BOOLEAN',
        prompt: "Does {{evidence}} refute {{claim}}? It's yes/no.",
        infix: 'REFUTES',
      });
    }
    expect(draftProblems({ name: '1x', args: '', returns: 'VARCHAR', prompt: '{{y}}', infix: '' })).toMatchObject({
      name: expect.any(String),
      args: expect.any(String),
    });
  });
  it('fills the form from an operator and lists its words', () => {
    const op: OperatorInfo = {
      name: 'refutes',
      spellings: { infix: [['REFUTES']], functions: ['refutes', 'semantic_refutes'] },
      args: [
        { name: 'claim', type: 'VARCHAR', optional: false },
        { name: 'evidence', type: 'VARCHAR', optional: false },
      ],
      returns: 'BOOLEAN',
      shape: 'scalar',
      answeredBy: 'model',
      builtin: false,
      example: '',
      description: '',
      prompt: 'p',
    };
    expect(draftFromOperator(op)).toEqual({ name: 'refutes', args: 'claim, evidence', returns: 'BOOLEAN', prompt: 'p', infix: 'REFUTES' });
    expect(operatorWords([op])).toEqual({ infix: ['refutes'], functions: ['refutes', 'semantic_refutes'] });
  });
});
