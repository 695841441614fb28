import type { BatchApi, BatchItem, BatchLedger, BatchRecord } from '../../protocol/batches';
import type { ModelRequest } from '../../protocol/model';
import type { CallOutcome } from '../../protocol/model-calls';
import { followBatch, rowOutcomes } from '../batch/follow-batch';
import { userMessage } from '../prompt';
import { ProviderError } from '../provider';
import { mergeRows } from './batching';
import type { LaneHooks } from './direct-lane';
import type { Price } from './planner';

/**
 * A session's Message Batches (`-- @ mode: batch`, issue 16): the rows it submits are gathered, put
 * the plan's rows per request to a request as in direct mode, and sent as Message Batches (at most
 * 100,000 requests and about 256 MB each). Each batch is written to the ledger before it is created
 * and removed once its answers are settled, so a reload or a closed tab loses nothing and a resumed
 * batch is never sent again (src/llm/batch/batch-keeper.ts finishes what a session leaves). A
 * cancelled query cancels its batches; what the provider had already answered is still stored,
 * since it is paid for.
 */

export interface BatchDeps {
  api: BatchApi;
  ledger: BatchLedger;
  /** A batch its query stopped following (the query was cancelled): its answers must still be stored. */
  onAbandon(record: BatchRecord): void;
  /** A batch ended `ms` after it was submitted: the plan's turnaround learns from it. */
  onTurnaround?(ms: number): void;
  price: Price;
  /** Epoch ms. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The API's limits per batch, with room under the size for the JSON around each request. */
const MAX_ITEMS = 100_000;
const MAX_BYTES = 200 * 1024 * 1024;

interface Pending {
  request: ModelRequest;
  startedAt: number;
  settled: boolean;
  resolve(outcome: CallOutcome): void;
}

interface Request {
  request: ModelRequest;
  rows: Pending[];
}

export class BatchLane {
  readonly #deps: BatchDeps;
  readonly #hooks: LaneHooks;
  readonly #now: () => number;
  /** Rows gathered by task, until the plan that covers them has all of its rows. */
  readonly #gathered = new Map<string, Pending[]>();
  #flushQueued = false;
  #records: BatchRecord[] = [];
  /** Rows sent in a batch and not settled yet. */
  readonly #unsettled = new Set<Pending>();
  #sequence = 0;

  constructor(deps: BatchDeps, hooks: LaneHooks) {
    this.#deps = deps;
    this.#hooks = hooks;
    this.#now = deps.now ?? Date.now;
  }

  /** What is left of the batches' turnaround, from the oldest one still pending; null when none is. */
  etaMs(turnaroundMs: number): number | null {
    let oldest = Infinity;
    for (const p of this.#unsettled) oldest = Math.min(oldest, p.startedAt);
    if (oldest === Infinity) return this.#gathered.size > 0 ? turnaroundMs : null;
    return Math.max(0, Math.round(turnaroundMs - (this.#now() - oldest)));
  }

  /** A row of `task` (its key): gathered with the task's others until the plan lets them go. */
  submit(request: ModelRequest, task: string, resolve: (outcome: CallOutcome) => void): void {
    const pending: Pending = { request, startedAt: 0, settled: false, resolve };
    const list = this.#gathered.get(task);
    if (list) list.push(pending);
    else this.#gathered.set(task, [pending]);
    this.wake();
  }

  /** Sends, after the current task, every task no followed plan still holds. */
  wake(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      void this.#flush();
    });
  }

  /** The query stopped: its rows settle as cancelled, its batches are cancelled and handed on. */
  drain(): void {
    const cancelled = new ProviderError({ kind: 'cancelled', message: 'the query ended' });
    for (const rows of this.#gathered.values()) for (const p of rows) this.#settle(p, 'cancelled', { error: cancelled });
    this.#gathered.clear();
    for (const record of this.#records.splice(0)) {
      record.cancelRequested = true;
      void this.#deps.ledger.put(record).catch(() => undefined);
      void this.#deps.api.cancel(record.id).catch(() => undefined);
      this.#deps.onAbandon(record);
    }
    // Their rows settle now: the query is over for them.
    const message = 'the query was cancelled; its batch was cancelled too, and what the provider had answered is still stored';
    for (const p of [...this.#unsettled]) this.#settle(p, 'cancelled', { error: new ProviderError({ kind: 'cancelled', message }) });
  }

  /** Sends what was gathered and is not held: requests of the plan's rows, in batches within the API's limits. */
  async #flush(): Promise<void> {
    const requests: Request[] = [];
    for (const [task, rows] of this.#gathered) {
      if (this.#hooks.held(task)) continue;
      this.#gathered.delete(task);
      const sample = mergeRows(rows.slice(0, 200).map((p) => p.request));
      const b = this.#hooks.rowsPerRequest(task, sample, rows.length);
      for (let i = 0; i < rows.length; i += b) {
        const chunk = rows.slice(i, i + b);
        requests.push({ request: mergeRows(chunk.map((p) => p.request)), rows: chunk });
      }
    }
    if (requests.length === 0) return;
    const { budget } = this.#hooks;
    if (!budget.take(requests.length)) {
      const error = new ProviderError({ kind: 'budget', message: budget.refusal(requests.length) });
      for (const { rows } of requests) for (const p of rows) this.#settle(p, 'error', { error });
      return;
    }
    await Promise.all(chunks(requests).map((chunk) => this.#run(chunk)));
  }

  /** One batch: recorded, created, followed to its end, its rows settled, its record removed. */
  async #run(requests: Request[]): Promise<void> {
    const items: BatchItem[] = requests.map((r, i) => ({ customId: `r${i + 1}`, request: r.request }));
    const record = this.#record(items);
    const members = requests.flatMap((r) => r.rows);
    for (const p of members) {
      p.startedAt = this.#now();
      this.#unsettled.add(p);
      this.#hooks.options.onStart?.(p.request);
    }
    if (!(await this.#create(record, members))) return;
    let results;
    try {
      results = await followBatch(this.#deps.api, record.id, items, {
        signal: this.#hooks.signal,
        ...(this.#deps.sleep ? { sleep: this.#deps.sleep } : {}),
        onStatus: (status) => {
          record.status = status;
          this.#hooks.options.onBatchStatus?.(status);
          void this.#deps.ledger.put(record).catch(() => undefined);
        },
      });
    } catch (thrown) {
      // Cancelled: drain() has settled the rows and handed the batch on.
      if (this.#hooks.signal.aborted) return;
      const error = thrown instanceof ProviderError ? thrown : new ProviderError({ kind: 'network', message: String(thrown) });
      for (const p of members) this.#settle(p, 'error', { error });
      this.#deps.onAbandon(record);
      return;
    }
    this.#deps.onTurnaround?.(this.#now() - record.submittedAt);
    this.#settleResults(requests, items, results);
    this.#records = this.#records.filter((r) => r !== record);
    await this.#deps.ledger.remove(record.localId).catch(() => undefined);
  }

  #record(items: BatchItem[]): BatchRecord {
    const batchOf = this.#hooks.options.batchOf ?? { provider: '', queryId: 'query', sql: '' };
    return {
      id: '',
      localId: `${batchOf.queryId}-${++this.#sequence}-${Math.random().toString(36).slice(2, 8)}`,
      provider: batchOf.provider,
      queryId: batchOf.queryId,
      sql: batchOf.sql,
      submittedAt: this.#now(),
      items,
    };
  }

  /** Records the batch, then creates it: a crash after the create still finds it (by its time and size). */
  async #create(record: BatchRecord, members: Pending[]): Promise<boolean> {
    const { api, ledger } = this.#deps;
    try {
      await ledger.put(record);
      const status = await api.submit(record.items);
      record.id = status.id;
      record.status = status;
      this.#hooks.options.onBatchStatus?.(status);
      await ledger.put(record);
      this.#records.push(record);
      return true;
    } catch (thrown) {
      await ledger.remove(record.localId).catch(() => undefined);
      const error = thrown instanceof ProviderError ? thrown : new ProviderError({ kind: 'network', message: String(thrown) });
      for (const p of members) this.#settle(p, 'error', { error });
      // A batch that cannot be created is not a row's problem: the session stops with its reason.
      this.#hooks.stop(error);
      return false;
    }
  }

  #settleResults(requests: Request[], items: BatchItem[], results: Awaited<ReturnType<typeof followBatch>>): void {
    const byId = new Map(results.map((r) => [r.customId, r]));
    requests.forEach((r, i) => {
      const outcomes = rowOutcomes(items[i] as BatchItem, byId.get(`r${i + 1}`));
      r.rows.forEach((p, j) => {
        const o = outcomes[j];
        if (!o) return;
        if (o.ok) this.#settle(p, 'ok', { value: o.value ?? null, usage: o.usage, rowsInRequest: o.rowsInRequest });
        else
          this.#settle(p, o.error?.kind === 'cancelled' ? 'cancelled' : 'error', {
            error: new ProviderError(o.error ?? { kind: 'malformed', message: 'no answer' }),
            usage: o.usage,
            rowsInRequest: o.rowsInRequest,
          });
      });
    });
  }

  #settle(
    p: Pending,
    status: CallOutcome['status'],
    extra: { value?: CallOutcome['value']; error?: ProviderError; usage?: CallOutcome['usage']; rowsInRequest?: number },
  ): void {
    if (p.settled) return;
    p.settled = true;
    this.#unsettled.delete(p);
    const usage = extra.usage ?? { inputTokens: 0, outputTokens: 0 };
    const outcome: CallOutcome = {
      request: p.request,
      status,
      usage,
      costUsd: this.#deps.price(p.request.model, usage, true),
      attempts: p.startedAt === 0 ? 0 : 1,
      rowsInRequest: extra.rowsInRequest ?? 0,
      startedAt: p.startedAt,
      endedAt: this.#now(),
      billing: 'batch',
      ...(extra.value !== undefined ? { value: extra.value } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    };
    this.#hooks.settle(outcome, p.resolve, p.startedAt !== 0);
  }
}

/** Requests split into batches of at most MAX_ITEMS and about MAX_BYTES. */
function chunks(requests: Request[]): Request[][] {
  const out: Request[][] = [];
  let current: Request[] = [];
  let bytes = 0;
  for (const r of requests) {
    // The prompt and about 2 KB of system prompt, tool and JSON around it.
    const size = userMessage(r.request).length * 2 + 2_048;
    if (current.length > 0 && (current.length >= MAX_ITEMS || bytes + size > MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
