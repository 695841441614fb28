/**
 * A session's request budget (`-- @ budget`): billed requests it may send in all, retries included,
 * shared by its direct requests and its Message Batches. A request is reserved before it waits for
 * anything, so lanes running side by side cannot overshoot together, and given back when it turns
 * out not to be billed (never sent, or refused with a 429 before the model ran).
 */
export class RequestBudget {
  #used = 0;

  constructor(readonly limit: number) {}

  /** Requests reserved or sent so far: the budget's count. */
  get used(): number {
    return this.#used;
  }

  /** Reserves `n` requests, all or none. */
  take(n = 1): boolean {
    if (this.#used + n > this.limit) return false;
    this.#used += n;
    return true;
  }

  giveBack(n = 1): void {
    this.#used -= n;
  }

  /** What a request refused for the budget says. */
  refusal(requests = 1): string {
    return requests === 1
      ? `not sent: the query's budget of ${this.limit} requests is used up (retries count too); raise it with "-- @ budget: N"`
      : `not sent: ${requests} requests would pass the query's budget of ${this.limit} requests; raise it with "-- @ budget: N"`;
  }
}
