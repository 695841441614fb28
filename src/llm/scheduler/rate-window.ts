import { ProviderError } from '../provider';
import { formatWait } from './adaptive-limit';
import type { AnthropicSettings } from '../../protocol/settings';
import { abortableSleep } from './retry';

/**
 * Optional client-side limits from Settings (`requestsPerMinute`, `tokensPerMinute`; 0 = none): a
 * sliding window over the last minute of granted calls. For keys on a low tier, staying under the
 * limit costs less than meeting 429s. Callers are served in order, so a large call is not starved
 * by a stream of small ones. Time and waiting are injected for tests.
 */

export interface RateWindowOptions {
  requestsPerMinute: number;
  tokensPerMinute: number;
  windowMs?: number;
  /** Monotonic ms. */
  clock?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Grant {
  at: number;
  tokens: number;
}

export class RateWindow {
  readonly #rpm: number;
  readonly #tpm: number;
  readonly #windowMs: number;
  readonly #clock: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #grants: Grant[] = [];
  /** The previous caller's turn: each acquire waits for it, so grants go out in call order. */
  #turn: Promise<void> = Promise.resolve();

  constructor(options: RateWindowOptions) {
    this.#rpm = Math.max(0, Math.floor(options.requestsPerMinute || 0));
    this.#tpm = Math.max(0, Math.floor(options.tokensPerMinute || 0));
    this.#windowMs = options.windowMs ?? 60_000;
    this.#clock = options.clock ?? (() => performance.now());
    this.#sleep = options.sleep ?? abortableSleep;
  }

  get enabled(): boolean {
    return this.#rpm > 0 || this.#tpm > 0;
  }

  /**
   * Waits until a call of about `tokens` tokens fits in the window, then counts it; a wait longer
   * than `maxWaitMs` is refused with a `wait_limit` ProviderError instead.
   */
  async acquire(tokens: number, signal: AbortSignal, maxWaitMs = Infinity): Promise<void> {
    if (signal.aborted) throw signal.reason;
    if (!this.enabled) return;
    const previous = this.#turn;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    // The next caller waits for this one and for everyone before it, even if this one gives up.
    this.#turn = Promise.all([previous, mine]).then(() => undefined);
    try {
      await raceAbort(previous, signal);
      for (;;) {
        const wait = this.#waitMs(tokens);
        if (wait <= 0) break;
        if (wait > maxWaitMs) {
          throw new ProviderError({
            kind: 'wait_limit',
            retryAfterMs: wait,
            message: `the per-minute limits in settings would hold this call for ${formatWait(wait)}, longer than this query waits (${formatWait(maxWaitMs)}; maxWaitMs in settings)`,
          });
        }
        await this.#sleep(wait, signal);
      }
      this.#grants.push({ at: this.#clock(), tokens: Math.max(0, tokens) });
    } finally {
      done();
    }
  }

  /** Ms until a call of `tokens` fits, 0 when it fits now. */
  #waitMs(tokens: number): number {
    const now = this.#clock();
    while (this.#grants.length > 0 && (this.#grants[0] as Grant).at <= now - this.#windowMs) this.#grants.shift();
    const expiry = (g: Grant) => g.at + this.#windowMs - now;
    let wait = 0;
    if (this.#rpm > 0 && this.#grants.length >= this.#rpm) {
      wait = Math.max(wait, expiry(this.#grants[this.#grants.length - this.#rpm] as Grant));
    }
    if (this.#tpm > 0) {
      // A call bigger than the whole budget still goes, alone in its window, rather than never.
      const need = Math.min(tokens, this.#tpm);
      let used = this.#grants.reduce((sum, g) => sum + g.tokens, 0);
      for (const grant of this.#grants) {
        if (used + need <= this.#tpm) break;
        used -= grant.tokens;
        wait = Math.max(wait, expiry(grant));
      }
    }
    return wait;
  }
}

/**
 * Waits for the previous caller, but an abort ends the wait at once. The previous caller always
 * settles (its finally runs), so the chain never stalls.
 */
function raceAbort(previous: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Client-side per-minute limits apply to the real provider only; the mock has none. */
export function rateWindowFor(provider: 'mock' | 'anthropic', limits: Pick<AnthropicSettings, 'requestsPerMinute' | 'tokensPerMinute'>): RateWindow | undefined {
  const { requestsPerMinute, tokensPerMinute } = limits;
  if (provider !== 'anthropic' || (requestsPerMinute === 0 && tokensPerMinute === 0)) return undefined;
  return new RateWindow({ requestsPerMinute, tokensPerMinute });
}
