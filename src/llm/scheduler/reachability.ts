import type { ProviderErrorKind } from '../../protocol/model';

/**
 * Whether a provider connection can be reached, concluded from what its requests met (issue 22).
 *
 * A network error on one request (a connection reset, a refused connection, "Failed to fetch") is
 * retried like a 5xx, with backoff, within the budget and the wait ceiling. "Unreachable", which
 * stops the query at once with one message, is concluded only when the connection has never had an
 * answer on this page and its last UNREACHABLE_AFTER requests all failed with no answer at all:
 * - once any response has come back (an answer, or an HTTP error such as a 429 or a 500), the
 *   endpoint and the network are known good, and a later failure is that request's, not the
 *   provider's: the first run of a flaky provider answered most rows, so its rerun, which asks only
 *   the inputs that failed, must retry them rather than stop at its first reset;
 * - four in a row, because with requests in flight the first wave of a wrong endpoint or a dead
 *   network already brings four failures (the query stops within one round trip, as fast as before),
 *   one request alone brings four with its retries (about 2 s of backoff), and one or two resets on
 *   a page's first requests (a proxy warming up, a network blip) are still retried.
 */
export const UNREACHABLE_AFTER = 4;

/** Errors that mean no response came back: the request never reached the provider, or never returned. */
const NO_RESPONSE: ReadonlySet<ProviderErrorKind> = new Set(['network', 'timeout', 'cancelled']);

export class Reachability {
  #answered = false;
  #failuresInARow = 0;

  /** A request came back: with an answer, or with an error the provider sent. */
  answered(): void {
    this.#answered = true;
    this.#failuresInARow = 0;
  }

  /** A request failed with `kind`; true when the provider is now concluded unreachable. */
  failed(kind: ProviderErrorKind): boolean {
    if (!NO_RESPONSE.has(kind)) {
      this.answered();
      return false;
    }
    if (kind !== 'network') return false;
    this.#failuresInARow++;
    return this.unreachable;
  }

  get unreachable(): boolean {
    return !this.#answered && this.#failuresInARow >= UNREACHABLE_AFTER;
  }
}
