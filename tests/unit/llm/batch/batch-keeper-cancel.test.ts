import { expect, test } from 'vitest';
import { AnswerCache } from '../../../../src/cache/answer-cache';
import { BatchKeeper } from '../../../../src/llm/batch/batch-keeper';
import type { BatchApi, BatchLedger, BatchRecord, BatchStatus } from '../../../../src/protocol/batches';

/**
 * A cancel from the pending list for a batch whose create was still answering when the page
 * reloaded (its ledger record has no id yet): the batch is found at the provider and cancelled,
 * not followed to its end and paid in full. Through the batch proxy (issue 29) the create answers
 * a hop later, which made this window easy to hit.
 */
test('cancelling a pending batch whose id was never recorded finds it and cancels it at the provider', async () => {
  const now = Date.now();
  const status = (state: BatchStatus['state']): BatchStatus => ({
    id: 'msgbatch_1',
    state,
    counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    createdAt: now,
    expiresAt: now + 86_400_000,
  });
  const cancelled: string[] = [];
  const api: BatchApi = {
    submit: async () => status('in_progress'),
    status: () => new Promise(() => {}),
    results: async () => [],
    cancel: async (id) => (cancelled.push(id), status('canceling')),
    recent: async () => [status('in_progress')],
  };
  const records = new Map<string, BatchRecord>();
  const ledger: BatchLedger = {
    put: async (r) => void records.set(r.localId, structuredClone(r)),
    list: async () => [...records.values()].map((r) => structuredClone(r)),
    remove: async (id) => void records.delete(id),
    holding: async () => new Map(),
  };
  const request = {
    operator: 'matches',
    returns: 'BOOLEAN' as const,
    grouped: false,
    template: '',
    fields: [],
    rows: [{ key: 'k', args: ['a'] }],
    instructions: [],
    outputSchema: {},
    model: 'm',
    temperature: 0,
  };
  await ledger.put({ id: '', localId: 'local-1', provider: 'p', queryId: 'q', sql: 'SELECT 1', submittedAt: now, items: [{ customId: 'c1', request }] });
  const keeper = new BatchKeeper({ ledger, api, cache: new AnswerCache(null), log: { call: () => {}, query: () => {} }, price: () => 0, provider: () => 'p' });
  await keeper.cancel('local-1');
  expect(cancelled).toEqual(['msgbatch_1']);
  expect(records.get('local-1')).toMatchObject({ id: 'msgbatch_1', cancelRequested: true });
  keeper.stop();
});
