import type { Miss } from './query-run';

/**
 * Early LIMIT waves (docs/design.md, "Early answers for LIMIT"): misses are resolved in scan order, a
 * first wave of max(N, 2k), then waves sized by the match rate seen so far, doubling while nothing
 * matches, so the calls made stay close to the position of the k-th match.
 */
export class WavePlanner {
  readonly #limit: number;
  readonly #fixed: number | undefined;
  readonly #parallel: number;
  #wave: number;
  /** Inputs resolved so far (called or found stored): the denominator of the match rate. */
  #known = 0;

  constructor(early: { limit: number; wave?: number }, parallel: number) {
    this.#limit = early.limit;
    this.#fixed = early.wave;
    this.#parallel = parallel;
    this.#wave = early.wave ?? Math.max(parallel, 2 * early.limit);
  }

  /** Inputs found in the cache count as resolved, for the match rate. */
  found(n: number): void {
    this.#known += n;
  }

  /** The next wave, after a pass that returned `returned` rows; `first` for the first wave. */
  next(misses: readonly Miss[], returned: number, first: boolean): Miss[] {
    if (!first && this.#known > 0) {
      this.#wave = this.#fixed ?? (returned > 0 ? Math.max(this.#parallel, Math.ceil(((this.#limit - returned) * this.#known) / returned)) : this.#wave * 2);
    }
    const wave = misses.slice(0, this.#wave);
    this.#known += wave.length;
    return wave;
  }
}
