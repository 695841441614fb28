import { SemanticSqlError } from './errors';
import type { Token } from './lexer';
import type { StatementOptions } from './types';

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
type Parser = (value: string) => { ok: true; value: Parsed } | { ok: false; expected: string };

const integer = (value: string, min: number): number | undefined => {
  const clean = value.replace(/[_,](?=\d{3}\b)/g, '');
  if (!/^\d+$/.test(clean)) return undefined;
  const n = Number(clean);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
};
const number = (value: string, min: number, max: number): number | undefined => {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
};
const unquote = (value: string): string => {
  const m = /^(['"])(.*)\1$/.exec(value);
  return m?.[2] ?? value;
};

function choice<K extends keyof Parsed>(key: K, options: readonly string[]): Parser {
  return (value) => {
    const v = value.toLowerCase();
    return options.includes(v) ? { ok: true, value: { [key]: v } as Parsed } : { ok: false, expected: options.join(' or ') };
  };
}

const PARSERS: Record<string, Parser> = {
  parallel: (v) => {
    const n = integer(v, 1);
    return n === undefined ? { ok: false, expected: 'a positive integer' } : { ok: true, value: { parallel: n } };
  },
  model: (v) => {
    const m = unquote(v).trim();
    return m === '' ? { ok: false, expected: 'a model id' } : { ok: true, value: { model: m } };
  },
  threshold: (v) => {
    const n = number(v, 0, 1);
    return n === undefined ? { ok: false, expected: 'a number from 0 to 1' } : { ok: true, value: { threshold: n } };
  },
  budget: (v) => {
    const n = integer(v, 0);
    return n === undefined ? { ok: false, expected: 'a whole number of calls (0 or more)' } : { ok: true, value: { budget: n } };
  },
  cache: choice('cache', ['on', 'off', 'refresh']),
  // Anthropic's Messages API accepts 0 to 1.
  temperature: (v) => {
    const n = number(v, 0, 1);
    return n === undefined ? { ok: false, expected: 'a number from 0 to 1' } : { ok: true, value: { temperature: n } };
  },
  on_error: choice('on_error', ['null', 'fail']),
  wave: (v) => {
    const n = integer(v, 1);
    return n === undefined ? { ok: false, expected: 'a positive integer' } : { ok: true, value: { wave: n } };
  },
  early: choice('early', ['on', 'off']),
  mode: choice('mode', ['direct', 'batch']),
  cascade: (v) => {
    const text = v.trim().toLowerCase();
    if (text === 'off') return { ok: true, value: { cascade: 'off' } };
    const expected = 'off, or targets such as "recall 0.95, precision 0.95" (and optionally "confidence 0.9" and "seed 7"), each target between 0 and 1';
    const targets: Record<string, number> = {};
    for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const m = /^(recall|precision|confidence)\s*[:=]?\s*(0?\.\d+|1(\.0*)?)$/.exec(part) ?? /^(seed)\s*[:=]?\s*(\d{1,9})$/.exec(part);
      if (!m || m[1] === undefined) return { ok: false, expected };
      targets[m[1]] = Number(m[2]);
    }
    const { recall, precision, confidence = 0.9, seed } = targets;
    if (recall === undefined || precision === undefined || recall >= 1 || precision >= 1 || confidence <= 0 || confidence >= 1) return { ok: false, expected };
    return { ok: true, value: { cascade: { recall, precision, confidence, ...(seed !== undefined ? { seed } : {}) } } };
  },
  batch: (v) => {
    if (v.trim().toLowerCase() === 'auto') return { ok: true, value: { batch: 'auto' } };
    const n = integer(v, 1);
    return n === undefined || n > 512 ? { ok: false, expected: 'rows per request, from 1 to 512, or auto' } : { ok: true, value: { batch: n } };
  },
};

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
    const key = rawKey.toLowerCase().replace(/-/g, '_');
    const keyOffset = bodyStart + lead.length;
    const parser = PARSERS[key];
    if (parser === undefined) {
      throw positioned(comment, keyOffset, rawKey, `one of ${ANNOTATION_KEYS.join(', ')}`,
        `unknown annotation '${rawKey}'; expected one of ${ANNOTATION_KEYS.join(', ')} (free text must not start with 'word:')`);
    }
    const valueOffset = keyOffset + rawKey.length + gap.length + 1 + space.length;
    if (seen.has(key)) {
      throw positioned(comment, keyOffset, rawKey, 'each annotation once', `annotation '${key}' is given twice`);
    }
    seen.add(key);
    const parsed = parser(value);
    if (!parsed.ok) {
      throw positioned(comment, valueOffset, value, parsed.expected,
        `bad value for ${key}: expected ${parsed.expected}, found ${value === '' ? 'nothing' : `'${value}'`}`);
    }
    Object.assign(result.values, parsed.value);
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
