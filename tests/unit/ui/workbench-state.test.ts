import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../src/protocol/call-log';
import type { OperatorInfo } from '../../../src/protocol/duckdb-worker-api';
import { exportOperators, importOperators } from '../../../src/sql';
import { userDefinition } from '../../../src/ui/lib/operator-sql';
import { failedCallsSql, resultState } from '../../../src/ui/lib/result-state';
import { nextTabTitle, readSavedTabs, writeSavedTabs, type TabStorage } from '../../../src/ui/lib/saved-tabs';

function call(status: CallRecord['status'], error: string | null = null): CallRecord {
  return {
    query_id: 'q1',
    operator: 'matches',
    model: 'm',
    started_at: 0,
    ended_at: 1,
    duration_ms: 1,
    status,
    attempts: 1,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
    error,
    answers: 1,
    rows_in_request: 1,
  };
}

describe('result states (issue 18: failures never look like success)', () => {
  it('is DONE only when no input failed', () => {
    expect(resultState({ kind: 'ok', errors: 0 }, [call('ok'), call('cached')])).toEqual({ kind: 'done', label: 'Done', errors: 0, firstReason: null });
  });

  it('is DONE WITH ERRORS with the count and the first reason when inputs failed', () => {
    const state = resultState({ kind: 'ok', errors: 3 }, [call('ok'), call('error', 'HTTP 500: overloaded'), call('error', 'timeout')]);
    expect(state).toEqual({ kind: 'done-with-errors', label: 'Done with errors', errors: 3, firstReason: 'HTTP 500: overloaded' });
  });

  it('counts failed calls even when the stats missed them, and has no reason when none was logged', () => {
    expect(resultState({ kind: 'ok', errors: 0 }, [call('error')])).toMatchObject({ kind: 'done-with-errors', errors: 1, firstReason: null });
  });

  it('is FAILED with the first line of the error, and CANCELLED', () => {
    expect(resultState({ kind: 'error', message: 'the model endpoint rejected the API key (401)\nLINE 1: …' }, [])).toMatchObject({
      kind: 'failed',
      firstReason: 'the model endpoint rejected the API key (401)',
    });
    expect(resultState({ kind: 'cancelled' }, [call('cancelled')])).toMatchObject({ kind: 'cancelled', label: 'Cancelled' });
  });

  it('links to the failed rows of semantic_calls with the query id quoted', () => {
    const sql = failedCallsSql("q1'x");
    expect(sql).toContain("WHERE query_id = 'q1''x' AND status = 'error'");
    expect(sql).toContain('FROM semantic_calls');
  });
});

function memoryStorage(): TabStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('query tabs kept across reloads', () => {
  it('round-trips tabs and the active one', () => {
    const storage = memoryStorage();
    const saved = {
      tabs: [
        { id: 'a', title: 'Query 1', sql: 'SELECT 1' },
        { id: 'b', title: 'Mine', sql: 'SELECT 2' },
      ],
      active: 'b',
    };
    writeSavedTabs(storage, saved);
    expect(readSavedTabs(storage)).toEqual(saved);
  });

  it('turns the one-editor draft of earlier versions into the first tab, once', () => {
    const storage = memoryStorage();
    storage.setItem('semsql-draft', 'SELECT draft');
    const read = readSavedTabs(storage);
    expect(read?.tabs.map((t) => t.sql)).toEqual(['SELECT draft']);
    writeSavedTabs(storage, read!);
    expect(storage.map.has('semsql-draft')).toBe(false);
  });

  it('ignores what does not read back as tabs', () => {
    const storage = memoryStorage();
    for (const bad of [
      '{',
      '{"tabs":[],"active":"x"}',
      '{"tabs":[{"id":"a","title":"t","sql":1}],"active":"a"}',
      '{"tabs":[{"id":"a","title":"t","sql":""}],"active":"b"}',
    ]) {
      storage.setItem('semsql-tabs', bad);
      expect(readSavedTabs(storage)).toBeNull();
    }
    expect(readSavedTabs(null)).toBeNull();
  });

  it('names new tabs with the lowest free number', () => {
    expect(nextTabTitle(['Query 1', 'Query 3', 'Mine'])).toBe('Query 2');
    expect(nextTabTitle([])).toBe('Query 1');
  });
});

describe('operator export from the Operators panel', () => {
  it('turns a user operator into the definition src/sql exports, postfix form, shape and examples included', () => {
    const op: OperatorInfo = {
      name: 'tidy',
      spellings: { infix: [], postfix: [['TIDIED']], functions: ['tidy'] },
      args: [{ name: 'text', type: 'VARCHAR', optional: false }],
      returns: 'VARCHAR',
      shape: 'aggregate',
      answeredBy: 'model',
      builtin: false,
      example: 'SELECT tidy(text) FROM t',
      examples: [{ sql: 'SELECT tidy(text) FROM t' }],
      description: 'tidies',
      prompt: 'Tidy {{text}}',
    };
    const def = userDefinition(op);
    expect(def).toEqual({
      name: 'tidy',
      args: [{ name: 'text', type: 'VARCHAR' }],
      returns: 'VARCHAR',
      prompt: 'Tidy {{text}}',
      postfix: 'TIDIED',
      shape: 'aggregate',
      description: 'tidies',
      examples: [{ sql: 'SELECT tidy(text) FROM t' }],
    });
    expect(importOperators(exportOperators([def]))).toEqual([def]);
  });
});
