import type { CallOutcome } from '../protocol/model-calls';
import { EMBEDDING_OPERATORS } from '../llm/embeddings/embedding-answers';

/**
 * A query's calls, counted apart by who answered them: distinct inputs the model was asked, and
 * texts and requests the embeddings model was sent (issue 23: a cascade's proxy vectors once made its
 * run look dearer than the run without it, because they were counted as model calls).
 */
export class CallCounts {
  #calls = 0;
  #embeddingTexts = 0;
  /** Each settled text's share of the requests that carried it: the shares add up to the requests. */
  #embeddingRequests = 0;

  record(outcome: CallOutcome): void {
    if (outcome.status === 'cancelled') return;
    if (!EMBEDDING_OPERATORS.has(outcome.request.operator)) {
      this.#calls++;
      return;
    }
    this.#embeddingTexts++;
    this.#embeddingRequests += outcome.attempts / Math.max(1, outcome.rowsInRequest);
  }

  stats(): { calls: number; embedding_texts: number; embedding_requests: number } {
    return { calls: this.#calls, embedding_texts: this.#embeddingTexts, embedding_requests: Math.round(this.#embeddingRequests) };
  }
}
