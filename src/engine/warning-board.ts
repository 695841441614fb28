/**
 * Warnings for the user (the cache fell back to memory, the call log could not be written, a saved
 * operator did not load). Each running query collects its own, so one query never walks off with
 * another's; a warning raised while none runs waits for the next query.
 */
export class WarningBoard {
  readonly #running = new Map<string, string[]>();
  #waiting: string[] = [];

  begin(queryId: string): void {
    this.#running.set(queryId, this.#waiting);
    this.#waiting = [];
  }

  /** Told once per topic prefix per query: a warning repeated by every batch is still one warning. */
  warn(message: string): void {
    const lists = this.#running.size > 0 ? [...this.#running.values()] : [this.#waiting];
    for (const list of lists) if (!list.includes(message)) list.push(message);
  }

  end(queryId: string): string[] {
    const list = this.#running.get(queryId) ?? [];
    this.#running.delete(queryId);
    return list;
  }
}
