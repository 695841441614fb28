/**
 * Embeddings (issue 17): texts in, unit-length vectors out, one per text in order. The mock and any
 * OpenAI-compatible `/v1/embeddings` endpoint implement it; answers built on it are cached per row
 * like a model's.
 */
export interface Embedding {
  vectors: number[][];
  /** Input tokens the provider counted (0 when it does not say). */
  inputTokens: number;
}

export interface Embedder {
  /** The name answers are cached under: the endpoint and model, e.g. `mock-embed-256`. */
  readonly identity: string;
  embed(texts: readonly string[], signal: AbortSignal): Promise<Embedding>;
}

/** Cosine similarity of two vectors (unit length or not). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A vector scaled to unit length (a zero vector stays zero). */
export function normalize(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n === 0 ? v : v.map((x) => x / n);
}
