/**
 * Formality on LARS's five steps (very_formal .. very_informal), from surface cues: compromise finds
 * contractions ("gonna", "can't") and interjections ("hey", "lol", "omg"); the rest are counts
 * (long words, letter salutations, emoji, "!!", lower-case starts). No library rates formality, and
 * these cues are the ones style guides name.
 */
import type { Nlp } from './load-nlp';

export type Formality = 'very_formal' | 'formal' | 'neutral' | 'informal' | 'very_informal';

const CHAT = new Set([
  'u',
  'ur',
  'r',
  'thx',
  'pls',
  'plz',
  'dude',
  'bro',
  'ya',
  'yeah',
  'nah',
  'whats',
  'kinda',
  'sorta',
  'gotta',
  'btw',
  'imo',
  'tbh',
  'idk',
  'lmao',
  'haha',
  'yep',
  'nope',
  'cuz',
  'cos',
]);
const LETTER_FORMS =
  /\b(?:dear (?:sir|madam|mr|mrs|ms|dr)|to whom it may concern|sincerely|yours (?:faithfully|truly)|kind regards|best regards|respectfully)\b/i;
const FORMAL_PHRASES =
  /\b(?:would like to|kindly|please find|hereby|pursuant|furthermore|therefore|regarding|accordingly|moreover|nevertheless|i am writing)\b/gi;

export function formalityScore(text: string, nlp: Nlp): number {
  const t = text.trim();
  const words = t.match(/[\p{L}']+/gu) ?? [];
  if (words.length === 0) return 0;
  const doc = nlp.compromise(t);
  const interjections = (doc.match('#Expression').out('array') as string[]).filter((w) => !/^please$/i.test(w)).length;
  let informal = 0.5 * doc.contractions().length + 0.6 * interjections;
  informal += 0.6 * words.filter((w) => CHAT.has(w.toLowerCase())).length;
  informal += 0.4 * (t.match(/\p{Extended_Pictographic}/gu) ?? []).length;
  if (/!!|\?\?|\.\.\./.test(t)) informal += 0.5;
  if (/^\p{Ll}/u.test(t)) informal += 0.4;
  if (/(?:^|\s)i(?:\s|$)/.test(t)) informal += 0.4;
  if (!/[.!?]["')\]]?$/.test(t)) informal += 0.2;
  let formal = LETTER_FORMS.test(t) ? 1.2 : 0;
  formal += 0.5 * (t.match(FORMAL_PHRASES) ?? []).length;
  // About a quarter of the words in everyday English have 7 letters or more; only more than that is formal.
  formal += 4 * Math.max(0, words.filter((w) => w.length >= 7).length / words.length - 0.25);
  const sentences = t.split(/[.!?]+\s/).length;
  if (words.length / sentences >= 14) formal += 0.4;
  return Math.round(Math.tanh(formal - informal) * 100) / 100;
}

/** A wide neutral band: a plain sentence without chat cues ("We shipped the new version today.", 0.32) is not formal yet. */
export function formality(text: string, nlp: Nlp): Formality {
  const s = formalityScore(text, nlp);
  if (s >= 0.75) return 'very_formal';
  if (s >= 0.35) return 'formal';
  if (s > -0.35) return 'neutral';
  if (s > -0.75) return 'informal';
  return 'very_informal';
}
