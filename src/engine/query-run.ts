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

/** An input a pass found answered, with its value. */
export type KnownObserver = (key: string, operator: OperatorDef, args: string[], value: CachedAnswer['value']) => void;

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
 * One query's view of the answers while its passes run, handed by the engine to the bridge's UDFs
 * for the statement that runs (src/engine/semantic-udf.ts). The UDFs consult it for every row; it
 * records each miss once per pass (deduplicated across the whole pass) and each cache hit. The
 * executor reads the pass's misses, and settles each input it asks as its call comes back.
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
  /**
   * Pairs a join plan left unasked (src/engine/join-resolver.ts): not matches for this query (NULL),
   * never cached; asked by the operator and found in the cache, a pair's answer still wins.
   */
  readonly #unasked: { operator: string; covers(args: readonly string[]): boolean }[] = [];
  /** How many answers this query's calls produced. */
  #answered = 0;
  /** Inputs that failed in this query: NULL in their rows, not asked again in this query. */
  readonly #failed = new Map<string, string>();
  readonly #prefixes = new Map<string, string>();
  #misses = new Map<string, Miss>();
  /** Distinct inputs answered from the cache (not by this query's calls), by operator. */
  readonly #cachedByOperator = new Map<string, number>();
  /** New misses a pass may record before it stops with MissLimitReached. */
  #missLimit = Infinity;
  #stoppedAtMissLimit = false;
  /** Inputs known from earlier checks to need a call: they do not count against the miss limit again. */
  readonly #needsCall = new Set<string>();
  /** Set when a miss cannot be retried: the pass fails with this message instead of recording it. */
  #refusal: string | null = null;
  /** Inputs resolved between the previous pass and this one, and how many of them this pass asked for again. */
  #expected: ReadonlySet<string> | null = null;
  #rehits = 0;
  #newMisses = 0;
  /** Told each known answer a pass reads (the first pass of an estimating statement: src/engine/estimate/). */
  #observer: KnownObserver | null = null;
  /** Answers this query has seen, by the rest of their key then by their first argument. */
  readonly #memos = new Map<string, Map<string, { value: CachedAnswer['value'] }>>();

  constructor(id: string, scope: AnswerScope, cacheMode: CacheMode, cache: AnswerCache) {
    this.id = id;
    this.scope = scope;
    this.cacheMode = cacheMode;
    this.#cache = cache;
  }

  /** The misses the last pass recorded, in the order it met them. */
  get misses(): Miss[] {
    return [...this.#misses.values()];
  }

  get missCount(): number {
    return this.#misses.size;
  }

  /** The last pass stopped at its miss limit, to be checked against the budget before it scans on. */
  get stoppedAtMissLimit(): boolean {
    return this.#stoppedAtMissLimit;
  }

  /** How many inputs resolved before this pass it asked for again (0: it read different data). */
  get rehits(): number {
    return this.#rehits;
  }

  get answeredCount(): number {
    return this.#answered;
  }

  get failedCount(): number {
    return this.#failed.size;
  }

  /** Distinct inputs answered from the cache, by operator. */
  get cachedByOperator(): ReadonlyMap<string, number> {
    return this.#cachedByOperator;
  }

  cachedCount(): number {
    let n = 0;
    for (const count of this.#cachedByOperator.values()) n += count;
    return n;
  }

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
    this.#misses = new Map();
    this.#stoppedAtMissLimit = false;
    this.#newMisses = 0;
    this.#expected = expected !== null && expected.size > 0 ? expected : null;
    this.#rehits = 0;
  }

  /** A pass stops once it has recorded `limit` new misses, so they can be checked against the budget. */
  limitMisses(limit: number): void {
    this.#missLimit = limit;
  }

  /** These inputs were checked and need a call: they no longer count against the miss limit. */
  needCalls(keys: Iterable<string>): number {
    for (const key of keys) this.#needsCall.add(key);
    return this.#needsCall.size;
  }

  /** From now on each known answer a pass reads is told to `observer` (null: no longer). */
  observeKnown(observer: KnownObserver | null): void {
    this.#observer = observer;
  }

  /** From now on a miss fails the pass with `message` (it could not be asked and the pass run again). */
  refuseMisses(message: string): void {
    this.#refusal = message;
  }

  /**
   * The hot path: one call per row. With the cache on, this query's own answers are in the shared
   * cache too (stamped as seen by it), so a hit costs one hash lookup.
   */
  lookup(key: string, operator: OperatorDef, args: () => string[]): Lookup {
    const decided = this.#decided.get(key);
    if (decided !== undefined) return { found: true, value: decided };
    const known = this.#knownAnswer(key, operator);
    if (known) {
      if (this.#expected?.has(key)) this.#rehits++;
      this.#observer?.(key, operator, args(), known.value);
      return { found: true, value: known.value };
    }
    if (this.#failed.has(key)) {
      if (this.#expected?.has(key)) this.#rehits++;
      return { found: false, failed: true };
    }
    if (this.#unasked.length > 0 && this.#unasked.some((u) => u.operator === operator.name && u.covers(args()))) return { found: true, value: null };
    this.#recordMiss(key, operator, args);
    return { found: false, failed: false };
  }

  /** An input this query asked is settled: its answer where later passes find it, or its error. */
  settle(key: string, outcome: { value: CachedAnswer['value']; inputTokens: number; outputTokens: number } | { error: string }): void {
    if ('error' in outcome) {
      this.#failed.set(key, outcome.error);
      return;
    }
    this.#answered++;
    if (this.cacheMode !== 'on') this.#own.set(key, outcome);
    if (this.cacheMode !== 'off') this.#cache.put(key, outcome, this.id);
  }

  /** A proxy's decision for this query only (a cascade), never cached. */
  decide(key: string, value: CachedAnswer['value']): void {
    this.#decided.set(key, value);
  }

  /** A join plan's unasked pairs of `operator`: NULL for this query wherever `covers` says an argument list is one of them. */
  leaveUnasked(operator: string, covers: (args: readonly string[]) => boolean): void {
    this.#unasked.push({ operator, covers });
  }

  /** What is known of `key` now, without recording a miss: its value, its error, or nothing yet. */
  known(key: string): { value: CachedAnswer['value'] } | { error: string } | undefined {
    const answer = this.cacheMode === 'on' ? this.#cache.get(key)?.answer : this.#own.get(key);
    if (answer) return { value: answer.value };
    const error = this.#failed.get(key);
    return error === undefined ? undefined : { error };
  }

  #knownAnswer(key: string, operator: OperatorDef): { value: CachedAnswer['value'] } | undefined {
    if (this.cacheMode !== 'on') return this.#own.get(key);
    const entry = this.#cache.get(key);
    if (!entry) return undefined;
    if (entry.seenBy !== this.id) {
      entry.seenBy = this.id;
      this.#cachedByOperator.set(operator.name, (this.#cachedByOperator.get(operator.name) ?? 0) + 1);
    }
    return entry.answer;
  }

  #recordMiss(key: string, operator: OperatorDef, args: () => string[]): void {
    if (this.#refusal !== null) throw new Error(this.#refusal);
    const seen = this.#misses.get(key);
    if (seen) {
      seen.rows = (seen.rows ?? 1) + 1;
      return;
    }
    this.#misses.set(key, { key, operator, args: args(), rows: 1 });
    if (!this.#needsCall.has(key) && ++this.#newMisses > this.#missLimit) {
      this.#stoppedAtMissLimit = true;
      throw new MissLimitReached(`stopped counting at ${this.#missLimit.toLocaleString('en-US')} inputs to check against the budget`);
    }
  }
}
