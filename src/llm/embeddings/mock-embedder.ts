import { stemmer } from 'stemmer';
import { eng, removeStopwords } from 'stopword';
import { hash32 } from '../mock/random';
import { normalize, type Embedder, type Embedding } from './embedder';

/**
 * The offline embedder: feature hashing. Each content word (stopwords removed by `stopword`,
 * reduced to its stem by `stemmer`, so "baking" and "baked" meet) adds ±1 at a hashed position, and
 * its character trigrams add a little more, so spelling variants land near each other. Texts that
 * share words point the same way: cosine similarity is word overlap, deterministic and instant.
 * It knows no synonyms ("car" and "automobile" are unrelated): that takes a trained model.
 */
export const MOCK_EMBEDDING_DIMENSIONS = 256;
const TRIGRAM_WEIGHT = 0.3;

export function mockEmbedder(dimensions = MOCK_EMBEDDING_DIMENSIONS): Embedder {
  return {
    identity: `mock-embed-${dimensions}`,
    async embed(texts: readonly string[]): Promise<Embedding> {
      return { vectors: texts.map((t) => mockVector(t, dimensions)), inputTokens: texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0) };
    },
  };
}

export function mockVector(text: string, dimensions = MOCK_EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const h = hash32(feature, 0x9e3779b9);
    v[h % dimensions] = (v[h % dimensions] as number) + ((h >>> 31) === 1 ? -weight : weight);
  };
  const words = removeStopwords(text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ''), eng);
  for (const word of words) {
    const stem = stemmer(word);
    add(`w:${stem}`, 1);
    const padded = `^${stem}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  return normalize(v).map((x) => Math.round(x * 1e6) / 1e6);
}
