import type { BatchApi, BatchItem, BatchLedger, BatchRecord } from '../../protocol/batches';
import type { ModelRequest } from '../../protocol/model';
import type { CallOutcome, CallSession, SessionOptions } from '../../protocol/model-calls';
import { followBatch, rowOutcomes } from '../batch/follow-batch';
import { userMessage } from '../prompt';
import { ProviderError } from '../provider';
import { outputCap, overheadTokens, rowTokens } from '../request-size';
import { mergeRows, taskKey } from './batching';
import { AUTO_BATCH_CEILING, largestFitting } from './request-plan';
import type { Sizing } from './planner';

/**
 * A query's session in batch mode (`-- @ mode: batch`, issue 16): the rows it submits are gathered,
 * put B to a request as in direct mode, and sent as Message Batches (at most 100,000 requests and
 * about 256 MB each). Each batch is written to the ledger before it is created and removed once its
 * answers are settled, so a reload or a closed tab loses nothing and a resumed batch is never sent
 * again (src/engine/batch-keeper.ts finishes what a session leaves). A cancelled query cancels its
 * batches; what the provider had already answered is still stored, since it is paid for.
 */

export interface BatchDeps {
  api: BatchApi;
  ledger: BatchLedger;
  /** A batch its query stopped following (the query was cancelled): its answers must still be stored. */
  onAbandon(record: BatchRecord): void;
  /** Epoch ms. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The API's limits per batch, with room under the size for the JSON around each request. */
const MAX_ITEMS = 100_000;
const MAX_BYTES = 200 * 1024 * 1024;
/** Rows submitted within this long of each other go into the same batches (misses arrive a slice at a time). */
const GATHER_MS = 100;

interface Pending {
  request: ModelRequest;
  startedAt: number;
  settled: boolean;
  resolve(outcome: CallOutcome): void;
}

export class BatchSession implements CallSession {
  readonly #options: SessionOptions;
  readonly #deps: BatchDeps;
  readonly #maxTokensPerRow: number;
  readonly #contextTokens: number;
  readonly #now: () => number;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #gathered: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #attempts = 0;
  #fatal: ProviderError | null = null;
  #records: BatchRecord[] = [];
  /** Rows sent in a batch and not settled yet. */
  readonly #unsettled = new Set<Pending>();
  #sequence = 0;

  constructor(options: SessionOptions, deps: BatchDeps, sizing: Sizing) {
    this.#options = options;
    this.#deps = deps;
    this.#maxTokensPerRow = sizing.maxTokensPerRow;
    this.#contextTokens = sizing.contextTokens;
    this.#now = deps.now ?? Date.now;
    this.#signal = AbortSignal.any([options.signal, this.#stop.signal]);
    this.#signal.addEventListener('abort', () => this.#abandon(), { once: true });
  }

  get attempts(): number {
    return this.#attempts;
  }

  get fatal(): ProviderError | null {
    return this.#fatal;
  }

  /** A batch's time is the provider's (usually under an hour): there is no honest estimate to give. */
  etaMs(): number | null {
    return null;
  }

  submit(request: ModelRequest): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const pending: Pending = { request, startedAt: 0, settled: false, resolve };
      if (this.#signal.aborted) return this.#settle(pending, 'cancelled', { error: new ProviderError({ kind: 'cancelled', message: 'the query ended' }) });
      this.#gathered.push(pending);
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#flush(), GATHER_MS);
    });
  }

  close(): void {
    this.#stop.abort(new ProviderError({ kind: 'cancelled', message: 'the query ended' }));
  }

  /** Sends what was gathered: requests of B rows, in batches within the API's limits. */
  async #flush(): Promise<void> {
    this.#timer = null;
    const rows = this.#gathered;
    this.#gathered = [];
    const requests = this.#requests(rows);
    if (this.#attempts + requests.length > this.#options.budget) {
      const error = new ProviderError({
        kind: 'budget',
        message: `not sent: ${requests.length} batch requests would pass the query's budget of ${this.#options.budget} requests; raise it with "-- @ budget: N"`,
      });
      for (const { rows: members } of requests) for (const p of members) this.#settle(p, 'error', { error });
      return;
    }
    this.#attempts += requests.length;
    await Promise.all(this.#chunks(requests).map((chunk) => this.#run(chunk)));
  }

  /** Rows grouped by task, B to a request: as many as fit the context and the output allowance. */
  #requests(rows: Pending[]): { request: ModelRequest; rows: Pending[] }[] {
    const byTask = new Map<string, Pending[]>();
    for (const p of rows) {
      const key = taskKey(p.request);
      const list = byTask.get(key);
      if (list) list.push(p);
      else byTask.set(key, [p]);
    }
    const out: { request: ModelRequest; rows: Pending[] }[] = [];
    for (const members of byTask.values()) {
      const sample = mergeRows(members.slice(0, 200).map((p) => p.request));
      const meanRow = sample.rows.reduce((n, row) => n + rowTokens(sample, row), 0) / sample.rows.length;
      const fixed = this.#options.batch === 'auto' ? undefined : this.#options.batch;
      const b = fixed ?? largestFitting(
        { overheadTokens: overheadTokens(sample), rowTokens: meanRow, outputCap: (n) => outputCap(sample.returns, n, this.#maxTokensPerRow) },
        { limits: {}, maxBatch: AUTO_BATCH_CEILING, contextTokens: this.#contextTokens },
      );
      for (let i = 0; i < members.length; i += b) {
        const chunk = members.slice(i, i + b);
        out.push({ request: mergeRows(chunk.map((p) => p.request)), rows: chunk });
      }
    }
    return out;
  }

  /** Requests split into batches of at most MAX_ITEMS and about MAX_BYTES. */
  #chunks(requests: { request: ModelRequest; rows: Pending[] }[]): { request: ModelRequest; rows: Pending[] }[][] {
    const chunks: { request: ModelRequest; rows: Pending[] }[][] = [];
    let current: { request: ModelRequest; rows: Pending[] }[] = [];
    let bytes = 0;
    for (const r of requests) {
      // The prompt and about 2 KB of system prompt, tool and JSON around it.
      const size = userMessage(r.request).length * 2 + 2_048;
      if (current.length > 0 && (current.length >= MAX_ITEMS || bytes + size > MAX_BYTES)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(r);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /** One batch: recorded, created, followed to its end, its rows settled, its record removed. */
  async #run(requests: { request: ModelRequest; rows: Pending[] }[]): Promise<void> {
    const { api, ledger } = this.#deps;
    const batchOf = this.#options.batchOf as NonNullable<SessionOptions['batchOf']>;
    const items: BatchItem[] = requests.map((r, i) => ({ customId: `r${i + 1}`, request: r.request }));
    const record: BatchRecord = {
      id: '',
      localId: `${batchOf.queryId}-${++this.#sequence}-${Math.random().toString(36).slice(2, 8)}`,
      provider: batchOf.provider,
      queryId: batchOf.queryId,
      sql: batchOf.sql,
      submittedAt: this.#now(),
      items,
    };
    const members = requests.flatMap((r) => r.rows);
    for (const p of members) {
      p.startedAt = this.#now();
      this.#unsettled.add(p);
      this.#options.onStart?.(p.request);
    }
    try {
      // Recorded before the provider hears of it: a crash after the create still finds it (by its time and size).
      await ledger.put(record);
      const status = await api.submit(items);
      record.id = status.id;
      record.status = status;
      this.#options.onBatchStatus?.(status);
      await ledger.put(record);
      this.#records.push(record);
    } catch (thrown) {
      await ledger.remove(record.localId).catch(() => undefined);
      const error = thrown instanceof ProviderError ? thrown : new ProviderError({ kind: 'network', message: String(thrown) });
      this.#fatal ??= error;
      for (const p of members) this.#settle(p, 'error', { error });
      this.#stop.abort(error);
      return;
    }
    let results;
    try {
      results = await followBatch(api, record.id, items, {
        signal: this.#signal,
        ...(this.#deps.sleep ? { sleep: this.#deps.sleep } : {}),
        onStatus: (status) => {
          record.status = status;
          this.#options.onBatchStatus?.(status);
          void ledger.put(record).catch(() => undefined);
        },
      });
    } catch (thrown) {
      // Cancelled: #abandon has settled the rows and handed the batch on.
      if (this.#signal.aborted) return;
      const error = thrown instanceof ProviderError ? thrown : new ProviderError({ kind: 'network', message: String(thrown) });
      for (const p of members) this.#settle(p, 'error', { error });
      this.#deps.onAbandon(record);
      return;
    }
    const byId = new Map(results.map((r) => [r.customId, r]));
    requests.forEach((r, i) => {
      const outcomes = rowOutcomes(items[i] as BatchItem, byId.get(`r${i + 1}`));
      r.rows.forEach((p, j) => {
        const o = outcomes[j];
        if (!o) return;
        if (o.ok) this.#settle(p, 'ok', { value: o.value ?? null, usage: o.usage, rowsInRequest: o.rowsInRequest });
        else this.#settle(p, o.error?.kind === 'cancelled' ? 'cancelled' : 'error', { error: new ProviderError(o.error ?? { kind: 'malformed', message: 'no answer' }), usage: o.usage, rowsInRequest: o.rowsInRequest });
      });
    });
    this.#records = this.#records.filter((r) => r !== record);
    await ledger.remove(record.localId).catch(() => undefined);
  }

  /** The query stopped: its rows settle as cancelled, its batches are cancelled and handed on. */
  #abandon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const p of this.#gathered.splice(0)) this.#settle(p, 'cancelled', { error: new ProviderError({ kind: 'cancelled', message: 'the query ended' }) });
    for (const record of this.#records.splice(0)) {
      record.cancelRequested = true;
      void this.#deps.ledger.put(record).catch(() => undefined);
      void this.#deps.api.cancel(record.id).catch(() => undefined);
      this.#deps.onAbandon(record);
    }
    // Their rows settle now: the query is over for them.
    this.#cancelAllUnsettled();
  }

  #cancelAllUnsettled(): void {
    for (const p of [...this.#unsettled]) this.#settle(p, 'cancelled', { error: new ProviderError({ kind: 'cancelled', message: 'the query was cancelled; its batch was cancelled too, and what the provider had answered is still stored' }) });
  }

  #settle(p: Pending, status: CallOutcome['status'], extra: { value?: CallOutcome['value']; error?: ProviderError; usage?: CallOutcome['usage']; rowsInRequest?: number }): void {
    if (p.settled) return;
    p.settled = true;
    this.#unsettled.delete(p);
    const outcome: CallOutcome = {
      request: p.request,
      status,
      usage: extra.usage ?? { inputTokens: 0, outputTokens: 0 },
      attempts: p.startedAt === 0 ? 0 : 1,
      rowsInRequest: extra.rowsInRequest ?? 0,
      startedAt: p.startedAt,
      endedAt: this.#now(),
      billing: 'batch',
      ...(extra.value !== undefined ? { value: extra.value } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    };
    if (p.startedAt !== 0) this.#options.onSettled?.(outcome);
    p.resolve(outcome);
  }
}
