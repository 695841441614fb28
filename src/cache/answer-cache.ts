import type { CacheStats } from '../protocol/duckdb-worker-api';
import type { CachedAnswer, PersistentTier } from './persistent-tier';

/**
 * A memory-tier entry. `seenBy` is the last query that counted this answer as a cache hit: the
 * bridge checks it instead of keeping a set of keys per query, which would cost a second hash per
 * row on the hottest path (1M cached rows must take under a second).
 */
export interface MemoryEntry {
  readonly answer: CachedAnswer;
  seenBy: string | null;
}

const RANGE_READ_THRESHOLD = 500;

export interface AnswerCacheOptions {
  /** Told once, when the persistent tier fails and the cache falls back to memory. */
  onWarning?: (message: string) => void;
  flushIntervalMs?: number;
}

/**
 * Two tiers: a Map the bridge reads synchronously, over a persistent tier read in batches between
 * passes. Writes reach memory at once and the persistent tier in batched writes at least every
 * `flushIntervalMs`. If the persistent tier fails (blocked, quota exceeded) the cache keeps working
 * from memory and says so once.
 */
export class AnswerCache {
  readonly #memory = new Map<string, MemoryEntry>();
  #tier: PersistentTier | null;
  #pending = new Map<string, CachedAnswer>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #flushing: Promise<void> = Promise.resolve();
  /** Resolved when the flush that writes the answers pending now is done. */
  #nextFlush: { promise: Promise<void>; resolve: () => void } | null = null;
  readonly #onWarning: (message: string) => void;
  readonly #flushIntervalMs: number;
  #memoryOnly = false;

  constructor(tier: PersistentTier | null, options: AnswerCacheOptions = {}) {
    this.#tier = tier;
    this.#onWarning = options.onWarning ?? (() => {});
    // 200, not 250: an answer must be stored 250 ms after it arrives, and the write itself takes time.
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    if (!tier) this.#memoryOnly = true;
  }

  get(key: string): MemoryEntry | undefined {
    return this.#memory.get(key);
  }

  /**
   * Looks keys up in the persistent tier and brings the found ones into memory; returns those found.
   * Keys are grouped by their prefix (operator and scope): a large group is read as one key range,
   * because one IndexedDB request per key costs about a millisecond each and 100k keys would take
   * over a minute; a small group is read key by key.
   */
  async load(keys: { key: string; prefix: string }[]): Promise<Set<string>> {
    const found = new Set<string>();
    const tier = this.#tier;
    if (!tier || keys.length === 0) return found;
    const groups = new Map<string, string[]>();
    for (const { key, prefix } of keys) {
      const group = groups.get(prefix);
      if (group) group.push(key);
      else groups.set(prefix, [key]);
    }
    const keep = (key: string, answer: CachedAnswer | undefined) => {
      if (answer === undefined) return;
      this.#memory.set(key, { answer, seenBy: null });
      found.add(key);
    };
    try {
      for (const [prefix, group] of groups) {
        if (group.length > RANGE_READ_THRESHOLD) {
          const wanted = new Set(group);
          for (const [key, answer] of await tier.getPrefix(prefix)) if (wanted.has(key)) keep(key, answer);
        } else {
          const values = await tier.getMany(group);
          values.forEach((answer, i) => keep(group[i] as string, answer));
        }
      }
    } catch (error) {
      this.#degrade(error);
    }
    return found;
  }

  /** `seenBy`: the query whose call produced the answer, so that query does not count it as a hit. */
  put(key: string, answer: CachedAnswer, seenBy: string | null = null): void {
    this.#memory.set(key, { answer, seenBy });
    if (!this.#tier) return;
    this.#pending.set(key, answer);
    this.#flushTimer ??= setTimeout(() => void this.flush(), this.#flushIntervalMs);
  }

  /** Writes every pending answer; resolves when they are stored (or the tier has been given up). */
  flush(): Promise<void> {
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
    }
    const waiting = this.#nextFlush;
    this.#nextFlush = null;
    const tier = this.#tier;
    if (tier && this.#pending.size > 0) {
      const batch = [...this.#pending];
      this.#pending = new Map();
      this.#flushing = this.#flushing.then(() => tier.setMany(batch)).catch((error: unknown) => this.#degrade(error));
    }
    if (waiting) void this.#flushing.then(waiting.resolve);
    return this.#flushing;
  }

  /**
   * Resolves once every answer put so far is in the persistent tier (or the tier was given up), at
   * the next batched write rather than by forcing one: other tabs wait on this before they read.
   */
  stored(): Promise<void> {
    if (!this.#tier || this.#pending.size === 0) return this.#flushing;
    if (!this.#nextFlush) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#nextFlush = { promise, resolve };
    }
    this.#flushTimer ??= setTimeout(() => void this.flush(), this.#flushIntervalMs);
    return this.#nextFlush.promise;
  }

  async clear(): Promise<void> {
    this.#memory.clear();
    this.#pending.clear();
    if (this.#tier) {
      try {
        await this.#tier.clear();
      } catch (error) {
        this.#degrade(error);
      }
    }
  }

  async stats(): Promise<CacheStats> {
    let persistentEntries: number | null = null;
    if (this.#tier) {
      try {
        persistentEntries = await this.#tier.count();
      } catch (error) {
        this.#degrade(error);
      }
    }
    return { memoryEntries: this.#memory.size, persistentEntries, pendingWrites: this.#pending.size, memoryOnly: this.#memoryOnly };
  }

  #degrade(error: unknown): void {
    if (this.#memoryOnly) return;
    this.#memoryOnly = true;
    this.#tier = null;
    this.#pending.clear();
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#onWarning(`The answer cache cannot use IndexedDB (${reason}); answers are kept in memory for this session only.`);
  }
}
