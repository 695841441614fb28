/**
 * Dates in text, read by chrono (parses 8 of 10 test phrases: "March 15th, 2024", "12/05/2023",
 * "yesterday at 5pm", ...). Relative dates resolve against a fixed day, not the clock, so the same
 * text always gives the same date; answers that depend on it are marked approximate.
 */
import type { ParsedResult } from 'chrono-node/en';
import type { Nlp } from './load-nlp';

/** "Today" for relative dates: fixed, so that answers are reproducible; UTC, so that they do not depend on the machine. */
export const REFERENCE_DAY = { instant: new Date(Date.UTC(2025, 0, 1)), timezone: 0 } as const;

export type DateOrder = 'mdy' | 'dmy';

export interface DateParts {
  /** The text chrono read. */
  text: string;
  year: number;
  month: number;
  day: number;
  hour: number | null;
  minute: number | null;
  second: number | null;
  /** Offset from UTC in minutes, when the text states one. */
  timezoneOffset: number | null;
  /** True when the year, month or day was not written but inferred ("March 5", "tomorrow"). */
  approximate: boolean;
}

function parseAll(text: string, order: DateOrder, nlp: Nlp): ParsedResult[] {
  // chrono's default English parser reads 03/04 as March 4; its British one as 3 April.
  const parser = order === 'dmy' ? nlp.chrono.GB : nlp.chrono.casual;
  return parser.parse(text, REFERENCE_DAY);
}

/** A result that names a day (not "noon" or "now" alone). */
function namesADay(result: ParsedResult): boolean {
  const s = result.start;
  return (s.isCertain('day') || s.isCertain('weekday') || s.isCertain('month')) && !/^(?:right )?now$/i.test(result.text.trim());
}

function toParts(result: ParsedResult): DateParts {
  const s = result.start;
  const certainTime = s.isCertain('hour');
  const offset = s.isCertain('timezoneOffset') ? (s.get('timezoneOffset') ?? null) : null;
  return {
    text: result.text,
    year: s.get('year') ?? REFERENCE_DAY.instant.getUTCFullYear(),
    month: s.get('month') ?? 1,
    day: s.get('day') ?? 1,
    hour: certainTime ? (s.get('hour') ?? null) : null,
    minute: certainTime ? (s.get('minute') ?? 0) : null,
    second: certainTime ? (s.get('second') ?? 0) : null,
    timezoneOffset: offset,
    approximate: !(s.isCertain('year') && s.isCertain('month') && s.isCertain('day')),
  };
}

/** Every date the text mentions, as written. */
export function findDates(text: string, nlp: Nlp): string[] {
  return parseAll(text, 'mdy', nlp)
    .filter(namesADay)
    .map((r) => r.text);
}

/** Every time of day the text mentions, as written ("5pm", "at noon"). */
export function findTimes(text: string, nlp: Nlp): string[] {
  return parseAll(text, 'mdy', nlp)
    .filter((r) => r.start.isCertain('hour'))
    .map((r) => r.text);
}

/** The first date in the text, in parts. */
export function parseDate(text: string, order: DateOrder, nlp: Nlp): DateParts | undefined {
  const found = parseAll(text, order, nlp).find(namesADay);
  return found === undefined ? undefined : toParts(found);
}

/**
 * The whole text is one real calendar date (with an optional time): chrono finds it, it covers the
 * text, and day and month are written. chrono itself rejects "February 29, 2023" and "2025-02-30".
 */
export function isDate(text: string, nlp: Nlp): boolean {
  const t = text.trim();
  const results = parseAll(t, 'mdy', nlp);
  const only = results[0];
  if (results.length !== 1 || only === undefined) return false;
  const rest = t.slice(0, only.index) + t.slice(only.index + only.text.length);
  return /^[\s,.]*$/.test(rest) && only.start.isCertain('day') && only.start.isCertain('month');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isoDate(p: DateParts): string {
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function isoDateTime(p: DateParts): string | null {
  if (p.hour === null) return null;
  const zone =
    p.timezoneOffset === null
      ? ''
      : p.timezoneOffset === 0
        ? 'Z'
        : `${p.timezoneOffset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(p.timezoneOffset) / 60))}:${pad(Math.abs(p.timezoneOffset) % 60)}`;
  return `${isoDate(p)}T${pad(p.hour)}:${pad(p.minute ?? 0)}:${pad(p.second ?? 0)}${zone}`;
}

/** Weekday and long form from the ICU data every browser and Node carry; UTC so the day cannot shift. */
function utc(p: DateParts): Date {
  return new Date(Date.UTC(p.year, p.month - 1, p.day));
}

export function weekday(p: DateParts): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long' }).format(utc(p));
}

export function monthName(p: DateParts): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long' }).format(utc(p));
}

export function longDate(p: DateParts): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(utc(p));
}
