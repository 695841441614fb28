import type { CachedAnswer } from '../cache/persistent-tier';
import type { AnswerCache } from '../cache/answer-cache';
import type { CacheMode, OperatorDef } from '../sql';
import { keyPrefix, type AnswerScope } from './cache-key';

export interface Miss {
  key: string;
  operator: OperatorDef;
  args: string[];
}

export type Lookup = { found: true; value: CachedAnswer['value'] } | { found: false; failed: boolean };

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
  /** Answers obtained by this query: with `cache: off` the only answers it sees. */
  readonly answered = new Map<string, CachedAnswer>();
  /** Inputs that failed in this query: NULL in their rows, not asked again in this query. */
  readonly failed = new Map<string, string>();
  readonly #prefixes = new Map<string, string>();
  misses = new Map<string, Miss>();
  /** Distinct keys answered from the cache (not by this query's calls), by operator. */
  readonly cachedKeys = new Map<string, Set<string>>();

  constructor(id: string, scope: AnswerScope, cacheMode: CacheMode, cache: AnswerCache) {
    this.id = id;
    this.scope = scope;
    this.cacheMode = cacheMode;
    this.#cache = cache;
  }

  prefix(operator: OperatorDef): string {
    let prefix = this.#prefixes.get(operator.name);
    if (prefix === undefined) {
      prefix = keyPrefix(operator, this.scope);
      this.#prefixes.set(operator.name, prefix);
    }
    return prefix;
  }

  beginPass(): void {
    this.misses = new Map();
  }

  lookup(key: string, operator: OperatorDef, args: () => string[]): Lookup {
    const own = this.answered.get(key);
    if (own) return { found: true, value: own.value };
    if (this.failed.has(key)) return { found: false, failed: true };
    if (this.cacheMode === 'on') {
      const cached = this.#cache.get(key);
      if (cached) {
        let keys = this.cachedKeys.get(operator.name);
        if (!keys) this.cachedKeys.set(operator.name, (keys = new Set()));
        keys.add(key);
        return { found: true, value: cached.value };
      }
    }
    if (!this.misses.has(key)) this.misses.set(key, { key, operator, args: args() });
    return { found: false, failed: false };
  }

  cachedCount(): number {
    let n = 0;
    for (const keys of this.cachedKeys.values()) n += keys.size;
    return n;
  }
}
