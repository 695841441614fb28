/**
 * Person names in parts by parse-full-name: "Smith, Jane", titles, suffixes, nicknames and particles
 * ("van Gogh"). Its title list lacks political and military ranks (it reads "Sen." as a first name),
 * so those are taken off first.
 */
import type { Nlp } from './load-nlp';

const RANKS =
  /^(?:sen|senator|gov|governor|rep|representative|pres|president|gen|general|col|colonel|capt|captain|lt|lieutenant|sgt|sergeant|cmdr|adm|admiral|hon|rev|fr|sir|dame|lord|lady|judge|justice)\.?\s+/i;

export interface NameParts {
  prefix: string | null;
  first: string | null;
  middle: string | null;
  last: string | null;
  suffix: string | null;
  nickname: string | null;
  formatted: string | null;
}

const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

export function nameParts(text: string, nlp: Nlp): NameParts {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const rank = RANKS.exec(trimmed)?.[0];
  const rest = rank === undefined ? trimmed : trimmed.slice(rank.length);
  // fixCase -1: fix the case only of ALL-CAPS or all-lower input ("JOHN SMITH" → John Smith).
  const parsed = nlp.parseFullName(rest, 'all', -1, 0, 0);
  const prefix = orNull([rank?.trim(), parsed.title].filter((p) => p !== undefined && p !== '').join(' '));
  const parts = {
    prefix,
    first: orNull(parsed.first),
    middle: orNull(parsed.middle),
    last: orNull(parsed.last),
    suffix: orNull(parsed.suffix),
    nickname: orNull(parsed.nick),
  };
  const formatted = [parts.prefix, parts.first, parts.middle, parts.last].filter((p) => p !== null).join(' ');
  return { ...parts, formatted: formatted === '' ? null : parts.suffix === null ? formatted : `${formatted} ${parts.suffix}` };
}
