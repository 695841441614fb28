/**
 * Sound-alike names by Double Metaphone (primary and alternate codes), which matches Smith/Smyth,
 * Catherine/Kathryn, Stephen/Steven and Jon/John; Soundex misses Catherine/Kathryn.
 */
import type { Nlp } from './load-nlp';

function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '');
}

function codes(word: string, nlp: Nlp): Set<string> {
  return new Set(nlp.doubleMetaphone(word).filter((c) => c !== ''));
}

/** Two words sound alike when their codes share one: "Schmidt" and "Smith" both have XMT. */
function wordsSoundAlike(a: string, b: string, nlp: Nlp): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const x = codes(a, nlp);
  for (const code of codes(b, nlp)) if (x.has(code)) return true;
  return false;
}

/**
 * The texts sound alike word by word; with different word counts ("MacDonald" / "Mac Donald"), the
 * run-together spellings are compared instead.
 */
export function soundsLike(a: string, b: string, nlp: Nlp): boolean {
  const x = words(a);
  const y = words(b);
  if (x.length === 0 || y.length === 0) return false;
  if (x.length === y.length) return x.every((w, i) => wordsSoundAlike(w, y[i] ?? '', nlp));
  return wordsSoundAlike(x.join(''), y.join(''), nlp);
}
