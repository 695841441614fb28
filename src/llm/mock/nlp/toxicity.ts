/**
 * Toxicity as a small heuristic over wink-sentiment's per-word AFINN valences: hostility aimed at
 * someone ("you are an idiot") counts fully, hostility about things ("I hate Mondays", "my dog died")
 * little, and the words AFINN rates -4 or -5 (profanity and slurs) count on their own.
 * Examples it was tuned on: "Thank you for your help!" 0, "My dog died, I am so sad" 1.25, "You are an
 * idiot" 3, "Shut up you stupid fucking moron" 11.
 */
import type { Nlp } from './load-nlp';

const SECOND_PERSON = /\b(?:you|your|you're|youre|yourself|ur|u|ya)\b/i;

export function toxicityScore(text: string, nlp: Nlp): number {
  let score = 0;
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    const tokens = nlp.wink(sentence).tokenizedPhrase ?? [];
    const hostility = -tokens.reduce((sum, t) => sum + Math.min(0, t.score ?? 0), 0);
    const warmth = tokens.reduce((sum, t) => sum + Math.max(0, t.score ?? 0), 0);
    const net = Math.max(0, hostility - warmth);
    score += SECOND_PERSON.test(sentence) ? net : net / 4;
    score += 2 * tokens.filter((t) => (t.score ?? 0) <= -4).length;
  }
  // Shouting: two or more all-caps words, or "!!".
  const shouting = (text.match(/\b[A-Z]{3,}\b/g) ?? []).length >= 2 || /!!/.test(text);
  return Math.round((shouting ? score * 1.3 : score) * 100) / 100;
}

const LEVELS = ['Civil', 'Mildly Toxic', 'Moderately Toxic', 'Highly Toxic', 'Severely Toxic'];
const FOCUS_LEVELS = ['No', 'Low', 'Moderate', 'High', 'Extreme'];
/** Upper bounds of the five levels' scores. */
const CUTS = [1.5, 3, 5, 8];

/**
 * The level of a text on a scale of `levels` labels (2 to 5; the wording has five steps): LARS's
 * "Civil .. Severely Toxic", or "No .. Extreme <focus>" when a kind of harm is named.
 */
export function toxicityLevel(text: string, nlp: Nlp, focus = '', levels = 5): string {
  const n = levelCount(levels);
  const score = toxicityScore(text, nlp);
  const five = CUTS.filter((cut) => score >= cut).length;
  const picked = Math.round((five * (n - 1)) / 4);
  return levelName(Math.round((picked * 4) / (n - 1)), focus);
}

/** Every label of the scale toxicityLevel answers on, mildest first (a dimension's proposed labels). */
export function toxicityLevels(focus = '', levels = 5): string[] {
  const n = levelCount(levels);
  return Array.from({ length: n }, (_, i) => levelName(Math.round((i * 4) / (n - 1)), focus));
}

const levelCount = (levels: number) => Math.min(5, Math.max(2, Math.round(Number.isFinite(levels) ? levels : 5)));

function levelName(step: number, focus: string): string {
  const harm = focus.trim().replace(/[_-]+/g, ' ');
  return harm === '' ? (LEVELS[step] ?? 'Civil') : `${FOCUS_LEVELS[step] ?? 'No'} ${harm}`;
}
