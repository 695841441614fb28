import type { ModelAnswer, ModelRequest, ProviderErrorInfo } from './model';

/**
 * Message Batches (issue 16, `-- @ mode: batch`): a query's requests submitted together to the
 * provider's batch API, at half the price, answered within hours instead of seconds. Types only:
 * they cross from the DuckDB worker to the model workers, and to the page for the pending-batch
 * view.
 */

/** One request of a batch: the id the provider's results name it by, and the request. */
export interface BatchItem {
  customId: string;
  request: ModelRequest;
}

export interface BatchCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

export interface BatchStatus {
  id: string;
  state: 'in_progress' | 'canceling' | 'ended';
  counts: BatchCounts;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  endedAt?: number;
}

/** One request's outcome: its answer (rows checked one by one), or why there is none. */
export type BatchResult = { customId: string; ok: true; answer: ModelAnswer } | { customId: string; ok: false; error: ProviderErrorInfo };

/** What the model worker's provider offers for batches (the mock has none). */
export interface BatchApi {
  submit(items: readonly BatchItem[]): Promise<BatchStatus>;
  status(id: string): Promise<BatchStatus>;
  /** Each item's result, once the batch has ended; an item the provider does not mention is left out. */
  results(id: string, items: readonly BatchItem[]): Promise<BatchResult[]>;
  cancel(id: string): Promise<BatchStatus>;
  /** Batches created since `sinceMs` (epoch), newest first: to find one whose id was never recorded. */
  recent(sinceMs: number): Promise<BatchStatus[]>;
}

/**
 * A batch as the ledger keeps it (IndexedDB, per storage scope), from before it is submitted until
 * its answers are stored: what makes a reload or a closed tab lose nothing and pay nothing twice.
 */
export interface BatchRecord {
  /** The provider's batch id; empty while the create call is under way. */
  id: string;
  /** Ledger key: known before the provider's id is. */
  localId: string;
  /** The provider connection (src/engine's providerIdentity): answers are cached under it. */
  provider: string;
  queryId: string;
  /** The statement, to run again once the answers are in. */
  sql: string;
  /** Epoch ms when the create call was made. */
  submittedAt: number;
  items: BatchItem[];
  status?: BatchStatus;
  /** The user asked to cancel it. */
  cancelRequested?: boolean;
}

/** Where batch records live (src/storage/batch-ledger.ts in the DuckDB worker). */
export interface BatchLedger {
  put(record: BatchRecord): Promise<void>;
  list(): Promise<BatchRecord[]>;
  remove(localId: string): Promise<void>;
  /** The local ids of pending batches holding these row keys, by key. */
  holding(keys: readonly string[]): Promise<Map<string, string>>;
}

/** A pending batch as the page shows it. */
export interface PendingBatch {
  id: string;
  localId: string;
  queryId: string;
  sql: string;
  model: string;
  submittedAt: number;
  requests: number;
  rows: number;
  status?: BatchStatus;
  /** Estimated cost at the batch price. */
  costUsd: number;
  cancelRequested: boolean;
}
