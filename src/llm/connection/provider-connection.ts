import type { BatchLedger, BatchRecord, PendingBatch } from '../../protocol/batches';
import type { CallLogSink } from '../../protocol/call-log';
import type { ProviderSettings } from '../../protocol/llm-worker-api';
import type { ModelRequest, RateLimitHint } from '../../protocol/model';
import type { AnswerStore, CallPlan, CallSession, ConnectionIdentity, OpenSession, PlanLimits, ProviderConnection } from '../../protocol/model-calls';
import type { CallOptions } from '../../protocol/resolved-options';
import type { EngineSettings } from '../../protocol/settings';
import { BatchKeeper } from '../batch/batch-keeper';
import { batchEndpoint, describeBatchEndpoint, requireBatchEndpoint } from '../batch-endpoint';
import { mockBatchTurnaroundMs } from '../mock/mock-batch-api';
import { costUsd } from '../pricing';
import { ProviderError } from '../provider';
import { AdaptiveLimit } from '../scheduler/adaptive-limit';
import { createCallScheduler, type CallScheduler } from '../scheduler/call-scheduler';
import type { Price } from '../scheduler/planner';
import { ProviderLimits } from '../scheduler/provider-limits';
import type { WorkerCaller } from '../worker-caller';
import { assumedLimitsFor, requestsInFlightFor } from './endpoint-limits';
import { connectionIdentity, providerIdentity, schedulerKey } from './identity';

/**
 * The provider connection (issue 22): the one home of everything the DuckDB worker knows about the
 * model provider. It owns the provider identity (the chat provider and the embeddings endpoint, as
 * they enter cache keys), the model workers' caller, one scheduler per identity (each with its
 * adaptive limit, the provider's per-minute limits, what requests have shown, and its planner), the
 * keeper of Message Batches no query follows, and pricing. The engine reaches it only through the
 * ProviderConnection port (src/protocol/model-calls.ts); the DuckDB worker's entry builds it.
 */

export interface ConnectionDeps {
  settings: EngineSettings;
  /** The model workers behind their ports (the worker entry wraps them with Comlink). */
  connect(ports: MessagePort[]): WorkerCaller;
  /** Message Batches not yet settled, kept across reloads. */
  ledger: BatchLedger;
  /** Where a batch no query follows stores its answers. */
  answers: AnswerStore;
  log: CallLogSink;
  warn(message: string): void;
}

/** The context of the models semsql offers (Claude 4.x: 200k tokens). */
const CONTEXT_TOKENS = 200_000;

export function createProviderConnection(deps: ConnectionDeps): ProviderConnection {
  return new Connection(deps);
}

class Connection implements ProviderConnection {
  readonly #deps: ConnectionDeps;
  #settings: EngineSettings;
  #caller: WorkerCaller | null = null;
  readonly #schedulers = new Map<string, { scheduler: CallScheduler; limit: AdaptiveLimit; limits: ProviderLimits | undefined }>();
  #keeper: { provider: string; keeper: BatchKeeper } | null = null;
  readonly #price: Price = (model, usage, batch) => costUsd(model, usage, this.#settings.pricing, { batch });

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
    this.#settings = deps.settings;
  }

  identity(): ConnectionIdentity {
    return connectionIdentity(this.#settings);
  }

  plan(tasks: readonly ModelRequest[], options: CallOptions): CallPlan {
    return this.#current().scheduler.plan(tasks, options);
  }

  open(session: OpenSession): CallSession {
    const { options } = session;
    if (options.mode === 'batch') requireBatchEndpoint(this.#settings);
    return this.#current().scheduler.session({
      parallel: options.parallel,
      signal: session.signal,
      maxAttempts: options.maxAttempts,
      budget: options.budget,
      maxWaitMs: options.maxWaitMs,
      rowsPerRequest: options.rowsPerRequest,
      mode: options.mode,
      // A provider that rejects the key or the account stops the query at once, with one message,
      // instead of ending "done" with every value NULL; an unreachable one is concluded by the
      // scheduler (src/llm/scheduler/reachability.ts).
      isFatal: (error) => error.kind === 'auth' || error.kind === 'spend_limit' || options.onError === 'fail',
      batchOf: { provider: this.identity().provider, queryId: session.queryId, sql: session.sql },
      ...(session.onBatchStatus ? { onBatchStatus: session.onBatchStatus } : {}),
      ...(session.onStart ? { onStart: session.onStart } : {}),
      ...(session.onSettled ? { onSettled: session.onSettled } : {}),
    });
  }

  limits(): PlanLimits {
    return this.#current().scheduler.limits();
  }

  batchEndpoint(): string {
    return describeBatchEndpoint(batchEndpoint(this.#settings));
  }

  async heldByBatch(keys: readonly string[]): Promise<Map<string, Promise<void>>> {
    return (await this.#keeperNow()?.held(keys)) ?? new Map();
  }

  async pendingBatches(): Promise<PendingBatch[]> {
    return (await this.#keeperNow()?.list()) ?? [];
  }

  async cancelBatch(localId: string): Promise<void> {
    await this.#keeperNow()?.cancel(localId);
  }

  inFlight(): number {
    return this.#caller?.inFlight() ?? 0;
  }

  async configure(settings: EngineSettings): Promise<void> {
    this.#settings = settings;
    await this.#caller?.configure(providerSettings(settings));
    this.#keeperNow();
  }

  async attach(ports: MessagePort[]): Promise<void> {
    this.#caller = this.#deps.connect(ports);
    // The model workers answer with the provider the settings name now: its scheduler hears their headers.
    this.#caller.onRateLimit((hint) => this.#heard(hint));
    this.#keeper?.keeper.stop();
    this.#keeper = null;
    await this.#caller.configure(providerSettings(this.#settings));
    // Batches a reload left behind are followed from the start, not only when a query meets them.
    this.#keeperNow();
  }

  #heard(hint: RateLimitHint | null): void {
    const current = this.#current();
    current.limits?.observe(hint);
    if (hint) current.limit.onHint(hint);
  }

  /** The scheduler of the provider the settings name now: made on first use, kept while they stay the same. */
  #current() {
    const key = schedulerKey(this.#settings);
    let entry = this.#schedulers.get(key);
    if (!entry) {
      entry = this.#scheduler(this.#settings);
      this.#schedulers.set(key, entry);
    }
    return entry;
  }

  #scheduler(settings: EngineSettings) {
    const limit = new AdaptiveLimit({ max: settings.parallel, min: Math.ceil(settings.parallel / 4) });
    const assumed = assumedLimitsFor(settings);
    const limits =
      settings.provider === 'anthropic'
        ? new ProviderLimits({
            requestsPerMinute: settings.anthropic.requestsPerMinute,
            inputTokensPerMinute: settings.anthropic.tokensPerMinute,
            ...(assumed ? { assumed } : {}),
          })
        : undefined;
    const caller = {
      call: (request: ModelRequest, signal: AbortSignal) => this.#workers().call(request, signal),
      inFlight: () => this.inFlight(),
    };
    const scheduler = createCallScheduler({
      caller,
      limit,
      price: this.#price,
      maxInFlight: requestsInFlightFor(settings),
      sizing: { maxTokensPerRow: settings.anthropic.maxTokens, contextTokens: CONTEXT_TOKENS },
      batches: {
        api: {
          submit: (i) => this.#workers().batches.submit(i),
          status: (id) => this.#workers().batches.status(id),
          results: (id, i) => this.#workers().batches.results(id, i),
          cancel: (id) => this.#workers().batches.cancel(id),
          recent: (s) => this.#workers().batches.recent(s),
        },
        ledger: this.#deps.ledger,
        onAbandon: (record: BatchRecord) => void this.#keeperNow()?.adopt(record),
      },
      ...(settings.provider === 'mock' ? { batchTurnaroundMs: () => mockBatchTurnaroundMs(this.#settings.mock) } : {}),
      noLimits: settings.provider === 'mock' ? 'none: the mock model has no per-minute limits' : 'none: the endpoint answered without rate-limit headers',
      ...(limits ? { limits } : {}),
    });
    return { scheduler, limit, limits };
  }

  #workers(): WorkerCaller {
    if (!this.#caller) throw new ProviderError({ kind: 'bad_request', message: 'no model workers are attached' });
    return this.#caller;
  }

  /**
   * The keeper of Message Batches no query follows (left by a reload, or by a cancelled query), for
   * the provider now: made once the model workers are attached, and made anew (resuming that
   * provider's batches) when the provider changes.
   */
  #keeperNow(): BatchKeeper | null {
    if (!this.#caller) return null;
    const provider = providerIdentity(this.#settings);
    if (this.#keeper?.provider === provider) return this.#keeper.keeper;
    this.#keeper?.keeper.stop();
    const keeper = new BatchKeeper({
      ledger: this.#deps.ledger,
      api: this.#workers().batches,
      cache: this.#deps.answers,
      log: this.#deps.log,
      price: this.#price,
      provider: () => provider,
      onError: (message) => {
        console.warn(`semsql: ${message}`);
        this.#deps.warn(message);
      },
    });
    this.#keeper = { provider, keeper };
    void keeper.resume().catch((error: unknown) => this.#deps.warn(`Pending Message Batches could not be resumed: ${(error as Error).message}`));
    return keeper;
  }
}

function providerSettings(s: EngineSettings): ProviderSettings {
  return { provider: s.provider, mock: s.mock, anthropic: s.anthropic, embeddings: s.embeddings };
}
