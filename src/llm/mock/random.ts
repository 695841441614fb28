/**
 * Deterministic randomness for the mock model. Nothing here reads Math.random or the clock: the
 * same inputs give the same numbers on every machine, so demos and tests are reproducible.
 */

/** 32-bit FNV-1a over the UTF-16 units, then a murmur3 finalizer so nearby strings spread apart. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by the text: used for tie-breaks and small score jitter. */
export function unitHash(text: string, seed = 0): number {
  return hash32(text, seed) / 4294967296;
}

/** mulberry32: tiny, fast, good enough for latency and fault draws. Returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic pick from a non-empty list. */
export function pick<T>(items: readonly T[], key: string): T {
  const item = items[hash32(key) % items.length];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}
