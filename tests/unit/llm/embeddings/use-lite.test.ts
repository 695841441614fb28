import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UseLite, Vocabulary } from '../../../../src/llm/embeddings/use-lite';
import { MODEL_DIR, nodeUseLite } from './node-use-lite';
import { PARAPHRASES, auc } from './paraphrases';

/**
 * The on-device model (Universal Sentence Encoder lite on TensorFlow.js's WASM backend) in Node,
 * through the loader and runner the embeddings worker uses. The browser side (the built worker,
 * the service worker, a query) is tests/e2e/on-device-embeddings.test.ts.
 */
let model: UseLite;
const vocabulary = JSON.parse(readFileSync(join(MODEL_DIR, 'vocab.json'), 'utf8')) as Vocabulary;
const loads: [number, number][] = [];

beforeAll(async () => {
  model = await nodeUseLite((loaded, total) => loads.push([loaded, total]));
}, 120_000);

const cosine = (v: Float32Array, i: number, j: number) => {
  let dot = 0;
  for (let k = 0; k < model.dimensions; k++) dot += (v[i * model.dimensions + k] as number) * (v[j * model.dimensions + k] as number);
  return dot;
};

describe('the tokenizer (SentencePiece, 8,000 pieces)', () => {
  it('turns a known sentence into its known ids, accented letters included (the UTF-8 trap)', () => {
    // Read as Latin-1 instead of UTF-8, the word separator "▁" (U+2581) of the tokenizer's source
    // becomes three other characters, no piece starts a word, and "café" no longer finds "é".
    const ids = model.tokenize('Hello world. The café opened.');
    expect(ids).toEqual([341, 4125, 311, 6, 34, 976, 209, 1133, 2921, 6]);
    expect(ids.map((id) => vocabulary[id]?.[0]).join('')).toBe('▁Hello▁world.▁The▁café▁opened.');
  });

  it('keeps at most 512 tokens of a long text', () => {
    expect(model.tokenize('word '.repeat(2_000))).toHaveLength(512);
  });
});

describe('vectors', () => {
  it('are unit length, 512 numbers a text, the same for a text alone or in a batch', async () => {
    const alone = await model.embed(['the plane never took off']);
    const batch = await model.embed(['a much longer text about several unrelated things, to pad the batch', 'the plane never took off']);
    expect(alone).toHaveLength(512);
    expect(batch).toHaveLength(1024);
    expect(Math.abs(cosine(alone, 0, 0) - 1)).toBeLessThan(1e-5);
    // Padding in a batch moves the last bits only.
    for (let k = 0; k < 512; k++) expect(Math.abs((batch[512 + k] as number) - (alone[k] as number))).toBeLessThan(1e-5);
  });

  it('give an empty text the zero vector', async () => {
    const v = await model.embed(['']);
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('rank paraphrases that share no content word above the same texts paired at random', async () => {
    const left = PARAPHRASES.map(([a]) => a);
    const right = PARAPHRASES.map(([, b]) => b);
    const v = await model.embed([...left, ...right]);
    const n = PARAPHRASES.length;
    const paired = PARAPHRASES.map((_, i) => cosine(v, i, n + i));
    // Each left text with the right text of a pair 7 places on: unrelated, and the same texts.
    const shuffled = PARAPHRASES.map((_, i) => cosine(v, i, n + ((i + 7) % n)));
    const score = auc(paired, shuffled);
    console.log(`paraphrases: AUC ${score.toFixed(3)}, mean cosine ${mean(paired).toFixed(3)} against ${mean(shuffled).toFixed(3)}`);
    expect(score).toBeGreaterThan(0.9);
    expect(mean(paired)).toBeGreaterThan(mean(shuffled) + 0.2);
  });

  it("load with their progress counted up to the files' full size", () => {
    const [loaded, total] = loads.at(-1) ?? [0, 0];
    expect(loads.length).toBeGreaterThan(7);
    expect(loaded).toBe(total);
    expect(total).toBeGreaterThan(28_000_000);
  });
});

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
