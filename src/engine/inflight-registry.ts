import { hashString } from '../sql';

/**
 * One in-flight registry per origin (docs/design.md, "Statements that write, and paying once"): an input
 * being asked anywhere is asked once.
 *
 * - In this worker, a call under way is a promise other queries wait on (no IPC, no storage).
 * - Across tabs (each tab has its own engine worker), each input's call holds a Web Lock named after
 *   its cache key, from before the call until its answer is in IndexedDB. A tab that finds the lock
 *   held waits for it, then reads IndexedDB. Web Locks rather than BroadcastChannel: a lock is granted
 *   to one holder atomically, while two tabs announcing the same call on a channel can both win; and
 *   a lock is released by the browser when its tab dies, so a closed tab never leaves others waiting.
 *   Rather than a SharedWorker: that would move every model call of every tab into one worker the
 *   browser may not offer (Chrome on Android has none), for a coordination a lock does alone.
 */

/** The part of the Web Locks API the registry uses (injected: Node tests pass their own). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

export interface KeyLock {
  release(): void;
}

const NO_LOCK: KeyLock = { release: () => {} };

export class InflightRegistry {
  readonly #local = new Map<string, Promise<void>>();
  readonly #locks: LockManagerLike | null;
  readonly #namespace: string;

  /**
   * `locks` null: this worker only (a browser without Web Locks, or an insecure context).
   * `namespace`: the storage scope's, so a tab waits only on calls whose answers land where it reads.
   */
  constructor(locks: LockManagerLike | null, namespace = '') {
    this.#locks = locks;
    this.#namespace = namespace;
  }

  /** The call for `key` under way in this worker, if any: wait for it instead of calling. */
  running(key: string): Promise<void> | undefined {
    return this.#local.get(key);
  }

  /** Marks `key` as being called here until `done` settles. */
  track(key: string, done: Promise<void>): void {
    this.#local.set(key, done);
    void done.finally(() => {
      if (this.#local.get(key) === done) this.#local.delete(key);
    });
  }

  /** Lock names stay short whatever the input's size; a collision only makes one tab wait for another. */
  #name(key: string): string {
    return `semsql-call:${this.#namespace}:${hashString(key)}${hashString(key, 0x9e3779b9)}`;
  }

  /** Takes the origin-wide lock for `key` if no other tab holds it; null when one does. */
  tryLock(key: string): Promise<KeyLock | null> {
    const locks = this.#locks;
    if (!locks) return Promise.resolve(NO_LOCK);
    return new Promise((resolve, reject) => {
      locks
        .request(this.#name(key), { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          return new Promise<void>((release) => resolve({ release: () => release() }));
        })
        .catch(reject);
    });
  }

  /** Waits until the tab holding `key`'s lock lets it go, then holds it. */
  lock(key: string, signal: AbortSignal): Promise<KeyLock> {
    const locks = this.#locks;
    if (!locks) return Promise.resolve(NO_LOCK);
    return new Promise((resolve, reject) => {
      locks.request(this.#name(key), { signal }, () => new Promise<void>((release) => resolve({ release: () => release() }))).catch(reject);
    });
  }
}
