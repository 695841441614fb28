import type { BatchApi, BatchItem, BatchLedger, BatchRecord, PendingBatch } from '../../protocol/batches';
import { callRecord, type CallLogSink } from '../../protocol/call-log';
import type { AnswerStore } from '../../protocol/model-calls';
import type { Price } from '../scheduler/planner';
import { followBatch, rowOutcomes, type BatchRowOutcome } from './follow-batch';

/**
 * Finishes Message Batches no query is following any more: those left by a reload or a closed tab
 * (found in the ledger at start), and those whose query was cancelled. It follows each to its end,
 * stores every answer in the cache (paid for, at the batch price) and logs it, then removes the
 * record. While a batch is pending, its inputs are not asked again: a query that meets one waits
 * for it (`held`), so a reload never pays twice.
 */

export interface KeeperDeps {
  ledger: BatchLedger;
  api: BatchApi;
  cache: AnswerStore;
  log: CallLogSink;
  price: Price;
  /** The provider connection now: batches of another one cannot be followed through this API. */
  provider(): string;
  onChange?(): void;
  /** A batch could not be finished now (it stays in the ledger and is tried again later). */
  onError?(message: string): void;
  /** Epoch ms. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A record without a provider id that old was never created: the create call would have answered by now. */
const LOST_SUBMISSION_MS = 10 * 60_000;

export class BatchKeeper {
  readonly #deps: KeeperDeps;
  readonly #following = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();
  readonly #now: () => number;

  constructor(deps: KeeperDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Follows every batch in the ledger of the current provider. */
  async resume(): Promise<void> {
    for (const record of await this.#deps.ledger.list()) if (record.provider === this.#deps.provider()) void this.adopt(record);
  }

  /** Follows `record` to its end, once however often it is handed over. */
  adopt(record: BatchRecord): Promise<void> {
    let running = this.#following.get(record.localId);
    if (!running) {
      running = this.#finish(record)
        .catch((error: unknown) => this.#deps.onError?.(`Message Batch ${record.id || record.localId}: ${(error as Error).message}`))
        .finally(() => {
          this.#following.delete(record.localId);
          this.#deps.onChange?.();
        });
      this.#following.set(record.localId, running);
      this.#deps.onChange?.();
    }
    return running;
  }

  /** For inputs held by a pending batch: a promise that settles when that batch's answers are stored. */
  async held(keys: readonly string[]): Promise<Map<string, Promise<void>>> {
    const holding = await this.#deps.ledger.holding(keys);
    if (holding.size === 0) return new Map();
    const records = new Map((await this.#deps.ledger.list()).map((r) => [r.localId, r]));
    const out = new Map<string, Promise<void>>();
    for (const [key, localId] of holding) {
      const record = records.get(localId);
      if (record && record.provider === this.#deps.provider()) out.set(key, this.adopt(record));
    }
    return out;
  }

  async list(): Promise<PendingBatch[]> {
    const records = await this.#deps.ledger.list();
    return records.map((r) => ({
      id: r.id,
      localId: r.localId,
      queryId: r.queryId,
      sql: r.sql,
      model: r.items[0]?.request.model ?? '',
      submittedAt: r.submittedAt,
      requests: r.items.length,
      rows: r.items.reduce((n, item) => n + item.request.rows.length, 0),
      ...(r.status ? { status: r.status } : {}),
      costUsd: estimateCost(r, this.#deps.price),
      cancelRequested: r.cancelRequested === true,
    }));
  }

  /** Cancels a pending batch at the provider; what it had answered is still stored. */
  async cancel(localId: string): Promise<void> {
    const record = (await this.#deps.ledger.list()).find((r) => r.localId === localId);
    if (!record) return;
    record.cancelRequested = true;
    await this.#deps.ledger.put(record);
    // A record whose create was still answering when the page reloaded has no id yet: find its
    // batch first, or the cancel would be lost and the batch paid in full.
    const id = record.id || (await this.#recover(record));
    if (id) await this.#deps.api.cancel(id);
    void this.adopt(record);
  }

  stop(): void {
    this.#stop.abort();
  }

  async #finish(record: BatchRecord): Promise<void> {
    const id = record.id || (await this.#recover(record));
    if (!id) return;
    const results = await followBatch(this.#deps.api, id, record.items, {
      signal: this.#stop.signal,
      ...(this.#deps.sleep ? { sleep: this.#deps.sleep } : {}),
      onStatus: (status) => {
        record.status = status;
        void this.#deps.ledger.put(record).catch(() => undefined);
        this.#deps.onChange?.();
      },
    });
    const byId = new Map(results.map((r) => [r.customId, r]));
    for (const item of record.items) for (const outcome of rowOutcomes(item, byId.get(item.customId))) this.#store(record, item, outcome);
    await this.#deps.cache.flush();
    await this.#deps.ledger.remove(record.localId);
  }

  /**
   * A record whose create call never came back with an id (the tab closed while it ran): the batch
   * made from it, found by its time and size, or none. Until the create could still be answering,
   * the record stays, and its inputs with it.
   */
  async #recover(record: BatchRecord): Promise<string | null> {
    const recent = await this.#deps.api.recent(record.submittedAt - 60_000);
    const match = recent.find((b) => b.createdAt >= record.submittedAt - 5_000 && total(b.counts) === record.items.length);
    if (match) {
      record.id = match.id;
      record.status = match;
      await this.#deps.ledger.put(record);
      return match.id;
    }
    if (this.#now() - record.submittedAt > LOST_SUBMISSION_MS) await this.#deps.ledger.remove(record.localId);
    return null;
  }

  #store(record: BatchRecord, item: BatchItem, outcome: BatchRowOutcome): void {
    const { request } = item;
    if (outcome.ok && outcome.value !== undefined) {
      this.#deps.cache.put(
        outcome.key,
        { value: outcome.value, inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens },
        record.queryId,
      );
    }
    const at = this.#now();
    this.#deps.log.call(
      callRecord(record.queryId, {
        request: { ...request, rows: request.rows.filter((row) => row.key === outcome.key) },
        status: outcome.ok ? 'ok' : outcome.error?.kind === 'cancelled' ? 'cancelled' : 'error',
        usage: outcome.usage,
        costUsd: this.#deps.price(request.model, outcome.usage, true),
        attempts: 1,
        rowsInRequest: outcome.rowsInRequest,
        startedAt: record.submittedAt,
        endedAt: at,
        billing: 'batch',
        ...(outcome.error ? { error: outcome.error } : {}),
      }),
    );
  }
}

const total = (counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number }) =>
  counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;

/** A batch's cost at the batch price, from its prompts' token estimates and the typical answer sizes. */
function estimateCost(record: BatchRecord, price: Price): number {
  let input = 0;
  let output = 0;
  for (const item of record.items) {
    input += Math.ceil(JSON.stringify(item.request).length / 4);
    output += item.request.rows.length * 14;
  }
  return price(record.items[0]?.request.model ?? '', { inputTokens: input, outputTokens: output }, true);
}
