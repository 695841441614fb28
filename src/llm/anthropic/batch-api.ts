import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchApi, BatchItem, BatchResult, BatchStatus } from '../../protocol/batches';
import type { AnthropicSettings } from '../../protocol/settings';
import { BATCH_PROXY_DOC } from '../batch-endpoint';
import { ProviderError } from '../provider';
import { toProviderError } from './errors';
import { messageBody } from './request-body';
import { readAnswer } from './read-answer';

/**
 * Message Batches through the SDK (`client.messages.batches`): each item's body is exactly the one
 * a direct call would send (src/llm/anthropic/request-body.ts), and each result is read by the same
 * reader, so a row's answer is the same by either road and lands in the same cache entry.
 *
 * From a browser: the public batch endpoints answer no CORS preflight (anthropics/anthropic-sdk-typescript#930,
 * confirmed by Anthropic in 2026), so batches go through the batch proxy (scripts/batch-proxy.mjs,
 * docs/batch-proxy.md) named by `anthropic.batchBaseURL` (src/llm/batch-endpoint.ts decides where).
 * A create that fails on the network is reported with what to do, and nothing is recorded as submitted.
 */

export interface BatchClient {
  sdk: Anthropic;
  key: string;
}

export function createBatchApi(settings: AnthropicSettings, client: () => Promise<BatchClient>, now: () => number = Date.now): BatchApi {
  const failure = (thrown: unknown, key: string, what: string): ProviderError => {
    const error = toProviderError(thrown, { signal: new AbortController().signal, timedOut: false, timeoutMs: undefined, secrets: [key], now: now() });
    if (error.kind !== 'network') return error;
    return new ProviderError({
      kind: 'network',
      message: `${what}: ${error.message}. The Message Batches endpoint may not accept calls from a browser (a refused CORS preflight looks like this): run the batch proxy and set Settings → Message Batches endpoint to it (${BATCH_PROXY_DOC}), or run without "-- @ mode: batch".`,
    });
  };
  return {
    async submit(items: readonly BatchItem[]): Promise<BatchStatus> {
      const { sdk, key } = await client();
      const requests = items.map((item) => ({ custom_id: item.customId, params: messageBody(item.request, settings) }));
      try {
        return statusOf(await sdk.messages.batches.create({ requests }));
      } catch (thrown) {
        throw failure(thrown, key, 'could not submit the batch');
      }
    },
    async status(id: string): Promise<BatchStatus> {
      const { sdk, key } = await client();
      try {
        return statusOf(await sdk.messages.batches.retrieve(id));
      } catch (thrown) {
        throw failure(thrown, key, `could not read batch ${id}`);
      }
    },
    async cancel(id: string): Promise<BatchStatus> {
      const { sdk, key } = await client();
      try {
        return statusOf(await sdk.messages.batches.cancel(id));
      } catch (thrown) {
        throw failure(thrown, key, `could not cancel batch ${id}`);
      }
    },
    async recent(sinceMs: number): Promise<BatchStatus[]> {
      const { sdk, key } = await client();
      const out: BatchStatus[] = [];
      try {
        // Newest first: stop at the first batch older than `sinceMs`.
        for await (const batch of sdk.messages.batches.list({ limit: 20 })) {
          const status = statusOf(batch);
          if (status.createdAt < sinceMs) break;
          out.push(status);
        }
      } catch (thrown) {
        throw failure(thrown, key, 'could not list recent batches');
      }
      return out;
    },
    async results(id: string, items: readonly BatchItem[]): Promise<BatchResult[]> {
      const { sdk, key } = await client();
      const byId = new Map(items.map((item) => [item.customId, item]));
      const out: BatchResult[] = [];
      try {
        // Results come in any order: each line names its request.
        for await (const line of await sdk.messages.batches.results(id)) {
          const item = byId.get(line.custom_id);
          if (item) out.push(readResult(item, line.result as RawResult['result']));
        }
      } catch (thrown) {
        throw failure(thrown, key, `could not read the results of batch ${id}`);
      }
      return out;
    },
  };
}

type RawResult = { custom_id: string; result: { type: string; message?: unknown; error?: unknown } };

/** A result line as a BatchResult for `item`: its answer read like a direct call's, or why there is none. */
export function readResult(item: BatchItem, raw: RawResult['result']): BatchResult {
  switch (raw.type) {
    case 'succeeded':
      try {
        return { customId: item.customId, ok: true, answer: readAnswer(item.request, raw.message) };
      } catch (error) {
        const info = error instanceof ProviderError ? error.toInfo() : { kind: 'malformed' as const, message: String(error) };
        return { customId: item.customId, ok: false, error: info };
      }
    case 'errored': {
      const detail = (raw.error as { error?: { message?: unknown } } | undefined)?.error?.message;
      return {
        customId: item.customId,
        ok: false,
        error: { kind: 'bad_request', message: `the batch request failed: ${typeof detail === 'string' ? detail : 'no reason given'}` },
      };
    }
    case 'canceled':
      return { customId: item.customId, ok: false, error: { kind: 'cancelled', message: 'the batch was cancelled before this request was processed' } };
    default:
      return { customId: item.customId, ok: false, error: { kind: 'timeout', message: 'the batch expired before this request was processed (24 h)' } };
  }
}

function statusOf(batch: MessageBatch): BatchStatus {
  const status: BatchStatus = {
    id: batch.id,
    state: batch.processing_status,
    counts: { ...batch.request_counts },
    createdAt: Date.parse(batch.created_at),
    expiresAt: Date.parse(batch.expires_at),
  };
  if (batch.ended_at) status.endedAt = Date.parse(batch.ended_at);
  return status;
}
