import type { SemSQL } from '../../client';
import { errorText } from '../lib/error-text';

export type EnginePhase = 'booting' | 'ready' | 'failed';

/** What a start is doing, for the progress the page shows meanwhile. */
export type BootStep = 'engine' | 'data';

/** A promise and its settlers (Promise.withResolvers is newer than the build target). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting when a start fails; that is not an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * The page's open client and how its start went. The app and the widget each open one their own way;
 * the catalog and every query runner ask this for the client, so several editors share one engine.
 */
export class EngineConnection {
  phase = $state<EnginePhase>('booting');
  /** Why the start failed, when it did. */
  error = $state<string | null>(null);
  /** What the header says about the engine, e.g. "DuckDB v1.4.3". */
  label = $state('');
  /** Which DuckDB-WASM build runs, in words (the header's tooltip). */
  build = $state('');
  /** The start's current step, while booting. */
  step = $state<BootStep>('engine');
  /** When the start began (ms since the epoch), for the elapsed time shown while waiting. */
  readonly startedAt = Date.now();
  #client: SemSQL | null = null;
  readonly #opened = deferred<SemSQL>();
  readonly #ready = deferred<SemSQL>();

  /** The open client, or null before it opens (and after a failed start). */
  get client(): SemSQL | null {
    return this.#client;
  }

  /** The client once it is open (loads may go ahead); rejects when the start failed. */
  whenOpen(): Promise<SemSQL> {
    return this.#opened.promise;
  }

  /** The client once queries may run (the app's sample is in too); rejects when the start failed. */
  whenReady(): Promise<SemSQL> {
    return this.#ready.promise;
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
    this.label = `DuckDB ${db.info.duckdbVersion}`;
    // "eh" and "mvp" are DuckDB-WASM's names for its two builds; the user gets what they mean.
    this.build =
      db.info.bundle === 'eh'
        ? 'the faster build, for browsers with WebAssembly exceptions ("eh")'
        : 'the compatibility build, for browsers without WebAssembly exceptions ("mvp")';
    db.onRestart(onRestart);
    this.step = 'data';
    this.#opened.resolve(db);
    return db;
  }

  /** Queries may run; `<html data-semsql-ready>` says so too (browser tests wait for it). */
  ready(): void {
    this.phase = 'ready';
    document.documentElement.dataset.semsqlReady = 'true';
    if (this.#client) this.#ready.resolve(this.#client);
  }

  /** The start failed; returns why, in words. */
  fail(e: unknown): string {
    const reason = errorText(e);
    this.phase = 'failed';
    this.error = reason;
    const error = new Error(`the engine did not start: ${reason}`);
    this.#opened.reject(error);
    this.#ready.reject(error);
    return reason;
  }

  close(): void {
    this.#client?.close();
  }
}
