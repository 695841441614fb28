import type { SemSQL } from '../../client';
import { errorText } from '../lib/error-text';
import { columnProfiles, detailQueries, profileRelation, summaryQuery, type ColumnProfile, type ProfileSource } from '../lib/profile-sql';

export interface ColumnProfilerOptions {
  /** The client once queries may run. */
  whenReady: () => Promise<SemSQL>;
  /** Makes ready what the SQL names (restores saved tables), or null when nothing is needed. */
  prepare?: (sql: string) => Promise<void> | null;
}

/**
 * A column profile of a table or a result (type, nulls, distinct values, min/max, top values, a
 * small histogram), computed by DuckDB: SUMMARIZE and two aggregate queries. A result is profiled by
 * running its query again over the cached answers, with a zero budget so no model is called.
 */
export class ColumnProfiler {
  source = $state.raw<ProfileSource | null>(null);
  /** What is profiled, in words: "table tweets", "the result on show". */
  label = $state('');
  profiles = $state.raw<ColumnProfile[] | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Counts runs, so a slow profile that finishes after a newer one was asked for is dropped. */
  #generation = 0;
  readonly #whenReady: () => Promise<SemSQL>;
  readonly #prepare: (sql: string) => Promise<void> | null;

  constructor(options: ColumnProfilerOptions) {
    this.#whenReady = options.whenReady;
    this.#prepare = options.prepare ?? (() => null);
  }

  async profile(source: ProfileSource, label: string): Promise<void> {
    const generation = ++this.#generation;
    this.source = source;
    this.label = label;
    this.profiles = null;
    this.error = null;
    const relation = profileRelation(source);
    if ('reason' in relation) {
      this.error = `This cannot be profiled: ${relation.reason}.`;
      return;
    }
    this.loading = true;
    try {
      const db = await this.#whenReady();
      await this.#prepare(source.kind === 'table' ? source.table : source.sql);
      const summary = await db.query(summaryQuery(relation.relation));
      const columns = summary.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
      const queries = detailQueries(relation.relation, columns);
      const [top, histogram] = await Promise.all([db.query(queries.top), queries.histogram ? db.query(queries.histogram) : null]);
      if (generation !== this.#generation) return;
      this.profiles = columnProfiles(summary.rows, top.rows, histogram?.rows ?? []);
    } catch (e) {
      if (generation !== this.#generation) return;
      const message = errorText(e);
      this.error = /budget/i.test(message)
        ? 'This result has answers that are not in the cache any more, and a profile never calls the model. Run the query again, then profile it.'
        : `The profile failed: ${message}`;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  clear(): void {
    this.#generation++;
    this.source = null;
    this.profiles = null;
    this.error = null;
    this.loading = false;
  }
}
