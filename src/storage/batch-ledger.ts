import { createStore, del, delMany, getMany, set, setMany, values, type UseStore } from 'idb-keyval';
import type { BatchLedger, BatchRecord } from '../protocol/batches';
import type { StorageScope } from '../protocol/duckdb-worker-api';
import { scopedDatabase } from './scope';

/**
 * The ledger of Message Batches not yet settled, in IndexedDB: one store of records, and one of the
 * row keys each pending batch holds, so a query in any tab can ask "is this input already in a
 * batch?" without reading every record (a batch can hold 100,000 requests).
 */
export function batchLedgerFor(scope: StorageScope): BatchLedger {
  return idbLedger(createStore(scopedDatabase('semsql-batches', scope), 'batches'), createStore(scopedDatabase('semsql-batch-keys', scope), 'keys'));
}

export function idbLedger(records: UseStore, keys: UseStore): BatchLedger {
  const keysOf = (record: BatchRecord) => record.items.flatMap((item) => item.request.rows.map((row) => row.key));
  /** Records whose keys this ledger has indexed: a record is put again on every status change. */
  const indexed = new Set<string>();
  return {
    async put(record) {
      await set(record.localId, record, records);
      if (indexed.has(record.localId)) return;
      await setMany(
        keysOf(record).map((key) => [key, record.localId]),
        keys,
      );
      indexed.add(record.localId);
    },
    async list() {
      return values<BatchRecord>(records);
    },
    async remove(localId) {
      const record = (await getMany<BatchRecord>([localId], records))[0];
      if (record) await delMany(keysOf(record), keys);
      await del(localId, records);
      indexed.delete(localId);
    },
    async holding(wanted) {
      const found = await getMany<string | undefined>([...wanted], keys);
      const out = new Map<string, string>();
      wanted.forEach((key, i) => {
        const localId = found[i];
        if (localId) out.set(key, localId);
      });
      return out;
    },
  };
}
