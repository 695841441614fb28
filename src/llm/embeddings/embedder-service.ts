import { ON_DEVICE_EMBEDDINGS_MODEL, type EmbedReply, type EmbedderStatus, type EmbedderWorkerApi } from '../../protocol/embedder';
import type { Progress } from './use-lite-load';
import type { UseLite } from './use-lite';

/**
 * The embeddings worker's service: the model loaded once, on the first text, with its progress told
 * to whoever watches (the page); texts from every model worker queued together and run in batches.
 */

/**
 * Texts per run of the graph. Measured in Node on 384 sample tweets (2 busy cores, two rounds):
 * 16 a run 17 and 35 texts/s, 64 22 and 41, 128 29 and 54.
 */
const BATCH_TEXTS = 128;
/**
 * Token slots per run (texts × the longest text's tokens, as the graph pads them): long texts go
 * fewer at a time, so memory stays bounded and the short ones are not padded to the long ones' length.
 */
const BATCH_TOKENS = 8_192;

export type LoadModel = (url: string, onProgress: Progress) => Promise<UseLite>;

interface Job {
  vectors: Float32Array;
  left: number;
  done(): void;
  fail(error: unknown): void;
}

interface Item {
  job: Job;
  at: number;
  text: string;
  tokens: number;
}

const IDLE: EmbedderStatus = {
  state: 'idle',
  model: ON_DEVICE_EMBEDDINGS_MODEL,
  loadedBytes: 0,
  totalBytes: 0,
  loadMs: null,
  error: null,
  peakMemoryBytes: 0,
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A reply that embeds nothing: why, and the error's own message. */
function refusal(kind: 'bad_request' | 'server', why: string, error: unknown): EmbedReply {
  return { ok: false, error: { kind, message: `${why}: ${messageOf(error)}` } };
}

export function createEmbedderService(load: LoadModel, now: () => number = () => performance.now()): EmbedderWorkerApi {
  let modelUrl: string | null = null;
  let status: EmbedderStatus = IDLE;
  const listeners = new Set<(s: EmbedderStatus) => void>();
  const set = (patch: Partial<EmbedderStatus>) => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };

  let model: Promise<UseLite> | null = null;
  /** The model, loading it on first need; a failed load is tried again at the next need (the network may be back). */
  const loaded = (): Promise<UseLite> => {
    if (model) return model;
    if (modelUrl === null) return Promise.reject(new Error('the embeddings worker was not told where the model is'));
    const started = now();
    set({ state: 'loading', loadedBytes: 0, totalBytes: 0, error: null });
    model = load(modelUrl, (loadedBytes, totalBytes) => set({ loadedBytes, totalBytes })).then(
      (m) => {
        set({ state: 'ready', loadMs: now() - started, peakMemoryBytes: Math.max(status.peakMemoryBytes, m.memoryBytes()) });
        return m;
      },
      (error: unknown) => {
        model = null;
        set({ state: 'failed', error: messageOf(error) });
        throw error;
      },
    );
    return model;
  };

  const queue: Item[] = [];
  let pumping = false;
  /** Runs the queue to its end, one batch at a time. */
  const pump = async (m: UseLite) => {
    if (pumping) return;
    pumping = true;
    // Kept without telling the listeners: the bench reads it, nobody follows it.
    await drain(queue, m, (bytes) => (status = { ...status, peakMemoryBytes: Math.max(status.peakMemoryBytes, bytes) }));
    pumping = false;
  };

  return {
    async init(url) {
      modelUrl = url;
    },
    async embed(texts): Promise<EmbedReply> {
      let m: UseLite;
      try {
        m = await loaded();
      } catch (error) {
        return refusal('bad_request', 'the on-device embedding model could not load', error);
      }
      const vectors = new Float32Array(texts.length * m.dimensions);
      if (texts.length === 0) return { ok: true, vectors, dimensions: m.dimensions, tokens: 0 };
      const { items, tokens } = itemsOf(texts, m);
      try {
        await new Promise<void>((resolve, reject) => {
          const job: Job = { vectors, left: texts.length, done: resolve, fail: reject };
          queue.push(...items.map((item) => ({ ...item, job })));
          void pump(m);
        });
      } catch (error) {
        return refusal('server', 'the on-device embedding model failed', error);
      }
      return { ok: true, vectors, dimensions: m.dimensions, tokens };
    },
    async tokenize(text) {
      return (await loaded()).tokenize(text);
    },
    async status() {
      return status;
    },
    async watch(listener) {
      listeners.add(listener);
      listener(status);
    },
  };
}

/** Runs `queue` to its end, one batch at a time; a failed batch fails its texts' jobs, and the rest go on. */
async function drain(queue: Item[], m: UseLite, memory: (bytes: number) => void): Promise<void> {
  while (queue.length > 0) {
    const batch = takeBatch(queue);
    try {
      const vectors = await m.embed(batch.map((item) => item.text));
      const d = m.dimensions;
      batch.forEach((item, i) => {
        item.job.vectors.set(vectors.subarray(i * d, (i + 1) * d), item.at * d);
        if (--item.job.left === 0) item.job.done();
      });
      memory(m.memoryBytes());
    } catch (error) {
      const failed = new Set(batch.map((item) => item.job));
      for (const job of failed) job.fail(error);
      // The failed jobs' other texts are not worth a run.
      for (let i = queue.length - 1; i >= 0; i--) if (failed.has((queue[i] as Item).job)) queue.splice(i, 1);
    }
  }
}

/** Each text with its place and token count, similar lengths together so little of a batch is padding. */
function itemsOf(texts: readonly string[], m: UseLite): { items: Omit<Item, 'job'>[]; tokens: number } {
  let tokens = 0;
  const items = texts.map((text, at): Omit<Item, 'job'> => {
    const count = m.tokenize(text).length;
    tokens += count;
    return { at, text, tokens: count };
  });
  items.sort((a, b) => a.tokens - b.tokens);
  return { items, tokens };
}

/** The next batch from the front of the queue: at most BATCH_TEXTS texts and BATCH_TOKENS padded token slots (at least one text). */
function takeBatch(queue: Item[]): Item[] {
  let longest = 0;
  let n = 0;
  while (n < queue.length && n < BATCH_TEXTS) {
    const next = Math.max(longest, Math.max(1, (queue[n] as Item).tokens));
    if (n > 0 && next * (n + 1) > BATCH_TOKENS) break;
    longest = next;
    n++;
  }
  return queue.splice(0, n);
}
