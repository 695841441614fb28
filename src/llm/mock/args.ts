import { decodeGroup } from '../../sql/group-encoding';
import type { MockQuestion } from './question';
import type { Nlp } from './nlp/load-nlp';

export type MockValue = boolean | number | string | null;

/** How the mock answers one operator: its question (operator, args) and the NLP layer, if loaded. */
export type Handler = (r: MockQuestion, nlp: Nlp | undefined) => MockValue;

export const arg = (r: MockQuestion, i: number): string => r.args[i] ?? '';

/** An aggregate's values: args[0] is the encoded group when `grouped`, else a single value. */
export function groupValues(r: MockQuestion): string[] {
  const first = r.args[0];
  if (first === undefined) return [];
  return r.grouped ? decodeGroup(first) : [first];
}

/** Values that stand for "nothing here": a model reads them as missing. */
export const PLACEHOLDER = /^(?:|n\/?a|na|null|none|nil|unknown|missing|-+|\?+|tbd|todo|xxx+|test|asdf|not available|no data)$/i;

export const isMissing = (value: string): boolean => PLACEHOLDER.test(value.trim());

/** A JSON array given as text (labels, conditions); a comma list when it is not JSON. */
export function listOf(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map((v) => String(v));
  } catch {
    // not JSON: a comma-separated list
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const json = (value: unknown): string => JSON.stringify(value);

/** A row as ENRICH or FILTER sees it: DuckDB's struct text `{'id': 1, 'text': hi}` without the key names. */
export function rowText(row: string): string {
  return row
    .replace(/^\{|\}$/g, '')
    .replace(/'[^']*':\s*/g, '')
    .replace(/,\s+/g, ', ');
}

/** Words of a phrase, title-cased ("NEW york" → "New York"). */
export function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s\-/(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** `table[key]` for keys read from answers' inputs: '__proto__' or 'constructor' are not entries. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
