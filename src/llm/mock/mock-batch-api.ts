import type { BatchApi, BatchItem, BatchResult, BatchStatus } from '../../protocol/batches';
import type { MockConfig } from '../../protocol/model';
import { ProviderError, type Provider } from '../provider';

/**
 * The mock model's Message Batches (`-- @ mode: batch` offline, issue 22): a batch answers each of
 * its requests exactly as a direct call would (the same mock, so the same values), all at once when
 * the batch ends, as the provider's batch API does. It has a latency of its own: a batch ends five of
 * the mock's longest answers after it was created, long enough for its progress and a cancel to be
 * seen, short enough for a demo. Stateless: a batch's id carries its creation time and size, so any
 * model worker, and a reload, can follow it.
 */

/** A batch's turnaround for `config`: what the plan of `-- @ mode: batch` assumes with the mock. */
export function mockBatchTurnaroundMs(config: Pick<MockConfig, 'latencyMs'>): number {
  const longest = typeof config.latencyMs === 'number' ? config.latencyMs : config.latencyMs[1];
  return Math.max(500, 5 * longest);
}

const PREFIX = 'mockbatch';

interface Parsed {
  createdAt: number;
  count: number;
}

function parse(id: string): Parsed {
  const [prefix, created, count] = id.split('_');
  if (prefix !== PREFIX || !created || !count) throw new ProviderError({ kind: 'bad_request', status: 404, message: `no such batch: ${id}` });
  return { createdAt: Number(created), count: Number(count) };
}

const ZERO = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };

/**
 * `answerer` makes the provider that answers a batch's requests (the mock with no latency of its own:
 * the batch's turnaround is the wait).
 */
export function createMockBatchApi(config: MockConfig, answerer: () => Provider, now: () => number = Date.now): BatchApi {
  const turnaround = mockBatchTurnaroundMs(config);
  const cancelled = new Set<string>();
  const status = (id: string): BatchStatus => {
    const { createdAt, count } = parse(id);
    const ended = cancelled.has(id) || now() >= createdAt + turnaround;
    return {
      id,
      state: ended ? 'ended' : 'in_progress',
      counts: ended ? { ...ZERO, [cancelled.has(id) ? 'canceled' : 'succeeded']: count } : { ...ZERO, processing: count },
      createdAt,
      expiresAt: createdAt + 24 * 3_600_000,
      ...(ended ? { endedAt: Math.min(now(), createdAt + turnaround) } : {}),
    };
  };
  return {
    async submit(items: readonly BatchItem[]) {
      const id = `${PREFIX}_${now()}_${items.length}_${Math.random().toString(36).slice(2, 8)}`;
      return status(id);
    },
    status: async (id) => status(id),
    async cancel(id) {
      if (status(id).state !== 'ended') cancelled.add(id);
      return status(id);
    },
    // Batches made by another worker or before a reload are not listed: nothing here records them.
    recent: async () => [],
    async results(id, items) {
      if (cancelled.has(id))
        return items.map((item): BatchResult => ({
          customId: item.customId,
          ok: false,
          error: { kind: 'cancelled', message: 'the batch was cancelled before this request was processed' },
        }));
      const provider = answerer();
      return Promise.all(
        items.map(async (item): Promise<BatchResult> => {
          try {
            return { customId: item.customId, ok: true, answer: await provider.call(item.request, new AbortController().signal) };
          } catch (error) {
            const info = error instanceof ProviderError ? error.toInfo() : { kind: 'malformed' as const, message: String(error) };
            return { customId: item.customId, ok: false, error: info };
          }
        }),
      );
    },
  };
}
