/**
 * clean_year: the year a messy value means ("FY2023", "circa 1990", "'90s", "nineteen eighty-four",
 * "3/5/21"), or -1. Digits first, then dates chrono reads with a written year, then spelled-out numbers (compromise reads "two thousand
 * and five" as 2005 and "nineteen eighty-four" as 19, 80, 4), then decade words.
 */
import { REFERENCE_DAY } from './dates';
import type { Nlp } from './load-nlp';

/** Two-digit years up to this are 20xx, later ones 19xx (what people mean by '29 and '31 today). */
const PIVOT = 30;
const DECADES: Readonly<Record<string, number>> = {
  twenties: 1920,
  thirties: 1930,
  forties: 1940,
  fifties: 1950,
  sixties: 1960,
  seventies: 1970,
  eighties: 1980,
  nineties: 1990,
};

function fromTwoDigits(yy: number): number {
  return yy <= PIVOT ? 2000 + yy : 1900 + yy;
}

function spelledYear(text: string, nlp: Nlp): number | undefined {
  // get() gives an array of values, or the empty view itself when there are none.
  const got: unknown = nlp.compromise(text).numbers().get();
  const numbers = Array.isArray(got) ? got.filter((n): n is number => typeof n === 'number') : [];
  const [a, b, c] = numbers;
  if (a !== undefined && a >= 1000 && a <= 2099) return a;
  // "nineteen eighty-four" → 19, 80, 4; "nineteen ninety" → 19, 90
  if (a !== undefined && b !== undefined && a >= 10 && a <= 20 && b >= 10 && b <= 99) {
    const units = c !== undefined && c < 10 && b % 10 === 0 ? c : 0;
    return a * 100 + b + units;
  }
  return undefined;
}

export function cleanYear(text: string, nlp: Nlp): number {
  const four = /(?<!\d)(1\d{3}|20\d{2})(?!\d)/.exec(text)?.[1];
  if (four !== undefined) return Number(four);
  const two = /(?:['’‘]|\bFY\s?|\bclass of\s)(\d{2})(?!\d)/i.exec(text)?.[1];
  if (two !== undefined) return fromTwoDigits(Number(two));
  const dated = nlp.chrono.casual
    .parse(text, REFERENCE_DAY)
    .find((r) => r.start.isCertain('year'))
    ?.start.get('year');
  if (dated !== undefined && dated !== null) return dated;
  const spelled = spelledYear(text, nlp);
  if (spelled !== undefined) return spelled;
  const decade = /\b(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b/i.exec(text)?.[1];
  if (decade !== undefined) return DECADES[decade.toLowerCase()] ?? -1;
  return -1;
}
