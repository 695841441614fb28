import { createStore, get, set, type UseStore } from 'idb-keyval';
import { tablesNamedIn } from '../../sql';
import type { Outcome } from './query-runner.svelte';

export interface HistoryEntry {
  id: string;
  sql: string;
  at: number;
  status: 'ok' | 'error' | 'cancelled';
  /** Query id in this session's call log (the timeline), when the engine assigned one. */
  queryId: string | null;
  rows: number | null;
  wallMs: number;
  calls: number;
  cached: number;
  costUsd: number;
  error: string | null;
  /** Inputs whose model call failed (their rows hold NULL); absent in entries from before this was kept. */
  failed?: number;
  /** The tables the query named when it ran (absent in entries from before this was kept). */
  tables?: string[];
}

const KEY = 'entries';
const LIMIT = 500;

/** Past queries, newest first, persisted in IndexedDB (idb-keyval) so a reload keeps them. */
export class QueryHistory {
  entries = $state.raw<HistoryEntry[]>([]);
  search = $state('');
  /** Entries from before this page load have no call log left (it lives in the engine's memory). */
  readonly sessionStart = Date.now();
  readonly #store: UseStore | null;
  #loaded: Promise<void>;

  filtered = $derived.by(() => {
    const q = this.search.trim().toLowerCase();
    return q === '' ? this.entries : this.entries.filter((e) => e.sql.toLowerCase().includes(q) || (e.error ?? '').toLowerCase().includes(q));
  });

  constructor(store: UseStore | null = typeof indexedDB === 'undefined' ? null : createStore('semsql-history', 'history')) {
    this.#store = store;
    this.#loaded = this.#load();
  }

  async #load(): Promise<void> {
    if (!this.#store) return;
    try {
      const stored = await get<HistoryEntry[]>(KEY, this.#store);
      // Entries added before the load finished stay on top.
      if (Array.isArray(stored)) this.entries = [...this.entries, ...stored].slice(0, LIMIT);
    } catch {
      // History is a convenience: without IndexedDB it lasts for the session.
    }
  }

  /** Settles once the stored entries are in. */
  whenLoaded(): Promise<void> {
    return this.#loaded;
  }

  async add(entry: Omit<HistoryEntry, 'id'>): Promise<void> {
    await this.#loaded;
    const id = `${entry.at.toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    this.entries = [{ ...entry, id }, ...this.entries].slice(0, LIMIT);
    await this.#save();
  }

  async remove(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await this.#save();
  }

  async clear(): Promise<void> {
    this.entries = [];
    await this.#save();
  }

  async #save(): Promise<void> {
    if (!this.#store) return;
    await set(KEY, $state.snapshot(this.entries), this.#store).catch(() => {});
  }
}

/**
 * A finished run as the history keeps it: its stats, or what progress said before a cancel, and
 * which of `knownTables` it named (so the history can say when one of them is gone).
 */
export function historyEntry(outcome: Outcome, queryId: string | null, knownTables: readonly string[] = [], at: number = Date.now()): Omit<HistoryEntry, 'id'> {
  const stats = outcome.kind === 'ok' ? outcome.result.stats : null;
  const p = outcome.kind === 'cancelled' ? outcome.progress : null;
  return {
    sql: outcome.sql,
    at,
    status: outcome.kind === 'ok' ? 'ok' : outcome.kind,
    queryId,
    rows: outcome.kind === 'ok' ? outcome.result.rows.length : null,
    wallMs: stats?.wall_ms ?? p?.elapsedMs ?? 0,
    calls: stats?.calls ?? p?.done ?? 0,
    cached: stats?.cached ?? p?.cached ?? 0,
    costUsd: stats?.cost_usd ?? p?.costUsd ?? 0,
    error: outcome.kind === 'error' ? (outcome.message.split('\n')[0] ?? outcome.message) : null,
    failed: stats?.errors ?? p?.failed ?? 0,
    tables: tablesNamedIn(outcome.sql, knownTables),
  };
}
