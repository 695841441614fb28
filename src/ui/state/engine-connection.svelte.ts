import type { SemSQL } from '../../client';
import { errorText } from '../lib/error-text';

export type EnginePhase = 'booting' | 'ready' | 'failed';

/**
 * The page's open client and how its start went. The app and the widget each open one their own way;
 * the catalog and every query runner ask this for the client, so several editors share one engine.
 */
export class EngineConnection {
  phase = $state<EnginePhase>('booting');
  /** Why the start failed, when it did. */
  error = $state<string | null>(null);
  /** What the header says about the engine, e.g. "DuckDB v1.3.0 · eh". */
  label = $state('');
  #client: SemSQL | null = null;

  /** The open client, or null before it opens (and after a failed start). */
  get client(): SemSQL | null {
    return this.#client;
  }

  /** The client for an action that needs it now; throws a message a toast can show. */
  require(): SemSQL {
    if (!this.#client) throw new Error('the engine is not ready');
    return this.#client;
  }

  /**
   * Opens the client with `open` (the app's and the widget's options differ). The client restarts a
   * crashed engine by itself; `onRestart` hears its note, to say so and re-read what survived.
   */
  async open(open: () => Promise<SemSQL>, onRestart: (note: string) => void): Promise<SemSQL> {
    const db = await open();
    this.#client = db;
    this.label = `DuckDB ${db.info.duckdbVersion} · ${db.info.bundle}`;
    db.onRestart(onRestart);
    return db;
  }

  /** Queries may run; `<html data-semsql-ready>` says so too (browser tests wait for it). */
  ready(): void {
    this.phase = 'ready';
    document.documentElement.dataset.semsqlReady = 'true';
  }

  /** The start failed; returns why, in words. */
  fail(e: unknown): string {
    const reason = errorText(e);
    this.phase = 'failed';
    this.error = reason;
    return reason;
  }

  close(): void {
    this.#client?.close();
  }
}
