import type { UseStore } from 'idb-keyval';
import { describe, expect, test } from 'vitest';
import { keyStore, memoryKeyStore, type KeyStore } from '../../../../src/storage/key-store';

/**
 * An in-memory stand-in for an idb-keyval store: just enough of IDBObjectStore (get, put, delete)
 * with requests that succeed on the next microtask, as IndexedDB's do.
 */
function fakeIdbStore(): { store: UseStore; data: Map<IDBValidKey, unknown> } {
  const data = new Map<IDBValidKey, unknown>();
  const request = (result: unknown) => {
    const req: { result: unknown; onsuccess?: () => void; oncomplete?: () => void } = { result };
    queueMicrotask(() => req.onsuccess?.());
    return req;
  };
  const objectStore = {
    get: (key: IDBValidKey) => request(data.get(key)),
    put: (value: unknown, key: IDBValidKey) => {
      data.set(key, value);
      return request(key);
    },
    delete: (key: IDBValidKey) => {
      data.delete(key);
      return request(undefined);
    },
    // idb-keyval's set/del return the transaction's promise: a fake transaction that completes at once.
    transaction: {
      set oncomplete(fn: () => void) {
        queueMicrotask(fn);
      },
    },
  };
  const store: UseStore = async (_mode, callback) => callback(objectStore as unknown as IDBObjectStore);
  return { store, data };
}

async function roundTrip(keys: KeyStore) {
  expect(await keys.get()).toBeUndefined();
  await keys.set('  sk-ant-abc-123  ');
  expect(await keys.get()).toBe('sk-ant-abc-123');
  await keys.set('   ');
  expect(await keys.get()).toBeUndefined();
  await keys.set('sk-ant-def-456');
  await keys.forget();
  expect(await keys.get()).toBeUndefined();
}

describe('key store', () => {
  test('memory: set trims, blank forgets, forget forgets', async () => {
    await roundTrip(memoryKeyStore());
    expect(await memoryKeyStore('sk-ant-x').get()).toBe('sk-ant-x');
  });

  test('idb-keyval: the same contract over a store, under one entry', async () => {
    const { store, data } = fakeIdbStore();
    const keys = keyStore(store);
    await keys.set('sk-ant-abc-123');
    expect([...data.entries()]).toEqual([['anthropic', 'sk-ant-abc-123']]);
    await keys.forget();
    await roundTrip(keys);
  });

  test('importing and creating the default store opens no database (Node has no IndexedDB)', () => {
    expect(() => keyStore()).not.toThrow();
  });
});
