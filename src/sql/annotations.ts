import { SemanticSqlError } from './errors';
import { parseJoinAnnotation } from './join-annotation';
import type { Token } from './lexer';
import type { StatementOptions } from './types';
import { checkRange, isModelTier, RANGES, type OptionRange } from '../protocol/option-ranges';

/**
 * `-- @ key: value` comment lines before a statement. A known key with a bad value, or an unknown
 * `word:` key, is an error; anything else after `@` is a free-text instruction for every operator.
 */

export const DEFAULT_OPTIONS: Readonly<StatementOptions> = Object.freeze({
  threshold: 0.5,
  cache: 'on',
  on_error: 'null',
  early: 'on',
  instructions: [],
});

type Parsed = Partial<Omit<StatementOptions, 'instructions'>>;
type Parser = (value: string, key: string) => { ok: true; value: Parsed } | { ok: false; expected: string; message?: string };

/** A whole number as written, with `_` or `,` between thousands; undefined if it is not one. */
const wholeNumber = (value: string): number | undefined => {
  const clean = value.replace(/[_,](?=\d{3}\b)/g, '');
  return /^\d+$/.test(clean) ? Number(clean) : undefined;
};
const decimal = (value: string): number | undefined => (/^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : undefined);
const unquote = (value: string): string => {
  const m = /^(['"])(.*)\1$/.exec(value);
  return m?.[2] ?? value;
};

/**
 * A number in one of the shared ranges (src/protocol/option-ranges.ts): refused with the same words
 * as the same option in settings or a widget's options.
 */
function ranged<K extends keyof Parsed>(field: K, range: OptionRange<number>, read: (value: string) => number | undefined = wholeNumber): Parser {
  return (value, key) => {
    const checked = checkRange(key, range, read(value));
    return checked.ok ? { ok: true, value: { [field]: checked.value } as Parsed } : { ok: false, expected: range.expected, message: checked.message };
  };
}

function choice<K extends keyof Parsed>(key: K, options: readonly string[]): Parser {
  return (value) => {
    const v = value.toLowerCase();
    return options.includes(v) ? { ok: true, value: { [key]: v } as Parsed } : { ok: false, expected: options.join(' or ') };
  };
}

const CASCADE_EXPECTED = 'off, or targets such as "recall 0.95, precision 0.95" (and optionally "confidence 0.9" and "seed 7"), each target between 0 and 1';

function cascade(value: string): ReturnType<Parser> {
  const text = value.trim().toLowerCase();
  if (text === 'off') return { ok: true, value: { cascade: 'off' } };
  const targets: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(recall|precision|confidence|seed)\s*[:=]?\s*(\S+)$/.exec(part);
    const name = m?.[1];
    const range = name === 'seed' ? RANGES.seed : RANGES.cascadeTarget;
    const checked = name === undefined ? null : checkRange(name, range, name === 'seed' ? wholeNumber(m?.[2] ?? '') : decimal(m?.[2] ?? ''));
    if (!checked?.ok)
      return { ok: false, expected: CASCADE_EXPECTED, ...(checked ? { message: `bad value for cascade: ${checked.message} (${CASCADE_EXPECTED})` } : {}) };
    targets[name as string] = checked.value;
  }
  const { recall, precision, confidence = 0.9, seed } = targets;
  if (recall === undefined || precision === undefined) return { ok: false, expected: CASCADE_EXPECTED };
  return { ok: true, value: { cascade: { recall, precision, confidence, ...(seed !== undefined ? { seed } : {}) } } };
}

const ROUTING_EXPECTED =
  'a model id, a tier (fast, standard or quality), or auto(accuracy A) with optional "confidence C" and "seed S", A and C between 0 and 1';

/**
 * `-- @ model: fast` names a tier, resolved to a concrete model by the settings; `auto(accuracy
 * 0.95, confidence 0.9)` routes between the cheapest and the quality tier on a measured sample
 * (src/engine/routing); anything else is a model id.
 */
function model(value: string): ReturnType<Parser> {
  const m = unquote(value).trim();
  const auto = /^auto\s*\((.*)\)$/i.exec(m);
  if (auto === null)
    return m === '' ? { ok: false, expected: ROUTING_EXPECTED } : { ok: true, value: { model: isModelTier(m.toLowerCase()) ? m.toLowerCase() : m } };
  const targets: Record<string, number> = {};
  for (const part of (auto[1] ?? '')
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const t = /^(accuracy|confidence|seed)\s*[:=]?\s*(\S+)$/.exec(part);
    const name = t?.[1];
    const checked =
      name === undefined
        ? null
        : checkRange(name, name === 'seed' ? RANGES.seed : RANGES.routingTarget, name === 'seed' ? wholeNumber(t?.[2] ?? '') : decimal(t?.[2] ?? ''));
    if (!checked?.ok) return { ok: false, expected: ROUTING_EXPECTED, ...(checked ? { message: `bad value for model: ${checked.message}` } : {}) };
    targets[name as string] = checked.value;
  }
  const { accuracy, confidence = 0.9, seed } = targets;
  if (accuracy === undefined) return { ok: false, expected: ROUTING_EXPECTED };
  return { ok: true, value: { routing: { accuracy, confidence, ...(seed !== undefined ? { seed } : {}) } } };
}

const APPROXIMATE_EXPECTED = 'targets such as "error 0.05" (and optionally "confidence 0.9" and "seed 7"), error and confidence between 0 and 1';

/** `error E[, confidence C][, seed S]`: the running estimates' target (src/engine/estimate/). */
function approximate(value: string): ReturnType<Parser> {
  const targets: Record<string, number> = {};
  for (const part of value
    .trim()
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(error|confidence|seed)\s*[:=]?\s*(\S+)$/.exec(part);
    const name = m?.[1];
    const range = name === 'seed' ? RANGES.seed : name === 'error' ? RANGES.approximateError : RANGES.approximateConfidence;
    const checked = name === undefined ? null : checkRange(name, range, name === 'seed' ? wholeNumber(m?.[2] ?? '') : decimal(m?.[2] ?? ''));
    if (!checked?.ok)
      return {
        ok: false,
        expected: APPROXIMATE_EXPECTED,
        ...(checked ? { message: `bad value for approximate: ${checked.message} (${APPROXIMATE_EXPECTED})` } : {}),
      };
    targets[name as string] = checked.value;
  }
  const { error, confidence = 0.95, seed } = targets;
  if (error === undefined) return { ok: false, expected: APPROXIMATE_EXPECTED };
  return { ok: true, value: { approximate: { error, confidence, ...(seed !== undefined ? { seed } : {}) } } };
}

function rowsPerRequest(value: string, key: string): ReturnType<Parser> {
  const text = value.trim().toLowerCase();
  const checked = checkRange(key, RANGES.rowsPerRequest, text === 'auto' ? 'auto' : wholeNumber(text));
  return checked.ok
    ? { ok: true, value: { rows_per_request: checked.value } }
    : { ok: false, expected: RANGES.rowsPerRequest.expected, message: checked.message };
}

const PARSERS: Record<string, Parser> = {
  parallel: ranged('parallel', RANGES.parallel),
  model,
  threshold: ranged('threshold', RANGES.threshold, decimal),
  budget: ranged('budget', RANGES.budget),
  cache: choice('cache', ['on', 'off', 'refresh']),
  temperature: ranged('temperature', RANGES.temperature, decimal),
  on_error: choice('on_error', ['null', 'fail']),
  wave: ranged('wave', RANGES.wave),
  early: choice('early', ['on', 'off']),
  /** 'batch': the calls go as Message Batches, the provider's batch API. */
  mode: choice('mode', ['direct', 'batch']),
  cascade,
  rows_per_request: rowsPerRequest,
  join: parseJoinAnnotation,
  approximate,
};

/**
 * Other names a key is accepted under. `batch` was the name of rows_per_request; "batch" now means
 * Message Batches only (`-- @ mode: batch`), but statements written with it still run.
 */
const ALIASES: Readonly<Record<string, string>> = { batch: 'rows_per_request' };

export const ANNOTATION_KEYS: readonly string[] = Object.keys(PARSERS);

export interface Annotations {
  values: Parsed;
  instructions: string[];
  /** The first annotation comment, for "annotations without a statement" errors. */
  first?: Token;
}

export function isAnnotation(comment: Token): boolean {
  return /^--\s*@/.test(comment.text);
}

export function parseAnnotations(comments: readonly Token[]): Annotations {
  const result: Annotations = { values: {}, instructions: [] };
  const seen = new Set<string>();
  for (const comment of comments) {
    if (comment.kind !== 'comment' || !isAnnotation(comment)) continue;
    result.first ??= comment;
    const at = comment.text.indexOf('@');
    const body = comment.text.slice(at + 1);
    const bodyStart = at + 1;
    const keyed = /^(\s*)([A-Za-z_][A-Za-z0-9_-]*)(\s*):(\s*)(.*?)\s*$/.exec(body);
    if (keyed === null) {
      const text = body.trim();
      if (text !== '') result.instructions.push(text);
      continue;
    }
    const [, lead = '', rawKey = '', gap = '', space = '', value = ''] = keyed;
    const written = rawKey.toLowerCase().replace(/-/g, '_');
    const key = ALIASES[written] ?? written;
    const keyOffset = bodyStart + lead.length;
    const parser = PARSERS[key];
    if (parser === undefined) {
      throw positioned(
        comment,
        keyOffset,
        rawKey,
        `one of ${ANNOTATION_KEYS.join(', ')}`,
        `unknown annotation '${rawKey}'; expected one of ${ANNOTATION_KEYS.join(', ')} (free text must not start with 'word:')`,
      );
    }
    const valueOffset = keyOffset + rawKey.length + gap.length + 1 + space.length;
    if (seen.has(key)) {
      const aliases = Object.keys(ALIASES).filter((alias) => ALIASES[alias] === key);
      const also = aliases.length === 0 ? '' : ` (${aliases.join(', ')} is another name for ${key})`;
      throw positioned(comment, keyOffset, rawKey, 'each annotation once', `annotation '${key}' is given twice${also}`);
    }
    seen.add(key);
    const parsed = parser(value, written);
    if (!parsed.ok) {
      const found = value === '' ? 'nothing' : `'${value}'`;
      throw positioned(
        comment,
        valueOffset,
        value,
        parsed.expected,
        parsed.message ? `${parsed.message}, found ${found}` : `bad value for ${written}: expected ${parsed.expected}, found ${found}`,
      );
    }
    Object.assign(result.values, parsed.value);
    // Both decide who answers a filter's rows; their guarantees do not compose (docs/routing.md).
    if (result.values.routing && result.values.cascade && result.values.cascade !== 'off') {
      throw positioned(comment, keyOffset, rawKey, 'a cascade or model routing, not both', 'a statement can have a cascade or model: auto(...), not both');
    }
  }
  return result;
}

/** Annotations over defaults over the built-in defaults. */
export function resolveOptions(annotations: Annotations, defaults: Partial<StatementOptions> = {}): StatementOptions {
  const options: StatementOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(defaults), ...stripUndefined(annotations.values), instructions: [] };
  options.instructions = [...(defaults.instructions ?? []), ...annotations.instructions];
  return options;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Comments are single-line, so a column is the comment's column plus the code points before. */
function positioned(comment: Token, index: number, token: string, expected: string, message: string): SemanticSqlError {
  return new SemanticSqlError({
    line: comment.line,
    column: comment.column + Array.from(comment.text.slice(0, index)).length,
    offset: comment.start + index,
    token,
    expected,
    message,
  });
}
