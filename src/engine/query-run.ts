import type { CachedAnswer } from '../cache/persistent-tier';
import type { AnswerCache } from '../cache/answer-cache';
import type { CacheMode, OperatorDef } from '../sql';
import { keyPrefix, type AnswerScope } from './cache-key';

export interface Miss {
  key: string;
  operator: OperatorDef;
  args: string[];
  /** Rows of the pass that asked for it (a cascade's targets are over rows, and rows repeat inputs). */
  rows?: number;
}

export type Lookup = { found: true; value: CachedAnswer['value'] } | { found: false; failed: boolean };

/**
 * Thrown inside a pass when it has recorded `missLimit` new inputs: the executor checks them against
 * the budget before scanning on, so a 10M-row table over budget is refused in seconds, not after a
 * full pass.
 */
export class MissLimitReached extends Error {
  override readonly name = 'MissLimitReached';
}

/**
 * One query's view of the answers while its passes run. The bridge's batch functions consult it for
 * every row; it records each miss once per pass (deduplicated across the whole pass) and each cache
 * hit, so the executor knows what to resolve and what to report.
 */
export class QueryRun {
  readonly id: string;
  readonly scope: AnswerScope;
  readonly cacheMode: CacheMode;
  readonly #cache: AnswerCache;
  /**
   * Answers obtained by this query, kept here only when the shared cache may not serve them
   * (`cache: off` or `refresh`); with the cache on they live in the cache alone.
   */
  readonly #own = new Map<string, CachedAnswer>();
  /**
   * Rows a cascade's proxy decided without a call (src/engine/cascade-resolver.ts): answers for this
   * query only, never stored in the cache as a model's.
   */
  readonly #decided = new Map<string, CachedAnswer['value']>();
  /** How many answers this query's calls produced. */
  answeredCount = 0;
  /** Inputs that failed in this query: NULL in their rows, not asked again in this query. */
  readonly failed = new Map<string, string>();
  readonly #prefixes = new Map<string, string>();
  misses = new Map<string, Miss>();
  /** Distinct inputs answered from the cache (not by this query's calls), by operator. */
  readonly cachedByOperator = new Map<string, number>();
  /** New misses a pass may record before it stops with MissLimitReached. */
  missLimit = Infinity;
  /** The last pass stopped at `missLimit`. */
  overflowed = false;
  /** Inputs known from earlier checks to need a call: they do not count against `missLimit` again. */
  readonly needsCall = new Set<string>();
  /**
   * Set when a miss cannot be retried (a write inside the user's own BEGIN ... COMMIT): the pass
   * fails with this message instead of recording it.
   */
  strict: string | null = null;
  /** Inputs resolved between the previous pass and this one, and how many of them this pass asked for again. */
  #expected: ReadonlySet<string> | null = null;
  rehits = 0;
  #newMisses = 0;

  constructor(id: string, scope: AnswerScope, cacheMode: CacheMode, cache: AnswerCache) {
    this.id = id;
    this.scope = scope;
    this.cacheMode = cacheMode;
    this.#cache = cache;
  }

  /** Answers this query has seen, by the rest of their key then by their first argument. */
  readonly #memos = new Map<string, Map<string, { value: CachedAnswer['value'] }>>();

  /**
   * The memo for one operator with fixed other arguments. An answer never changes within a query,
   * so once a row's value is known the rest of the query can look it up by its first argument only.
   */
  memo(rest: string): Map<string, { value: CachedAnswer['value'] }> {
    let memo = this.#memos.get(rest);
    if (!memo) this.#memos.set(rest, (memo = new Map()));
    return memo;
  }

  prefix(operator: OperatorDef): string {
    let prefix = this.#prefixes.get(operator.name);
    if (prefix === undefined) {
      prefix = keyPrefix(operator, this.scope);
      this.#prefixes.set(operator.name, prefix);
    }
    return prefix;
  }

  /**
   * `expected`: the inputs resolved since the last pass. A pass that asks for none of them again
   * while asking for new ones is reading different data each time (a volatile source), not going one
   * dependency level deeper: that is what the executor's "did not settle" check counts.
   */
  beginPass(expected: ReadonlySet<string> | null = null): void {
    this.misses = new Map();
    this.overflowed = false;
    this.#newMisses = 0;
    this.#expected = expected !== null && expected.size > 0 ? expected : null;
    this.rehits = 0;
  }

  /**
   * The hot path: one call per row. With the cache on, this query's own answers are in the shared
   * cache too (stamped as seen by it), so a hit costs one hash lookup.
   */
  lookup(key: string, operator: OperatorDef, args: () => string[]): Lookup {
    const decided = this.#decided.get(key);
    if (decided !== undefined) return { found: true, value: decided };
    if (this.cacheMode === 'on') {
      const entry = this.#cache.get(key);
      if (entry) {
        if (entry.seenBy !== this.id) {
          entry.seenBy = this.id;
          this.cachedByOperator.set(operator.name, (this.cachedByOperator.get(operator.name) ?? 0) + 1);
        }
        if (this.#expected?.has(key)) this.rehits++;
        return { found: true, value: entry.answer.value };
      }
    } else {
      const own = this.#own.get(key);
      if (own) {
        if (this.#expected?.has(key)) this.rehits++;
        return { found: true, value: own.value };
      }
    }
    if (this.failed.has(key)) {
      if (this.#expected?.has(key)) this.rehits++;
      return { found: false, failed: true };
    }
    if (this.strict !== null) throw new Error(this.strict);
    const seen = this.misses.get(key);
    if (seen) seen.rows = (seen.rows ?? 1) + 1;
    else {
      this.misses.set(key, { key, operator, args: args(), rows: 1 });
      if (!this.needsCall.has(key) && ++this.#newMisses > this.missLimit) {
        this.overflowed = true;
        throw new MissLimitReached(`stopped counting at ${this.missLimit.toLocaleString('en-US')} inputs to check against the budget`);
      }
    }
    return { found: false, failed: false };
  }

  /** Records this query's own answer where its later passes will find it. */
  answer(key: string, answer: CachedAnswer): void {
    this.answeredCount++;
    if (this.cacheMode !== 'on') this.#own.set(key, answer);
    if (this.cacheMode !== 'off') this.#cache.put(key, answer, this.id);
  }

  /** A proxy's decision for this query only (a cascade), never cached. */
  decide(key: string, value: CachedAnswer['value']): void {
    this.#decided.set(key, value);
  }

  /** What is known of `key` now, without recording a miss: its value, its error, or nothing yet. */
  known(key: string): { value: CachedAnswer['value'] } | { error: string } | undefined {
    const answer = this.cacheMode === 'on' ? this.#cache.get(key)?.answer : this.#own.get(key);
    if (answer) return { value: answer.value };
    const error = this.failed.get(key);
    return error === undefined ? undefined : { error };
  }

  cachedCount(): number {
    let n = 0;
    for (const count of this.cachedByOperator.values()) n += count;
    return n;
  }
}
