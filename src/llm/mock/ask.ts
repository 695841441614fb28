/**
 * ASK: answers a question about a text by the question's kind: a number for numeric questions,
 * yes or no for yes/no questions (judged like MEANS, so "Is this review positive?" follows the
 * sentiment), a name, date or place for who / when / where, and a gist otherwise.
 */
import { extract, keyPhrase, languageNameOf, properNames } from './extract';
import { matches, sentimentLabel } from './judgements';
import { condense } from './language';
import { entities } from './nlp/entities';
import type { Nlp } from './nlp/load-nlp';
import { numericAnswer } from './numeric-questions';
import { conceptLabel, features } from './text-features';

/** Lower-cases a leading capital for use mid-sentence, but leaves acronyms ("SQL", "AI") alone. */
export const lowerFirst = (s: string) => (/^[A-Z]{2,}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));

export const YES_NO = /^\s*(?:is|are|does|do|did|can|could|was|were|will|would|has|have|should)\b/i;
/** The question itself asks for a bare answer. */
const BARE = /\byes or no\b|\byes\/no\b|\btrue or false\b|\bone word\b|\banswer (?:only )?(?:with )?(?:yes|no)\b/i;

/** What a text is about, in words: its strongest concepts, or a key phrase. */
export function aboutPhrase(text: string): string {
  const concepts = [...features(text).concepts]
    .filter(([id, strength]) => strength >= 0.5 && id !== 'question')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([id]) => lowerFirst(conceptLabel(id)));
  if (concepts.length > 0) return concepts.join(' and ');
  return keyPhrase(text) ?? 'nothing in particular';
}

/** The yes/no clause of a question ("Based on the review, is the customer happy?" → "is the customer happy"). */
function yesNoClause(question: string): string | undefined {
  return question
    .split(/[,:;]\s*|(?<=[.?!])\s+/)
    .map((part) => part.trim())
    .find((part) => YES_NO.test(part));
}

function answerYesNo(text: string, question: string, clause: string, nlp: Nlp | undefined): string {
  const yes = matches(text, clause.replace(YES_NO, '').replace(/[?.!]+$/, ''), 0.5, nlp);
  if (BARE.test(question)) return yes ? 'Yes' : 'No';
  return yes ? `Yes: ${lowerFirst(condense(text, 12))}` : 'No, the text does not suggest that.';
}

export function ask(text: string, question: string, nlp?: Nlp): string {
  const q = question.toLowerCase();
  if (text.trim() === '') return 'There is no text to answer from.';
  const number = numericAnswer(text, question, nlp);
  if (number !== undefined) return number;
  const clause = yesNoClause(question);
  if (clause !== undefined) return answerYesNo(text, question, clause, nlp);
  if (/\bwho\b/.test(q)) {
    const mentions = text.match(/(?<![\w.])@[A-Za-z0-9_]+/g) ?? [];
    if (mentions.length > 0) return mentions.join(' and ');
    const people = nlp === undefined ? [] : entities(text, 'people', nlp);
    return people[0] ?? properNames(text)[0] ?? 'The author; no one else is named.';
  }
  if (/\bwhen\b|what (?:date|day|time)/.test(q)) return extract(text, 'date', nlp) ?? 'The text does not say when.';
  if (/\bwhere\b/.test(q)) {
    const places = nlp === undefined ? [] : entities(text, 'places', nlp);
    return places[0] ?? properNames(text)[0] ?? 'The text does not say where.';
  }
  if (/how much|what (?:price|number|amount)/.test(q)) return extract(text, 'amount', nlp) ?? 'No number is given.';
  if (/\bwhy\b/.test(q)) return `Because ${lowerFirst(condense(text, 14))}`;
  if (/sentiment|tone|feel|mood|happy|angry/.test(q)) return `The tone is ${sentimentLabel(text, nlp)}.`;
  if (/language/.test(q)) return `It is written in ${languageNameOf(text, nlp)}.`;
  if (/summar|tl;?dr|gist|main point/.test(q)) return condense(text);
  if (/\bwhat\b|\bwhich\b/.test(q)) {
    const found = extract(text, question, nlp);
    if (found !== null) return found;
  }
  return `It is about ${aboutPhrase(text)}: "${condense(text, 12)}"`;
}
