/**
 * What a provider connection has shown so far, for planning: how long a request takes and how that
 * grows with its output, how far the provider's input-token counts are from our estimates, and how
 * many output tokens an answer uses per task. Moving averages, shared by every session of the
 * connection, so the second query plans with what the first one saw. Before anything is seen,
 * planning uses the defaults below.
 */

/** Latency of a request before any was seen: a small model's typical first answer. */
const DEFAULT_BASE_LATENCY_MS = 1_000;
/** Time per output token before it is measured (small models write 100–200 tokens/s). */
const DEFAULT_MS_PER_OUTPUT_TOKEN = 6;
/** Weight of the newest observation. */
const ALPHA = 0.2;
/** Output sizes must spread at least this much (tokens, standard deviation) to read a slope from them. */
const MIN_SPREAD_TOKENS = 20;

export class ConnectionStats {
  /** Moving averages of output tokens (x), latency (y), x², x·y: a least-squares line through recent requests. */
  #x: number | undefined;
  #y = 0;
  #xx = 0;
  #xy = 0;
  #inputRatio: number | undefined;
  readonly #answerTokens = new Map<string, number>();
  #batchTurnaroundMs: number | undefined;

  /** A request's answer arrived: `ms` after it was sent, having used these tokens for `rows` rows. */
  observe(task: string, rows: number, ms: number, estimatedInput: number, used: { inputTokens: number; outputTokens: number }): void {
    const x = used.outputTokens;
    if (this.#x === undefined) {
      [this.#x, this.#y, this.#xx, this.#xy] = [x, ms, x * x, x * ms];
    } else {
      this.#x = average(this.#x, x);
      this.#y = average(this.#y, ms);
      this.#xx = average(this.#xx, x * x);
      this.#xy = average(this.#xy, x * ms);
    }
    if (estimatedInput > 0 && used.inputTokens > 0) this.#inputRatio = average(this.#inputRatio ?? 1, used.inputTokens / estimatedInput);
    if (rows > 0 && used.outputTokens > 0) this.#answerTokens.set(task, average(this.#answerTokens.get(task), used.outputTokens / rows));
  }

  /** A Message Batch ended `ms` after it was submitted. */
  observeBatch(ms: number): void {
    this.#batchTurnaroundMs = average(this.#batchTurnaroundMs, ms);
  }

  /** How long a Message Batch takes to end: as seen, or `fallback` before one has. */
  batchTurnaroundMs(fallback: number): number {
    return this.#batchTurnaroundMs ?? fallback;
  }

  /** Expected latency of a request whose answers use `outputTokens`. */
  latencyMs(outputTokens: number): number {
    const slope = this.#slope();
    if (this.#x === undefined) return DEFAULT_BASE_LATENCY_MS + outputTokens * slope;
    return Math.max(0, this.#y + (outputTokens - this.#x) * slope);
  }

  /** Our input estimate corrected by what the provider counted so far. */
  inputTokens(estimate: number): number {
    return Math.ceil(estimate * (this.#inputRatio ?? 1));
  }

  /** Output tokens per row for a task, or `fallback` before its first answer. */
  answerTokens(task: string, fallback: number): number {
    return this.#answerTokens.get(task) ?? fallback;
  }

  /** Ms per output token: measured once requests of different sizes were seen, else the default. */
  #slope(): number {
    if (this.#x === undefined) return DEFAULT_MS_PER_OUTPUT_TOKEN;
    const variance = this.#xx - this.#x * this.#x;
    if (variance < MIN_SPREAD_TOKENS * MIN_SPREAD_TOKENS) return DEFAULT_MS_PER_OUTPUT_TOKEN;
    const slope = (this.#xy - this.#x * this.#y) / variance;
    return Math.min(50, Math.max(0, slope));
  }
}

function average(old: number | undefined, next: number): number {
  return old === undefined ? next : old + ALPHA * (next - old);
}
