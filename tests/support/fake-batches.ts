/**
 * The Message Batches endpoints of the fake Anthropic API, at the paths SDK 1.12 uses
 * (src/resources/messages/batches.ts):
 *   POST   /v1/messages/batches              create  -> MessageBatch (in_progress)
 *   GET    /v1/messages/batches              list    -> Page<MessageBatch>, newest first
 *   GET    /v1/messages/batches/{id}         retrieve
 *   POST   /v1/messages/batches/{id}/cancel  cancel  -> MessageBatch (canceling)
 *   DELETE /v1/messages/batches/{id}         delete  -> {id, type:'message_batch_deleted'}, only once ended
 *   GET    /v1/messages/batches/{id}/results results as JSONL (the batch's results_url)
 *
 * Time is real and evaluated lazily (no timers): a batch's requests finish one after another,
 * evenly spread over `latencyMs` after creation, and the batch ends when the last one does. A
 * cancel ends it `cancelLatencyMs` later; the requests not finished by then are `canceled`. A
 * batch still running `expiresAfterMs` after creation (the API: 24 h) ends there, and its
 * unfinished requests are `expired`. As in the API, `request_counts` shows every request as
 * `processing` until the whole batch has ended, and `results_url` is null until then.
 *
 * Each request's outcome is decided by the `answer` script when the batch is created, so a test
 * knows all of them up front; they are only revealed once the batch ends.
 *
 * CORS: as in the real API, these endpoints refuse browsers (no CORS headers, preflights refused:
 * `corsFor` in fake-wire.ts; anthropics/anthropic-sdk-typescript#930). The results URL needs a
 * preflight too. Browser tests reach them through the batch proxy (scripts/batch-proxy.mjs).
 */

import { estimateInputTokens, estimateOutputTokens } from './fake-tokens';
import { answerInput, errorBody, toolUseMessage, type FakeUsage, type Reply } from './fake-wire';
import { rowsOf } from './prompt-data';

/** What one request of a batch comes to. */
export type BatchAnswer =
  /** Succeeds with a message whose forced `answer` tool call carries `value`. */
  | { kind: 'answer'; value: unknown; usage?: Partial<FakeUsage> }
  /** Succeeds with this message body as it is. */
  | { kind: 'json'; body: unknown }
  /** Errors with `{type:'error', error:{type, message}}` (default type `invalid_request_error`). */
  | { kind: 'error'; type?: string; message?: string }
  /** Expires: the request was not processed before the batch ended. */
  | 'expire';

export interface BatchRequest {
  custom_id: string;
  params: Record<string, unknown>;
}

export interface FakeBatchesOptions {
  /** Real ms from creation until the batch ends (its requests finish evenly spread over it). Default 1_000. */
  latencyMs?: number;
  /** Decides each request's outcome, once, when the batch is created. Default: answers `true`. */
  answer?(params: Record<string, unknown>, customId: string): BatchAnswer | Promise<BatchAnswer>;
  /** Most requests in one batch; the API's is 100,000. */
  maxRequests?: number;
  /** Largest create body in bytes; the API's is 256 MB. */
  maxBytes?: number;
  /** Real ms from a cancel until the batch has ended. Default 0: it ends right after the cancel returns `canceling`. */
  cancelLatencyMs?: number;
  /** Real ms after creation when a batch still running expires (`expires_at`). Default 24 h, as the API. */
  expiresAfterMs?: number;
}

export interface FakeBatchRecord {
  id: string;
  /** Epoch ms. */
  createdAt: number;
  requests: readonly BatchRequest[];
  cancelInitiatedAt?: number;
  deletedAt?: number;
}

export interface BatchSubmission extends BatchRequest {
  batchId: string;
}

/** What tests can see of the batches submitted. */
export interface FakeBatchLog {
  /** Every batch created, in order, with its requests (deleted ones too). */
  readonly created: readonly FakeBatchRecord[];
  /** Every request of every batch, in submission order. */
  submissions(): BatchSubmission[];
  /** Keys submitted more than once across all batches; by default the key is the request's `params` as JSON (the input). */
  duplicates(key?: (submission: BatchSubmission) => string): string[];
}

type Outcome = BatchAnswer | 'cancel';
type ResultType = 'succeeded' | 'errored' | 'canceled' | 'expired';

interface Entry {
  record: FakeBatchRecord;
  answers: BatchAnswer[];
  naturalEndAt: number;
  expiresAt: number;
}

const BATCHES_PATH = /^\/v1\/messages\/batches(?:\/([^/]+)(?:\/(cancel|results))?)?$/;
// The API enforces 1-64 characters (anthropic-sdk-python#984). The character set is reported only
// by third-party pages; enforcing it is the conservative choice: ids the fake accepts are safe.
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const error = (status: number, message: string, type?: string): Reply => ({ kind: 'error', status, message, ...(type ? { type } : {}) });
const json = (body: unknown): Reply => ({ kind: 'json', body });
const iso = (ms: number) => new Date(ms).toISOString();

export class FakeBatches implements FakeBatchLog {
  private readonly entries = new Map<string, Entry>();
  private readonly order: Entry[] = [];
  private readonly latencyMs: number;
  private readonly cancelLatencyMs: number;
  private readonly expiresAfterMs: number;
  private readonly maxRequests: number;
  private readonly maxBytes: number;

  /** `baseUrl` is read when a results_url is made (the server's port is known only after listen). */
  constructor(
    private readonly options: FakeBatchesOptions,
    private readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.latencyMs = options.latencyMs ?? 1_000;
    this.cancelLatencyMs = options.cancelLatencyMs ?? 0;
    this.expiresAfterMs = options.expiresAfterMs ?? 24 * 3_600_000;
    this.maxRequests = options.maxRequests ?? 100_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  get created(): readonly FakeBatchRecord[] {
    return this.order.map((entry) => entry.record);
  }

  submissions(): BatchSubmission[] {
    return this.order.flatMap(({ record }) => record.requests.map((request) => ({ batchId: record.id, ...request })));
  }

  duplicates(key: (submission: BatchSubmission) => string = (s) => JSON.stringify(s.params)): string[] {
    const seen = new Map<string, number>();
    for (const submission of this.submissions()) {
      const k = key(submission);
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1).map(([k]) => k);
  }

  /** The reply for a batches path, or undefined when `path` is not one (the caller handles it). */
  handle(method: string, path: string, body: unknown, bytes: number): Promise<Reply> | undefined {
    const url = new URL(path, 'http://fake');
    const match = BATCHES_PATH.exec(url.pathname);
    if (!match) return undefined;
    const [, id, action] = match;
    if (id === undefined) {
      if (method === 'POST') return this.create(body, bytes);
      if (method === 'GET') return Promise.resolve(this.list(url.searchParams));
    } else if (action === undefined) {
      if (method === 'GET') return Promise.resolve(this.withBatch(id, (entry) => json(this.view(entry))));
      if (method === 'DELETE') return Promise.resolve(this.withBatch(id, (entry) => this.remove(entry)));
    } else if (action === 'cancel' && method === 'POST') {
      return Promise.resolve(this.withBatch(id, (entry) => this.cancel(entry)));
    } else if (action === 'results' && method === 'GET') {
      return Promise.resolve(this.withBatch(id, (entry) => this.results(entry)));
    }
    return Promise.resolve(error(404, `${method} ${url.pathname} is not an endpoint`));
  }

  private async create(body: unknown, bytes: number): Promise<Reply> {
    if (bytes > this.maxBytes) return error(413, `Request exceeds the maximum size of ${this.maxBytes} bytes`);
    const requests = (body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(requests)) return error(400, 'requests: Field required');
    if (requests.length === 0) return error(400, 'requests: List should have at least 1 item after validation, not 0');
    if (requests.length > this.maxRequests)
      return error(400, `requests: List should have at most ${this.maxRequests} items after validation, not ${requests.length}`);
    const ids = new Set<string>();
    const accepted: BatchRequest[] = [];
    for (const [i, request] of requests.entries()) {
      const problem = this.problem(request, i, ids);
      if (problem) return error(400, problem);
      accepted.push(request as BatchRequest);
    }
    const answers: BatchAnswer[] = [];
    for (const request of accepted) answers.push(await (this.options.answer?.(request.params, request.custom_id) ?? { kind: 'answer', value: true }));
    const createdAt = this.now();
    const record: FakeBatchRecord = { id: `msgbatch_fake${String(this.order.length + 1).padStart(6, '0')}`, createdAt, requests: accepted };
    const entry: Entry = { record, answers, naturalEndAt: createdAt + this.latencyMs, expiresAt: createdAt + this.expiresAfterMs };
    this.entries.set(record.id, entry);
    this.order.push(entry);
    // The API answers create before any processing: never `ended`, even with latencyMs 0.
    return json(this.view(entry, 'in_progress'));
  }

  /** Why request `i` is refused (the API's 400 wording where known), or undefined. */
  private problem(request: unknown, i: number, ids: Set<string>): string | undefined {
    if (typeof request !== 'object' || request === null) return `requests.${i}: Input should be a valid dictionary`;
    const { custom_id: id, params } = request as Record<string, unknown>;
    if (typeof id !== 'string') return `requests.${i}.custom_id: Field required`;
    if (id.length > 64) return `requests.${i}.custom_id: String should have at most 64 characters`;
    if (id.length < 1) return `requests.${i}.custom_id: String should have at least 1 character`;
    if (!CUSTOM_ID.test(id)) return `requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    // The wording of this one is ours; the API's is not documented.
    if (ids.has(id)) return `requests.${i}.custom_id: Duplicate custom_id '${id}'; custom_id must be unique within a batch`;
    ids.add(id);
    if (typeof params !== 'object' || params === null) return `requests.${i}.params: Field required`;
    const p = params as Record<string, unknown>;
    if (typeof p['model'] !== 'string') return `requests.${i}.params.model: Field required`;
    if (typeof p['max_tokens'] !== 'number') return `requests.${i}.params.max_tokens: Field required`;
    if (!Array.isArray(p['messages'])) return `requests.${i}.params.messages: Field required`;
    return undefined;
  }

  private list(query: URLSearchParams): Reply {
    const limit = Number(query.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, 'limit: Input should be between 1 and 1000');
    const newestFirst = this.order.filter((entry) => entry.record.deletedAt === undefined).reverse();
    const afterId = query.get('after_id');
    const beforeId = query.get('before_id');
    let page: Entry[];
    let hasMore: boolean;
    if (beforeId !== null) {
      // The page just before `before_id` in list order (the SDK pages backwards with first_id).
      const end = newestFirst.findIndex((entry) => entry.record.id === beforeId);
      const stop = end < 0 ? 0 : end;
      page = newestFirst.slice(Math.max(0, stop - limit), stop);
      hasMore = stop - limit > 0;
    } else {
      const start = afterId === null ? 0 : newestFirst.findIndex((entry) => entry.record.id === afterId) + 1;
      const from = afterId !== null && start === 0 ? newestFirst.length : start;
      page = newestFirst.slice(from, from + limit);
      hasMore = from + limit < newestFirst.length;
    }
    const data = page.map((entry) => this.view(entry));
    return json({ data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }

  private withBatch(id: string, then: (entry: Entry) => Reply): Reply {
    const entry = this.entries.get(safeDecode(id));
    if (!entry || entry.record.deletedAt !== undefined) return error(404, `message_batch ${id} not found`);
    return then(entry);
  }

  private cancel(entry: Entry): Reply {
    const now = this.now();
    // Canceling an ended or already canceling batch changes nothing (the API's answer there is not documented).
    if (this.endAt(entry) <= now || entry.record.cancelInitiatedAt !== undefined) return json(this.view(entry));
    entry.record.cancelInitiatedAt = now;
    return json(this.view(entry, 'canceling'));
  }

  private remove(entry: Entry): Reply {
    if (this.endAt(entry) > this.now())
      return error(400, `Batch ${entry.record.id} is still processing; cancel it and wait until it has ended before deleting it`);
    entry.record.deletedAt = this.now();
    return json({ id: entry.record.id, type: 'message_batch_deleted' });
  }

  private results(entry: Entry): Reply {
    if (this.endAt(entry) > this.now()) return error(404, `Results for ${entry.record.id} are not available until processing has ended`);
    const lines = entry.record.requests.map((request, i) => JSON.stringify({ custom_id: request.custom_id, result: this.result(entry, i) }));
    // The API gives results in any order; a fixed scramble keeps clients from relying on submission order.
    const body = scramble(lines, entry.record.id)
      .map((line) => `${line}\n`)
      .join('');
    return { kind: 'raw', body, contentType: 'application/binary' };
  }

  /** When the batch ends: last request done, cancel completed, or expiry, whichever is first. */
  private endAt(entry: Entry): number {
    const cancelled = entry.record.cancelInitiatedAt === undefined ? Infinity : entry.record.cancelInitiatedAt + this.cancelLatencyMs;
    return Math.min(entry.naturalEndAt, cancelled, entry.expiresAt);
  }

  /** When request `i` of `n` finishes if nothing stops the batch. */
  private doneAt(entry: Entry, i: number): number {
    const n = entry.record.requests.length;
    return entry.record.createdAt + (this.latencyMs * (i + 1)) / n;
  }

  private outcome(entry: Entry, i: number): Outcome {
    const endAt = this.endAt(entry);
    if (this.doneAt(entry, i) <= endAt) return entry.answers[i] ?? 'expire';
    return endAt === entry.expiresAt ? 'expire' : 'cancel';
  }

  private resultType(outcome: Outcome): ResultType {
    if (outcome === 'expire') return 'expired';
    if (outcome === 'cancel') return 'canceled';
    return outcome.kind === 'error' ? 'errored' : 'succeeded';
  }

  private result(entry: Entry, i: number): Record<string, unknown> {
    const outcome = this.outcome(entry, i);
    const type = this.resultType(outcome);
    if (outcome === 'expire' || outcome === 'cancel') return { type };
    if (outcome.kind === 'error') return { type, error: errorBody(outcome.type ?? 'invalid_request_error', outcome.message ?? 'fake batch request error') };
    if (outcome.kind === 'json') return { type, message: outcome.body };
    const params = entry.record.requests[i]?.params ?? {};
    const found = rowsOf(params).map((row) => row.id);
    const ids = found.length > 0 ? found : ['1'];
    const usage = { input_tokens: estimateInputTokens(params), output_tokens: estimateOutputTokens(answerInput(outcome.value, ids)), ...outcome.usage };
    const model = typeof params['model'] === 'string' ? params['model'] : undefined;
    const message = toolUseMessage(outcome.value, usage, model, ids);
    return { type, message: { ...message, id: `msg_fake_${entry.record.id}_${i}`, usage: { ...(message['usage'] as object), service_tier: 'batch' } } };
  }

  /** The MessageBatch object now; `status` forces the status a create or cancel answers with. */
  private view(entry: Entry, status?: 'in_progress' | 'canceling'): { id: string } & Record<string, unknown> {
    const now = this.now();
    const { record } = entry;
    const endAt = this.endAt(entry);
    const ended = status === undefined && endAt <= now;
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (ended) {
      for (let i = 0; i < record.requests.length; i++) counts[this.resultType(this.outcome(entry, i))]++;
    } else {
      counts.processing = record.requests.length;
    }
    return {
      id: record.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : (status ?? (record.cancelInitiatedAt === undefined ? 'in_progress' : 'canceling')),
      request_counts: counts,
      created_at: iso(record.createdAt),
      expires_at: iso(entry.expiresAt),
      ended_at: ended ? iso(endAt) : null,
      cancel_initiated_at: record.cancelInitiatedAt === undefined ? null : iso(record.cancelInitiatedAt),
      results_url: ended ? `${this.baseUrl()}/v1/messages/batches/${record.id}/results` : null,
      archived_at: null,
    };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A deterministic shuffle (seeded by `seed`), so results never come in submission order by accident. */
function scramble<T>(items: T[], seed: string): T[] {
  let state = [...seed].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7) || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
