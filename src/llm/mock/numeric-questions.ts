/**
 * Questions that want a number: "On a scale from 1 to 5, how positive is this review? Answer with
 * one digit." gets "4"; "How many bugs are mentioned?" gets "2". Before this the mock answered such
 * questions with a key phrase or the first number in the text ("8217", "44").
 */
import { criterionScore, sentiment } from './judgements';
import { explicitRating } from './nlp/explicit-rating';
import { entities } from './nlp/entities';
import type { Nlp } from './nlp/load-nlp';
import { sentimentIntent } from './sentiment-intent';
import { sentences, stem, tokenize } from './text-features';

interface Scale {
  lo: number;
  hi: number;
  integer: boolean;
}

const NUM = String.raw`(-?\d+(?:\.\d+)?)`;
/** Bounds may carry a gloss: "from 1 (very negative) to 5 (very positive)". */
const GLOSS = String.raw`\s*(?:\([^)]*\))?\s*`;
const RANGE = new RegExp(String.raw`(?:scale|range|from|between|of)\s*(?:of\s*)?${NUM}${GLOSS}(?:to|-|–|and)${GLOSS}${NUM}`, 'i');
const SHORT_RANGE = new RegExp(String.raw`\b${NUM}\s*[-–]\s*${NUM}\s*(?:scale|rating|score)?\b`, 'i');
const OUT_OF = /\bout of (\d+)\b/i;
const WANTS_INTEGER = /\b(?:digit|integer|whole number|single number)\b/i;
const WANTS_NUMBER = /\b(?:answer|respond|reply|give|return)\b[^.?!]*\b(?:a|one|single)\s+(?:number|digit|score)\b/i;

/** The scale a question asks to answer on, if any. */
export function scaleOf(question: string): Scale | undefined {
  const range = RANGE.exec(question) ?? SHORT_RANGE.exec(question);
  const out = OUT_OF.exec(question);
  let lo: number;
  let hi: number;
  if (range?.[1] !== undefined && range[2] !== undefined) {
    lo = Number(range[1]);
    hi = Number(range[2]);
  } else if (out?.[1] !== undefined) {
    hi = Number(out[1]);
    lo = hi === 1 || hi === 100 ? 0 : 1;
  } else if (WANTS_NUMBER.test(question)) {
    // "Answer with one digit", no scale named: what a person means by a rating.
    [lo, hi] = WANTS_INTEGER.test(question) ? [1, 9] : [1, 10];
  } else return undefined;
  if (!(hi > lo)) return undefined;
  const integer = WANTS_INTEGER.test(question) || (Number.isInteger(lo) && Number.isInteger(hi) && hi - lo >= 2);
  return { lo, hi, integer };
}

/** The question minus its scale and answer-format boilerplate: what is being rated ("how positive is this review"). */
function measured(question: string): string {
  return question
    .replace(RANGE, ' ')
    .replace(SHORT_RANGE, ' ')
    .replace(OUT_OF, ' ')
    .replace(/\b(?:on a|scale|rate|rating|score|answer|respond|reply|with|only|one|a|single|digit|number|integer|please|how|just)\b/gi, ' ')
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Where a text falls on a polarity, 0..1. Sentiment scores seldom pass ±0.7 (two lexicons averaged
 * over sentences), so they are stretched: "Absolutely wonderful, the best I have owned" (0.69) is a
 * 5 of 5, a text without sentiment a 3.
 */
function polarityUnit(text: string, polarity: 1 | -1, nlp: Nlp | undefined): number {
  const s = sentiment(text, nlp) * polarity;
  return (Math.min(1, Math.max(-1, s * 1.6)) + 1) / 2;
}

/** A number on the question's scale: where the text falls on what is measured, mapped onto the scale. */
function onScale(text: string, question: string, scale: Scale, nlp: Nlp | undefined): string {
  const what = measured(question);
  const intent = sentimentIntent(what);
  // "How many stars?" with the stars stated in the text.
  const stated = /\bstars?\b|\brating\b/i.test(question) ? explicitRating(text) : undefined;
  let unit: number;
  if (stated !== undefined) unit = stated;
  else if (what === '') unit = 0.5;
  else if (intent !== undefined && intent.polarity !== 0 && intent.topic === '') unit = polarityUnit(text, intent.polarity, nlp);
  else unit = criterionScore(text, what, nlp);
  const value = scale.lo + unit * (scale.hi - scale.lo);
  return String(scale.integer ? Math.round(value) : Math.round(value * 100) / 100);
}

const HOW_MANY =
  /how many\s+([\p{L}][\p{L}\s-]*?)(?=\s+(?:are|is|does|do|did|were|was|has|have|would|will|can|could|should|in|on|of|mentioned|listed|named|there)\b|[?.,!]|$)/iu;

/** "How many X": a number written next to X, else how often X occurs, else 0. */
function howMany(text: string, question: string, nlp: Nlp | undefined): string {
  const noun = HOW_MANY.exec(question)?.[1]?.trim().toLowerCase() ?? '';
  if (/^stars?$/.test(noun)) {
    const rating = explicitRating(text);
    return String(Math.round(1 + (rating ?? criterionScore(text, 'positive', nlp)) * 4));
  }
  if (/^words?$/.test(noun)) return String(tokenize(text).length);
  if (/^sentences?$/.test(noun)) return String(sentences(text).length);
  if (/^(?:characters?|letters?)$/.test(noun)) return String(noun.startsWith('letter') ? (text.match(/\p{L}/gu) ?? []).length : text.length);
  const head = noun.split(/\s+/).pop() ?? '';
  if (head === '') return '0';
  const headStem = stem(head);
  const words = tokenize(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === undefined || !/^\d+$/.test(w.word)) continue;
    // "3 cats", "3 grey cats"
    if (words[i + 1]?.stem === headStem || words[i + 2]?.stem === headStem) return w.word;
  }
  if (nlp !== undefined && /^(?:people|persons?|names?)$/.test(head)) return String(entities(text, 'people', nlp).length);
  return String(words.filter((w) => w.stem === headStem).length);
}

/** The answer to a question that wants a number, or undefined when it does not want one. */
export function numericAnswer(text: string, question: string, nlp: Nlp | undefined): string | undefined {
  if (/\bhow many\b/i.test(question)) return howMany(text, question, nlp);
  const scale = scaleOf(question);
  return scale === undefined ? undefined : onScale(text, question, scale, nlp);
}
