import { stemmer } from 'stemmer';
import { eng, removeStopwords } from 'stopword';
import { hash32 } from '../mock/random';
import { features } from '../mock/text-features';
import { normalize, type Embedder, type Embedding } from './embedder';

/**
 * The offline embedder: feature hashing. Each content word (stopwords removed by `stopword`,
 * reduced to its stem by `stemmer`, so "baking" and "baked" meet) adds ±1 at a hashed position, and
 * its character trigrams add a little more, so spelling variants land near each other. Each concept
 * of the offline model's lexicon the text touches ("sourdough", "loaf" and "oven" are all cooking)
 * adds its strength at the concept's own position, so texts about one thing in different words meet
 * too, as they do in a trained model's space. Without that, a third of the sample tweets the offline
 * model judges to be about "the sourdough baking journey" shared no word with it and scored 0: the
 * scores ranked its answers at AUC 0.69 over the 3,000 tweets, 0.989 with concepts. Beyond the
 * lexicon it knows no synonyms ("car" and "automobile" are unrelated).
 */
export const MOCK_EMBEDDING_DIMENSIONS = 256;
const TRIGRAM_WEIGHT = 0.3;
/**
 * A concept at full strength weighs as much as two words. AUC against the offline model's MEANS on
 * the sample tweets and on bench/cases/cascade-data.ts's messages: weight 1 0.80 and 0.993, 2 0.989
 * and 0.991, 3 0.997 and 0.987 (more weight drowns the words that tell one complaint from another).
 */
const CONCEPT_WEIGHT = 2;

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
    v[h % dimensions] = (v[h % dimensions] as number) + (h >>> 31 === 1 ? -weight : weight);
  };
  const words = removeStopwords(
    text
      .toLowerCase()
      .normalize('NFKC')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== ''),
    eng,
  );
  for (const word of words) {
    const stem = stemmer(word);
    add(`w:${stem}`, 1);
    const padded = `^${stem}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  for (const [concept, strength] of features(text).concepts) add(`k:${concept}`, CONCEPT_WEIGHT * strength);
  return normalize(v).map((x) => Math.round(x * 1e6) / 1e6);
}
