import { SemanticSqlError } from './errors';

/**
 * Token kinds, following DuckDB's (libpg_query's) scanner closely enough that nothing inside a
 * literal, a quoted identifier or a comment is ever mistaken for code.
 */
export type TokenKind =
  | 'word' // keyword or unquoted identifier
  | 'quoted' // "quoted identifier"
  | 'string' // '...', E'...', $tag$...$tag$, X'...', B'...', N'...', U&'...'
  | 'number'
  | 'param' // ?, $1, $name
  | 'op' // operator: =, <>, ::, ||, ~, ...
  | 'punct' // ( ) [ ] { } , ; . :
  | 'comment';

export interface Token {
  kind: TokenKind;
  /** Exact source text. */
  text: string;
  /** Upper-cased text for words; the text itself otherwise. Keyword checks compare this. */
  upper: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const OP_CHARS = new Set('+-*/<>=~!@#%^&|`?'.split(''));
// Postgres: an operator ending in + or - is split unless it holds one of these (scan.l, "operator").
const OP_KEEPS_TRAILING_SIGN = /[~!@#%^&|`?]/;
const PUNCT = new Set('()[]{},;.'.split(''));

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Splits source into tokens: whitespace dropped, comments kept (annotations live in them). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Column is counted in code points; this cursor makes that linear over long lines.
  let colOffset = 0;
  let colValue = 1;

  const columnAt = (offset: number): number => {
    if (colOffset < lineStart) {
      colOffset = lineStart;
      colValue = 1;
    }
    for (; colOffset < offset; colOffset++) {
      const c = source.charCodeAt(colOffset);
      if (c < 0xdc00 || c > 0xdfff) colValue++;
    }
    return colValue;
  };
  const fail = (start: number, expected: string, message: string): never => {
    throw new SemanticSqlError({
      line,
      column: columnAt(start),
      offset: start,
      token: source.slice(start, Math.min(n, start + 20)).split('\n')[0] ?? '',
      expected,
      message,
    });
  };
  const push = (kind: TokenKind, start: number, end: number): void => {
    const text = source.slice(start, end);
    tokens.push({
      kind,
      text,
      upper: kind === 'word' ? text.toUpperCase() : text,
      start,
      end,
      line,
      column: columnAt(start),
    });
    // Multi-line tokens move the line counter after their own position was recorded.
    if (kind === 'string' || kind === 'quoted' || kind === 'comment') {
      for (let k = source.indexOf('\n', start); k !== -1 && k < end; k = source.indexOf('\n', k + 1)) {
        line++;
        lineStart = k + 1;
      }
    }
  };
  const quoted = (start: number, from: number, quote: number, backslash: boolean): number => {
    let j = from;
    while (j < n) {
      const c = source.charCodeAt(j);
      if (backslash && c === 92) {
        j += 2;
        continue;
      }
      if (c === quote) {
        if (source.charCodeAt(j + 1) === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    const what = quote === 34 ? 'quoted identifier' : 'string';
    return fail(start, `closing ${quote === 34 ? '"' : "'"}`, `unterminated ${what}`);
  };

  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }
    const start = i;
    const next = source.charCodeAt(i + 1);
    // -- line comment
    if (c === 45 && next === 45) {
      let j = source.indexOf('\n', i);
      if (j === -1) j = n;
      push('comment', start, j);
      i = j;
      continue;
    }
    // /* block comment */, nested as in DuckDB
    if (c === 47 && next === 42) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const a = source.charCodeAt(j);
        const b = source.charCodeAt(j + 1);
        if (a === 47 && b === 42) {
          depth++;
          j += 2;
        } else if (a === 42 && b === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) fail(start, "closing '*/'", 'unterminated block comment');
      push('comment', start, j);
      i = j;
      continue;
    }
    if (c === 39) {
      i = quoted(start, i + 1, 39, false);
      push('string', start, i);
      continue;
    }
    if (c === 34) {
      i = quoted(start, i + 1, 34, false);
      push('quoted', start, i);
      continue;
    }
    if (isIdentStart(c)) {
      // Prefixed strings: E'..' (backslash escapes), X'..', B'..', N'..', U&'..'.
      const lower = c | 0x20;
      if (next === 39 && (lower === 101 || lower === 120 || lower === 98 || lower === 110)) {
        i = quoted(start, i + 2, 39, lower === 101);
        push('string', start, i);
        continue;
      }
      if (lower === 117 && next === 38 && source.charCodeAt(i + 2) === 39) {
        i = quoted(start, i + 3, 39, false);
        push('string', start, i);
        continue;
      }
      let j = i + 1;
      while (j < n && isIdentPart(source.charCodeAt(j))) j++;
      push('word', start, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      i = scanNumber(source, i);
      push('number', start, i);
      continue;
    }
    if (c === 36) {
      // $$...$$, $tag$...$tag$, or a parameter $1 / $name.
      let j = i + 1;
      if (isDigit(next)) {
        while (j < n && isDigit(source.charCodeAt(j))) j++;
        push('param', start, j);
        i = j;
        continue;
      }
      if (next !== 36 && !(isIdentStart(next) && next < 0x80)) {
        push('op', start, j);
        i = j;
        continue;
      }
      while (j < n && source.charCodeAt(j) !== 36 && isTagChar(source.charCodeAt(j))) j++;
      if (source.charCodeAt(j) !== 36) {
        push('param', start, j);
        i = j;
        continue;
      }
      const tag = source.slice(i, j + 1);
      const close = source.indexOf(tag, j + 1);
      if (close === -1) fail(start, `closing ${tag}`, 'unterminated dollar-quoted string');
      i = close + tag.length;
      push('string', start, i);
      continue;
    }
    if (c === 58) {
      const j = next === 58 || next === 61 ? i + 2 : i + 1;
      push(j === i + 1 ? 'punct' : 'op', start, j);
      i = j;
      continue;
    }
    if (c === 63 && !OP_CHARS.has(source[i + 1] ?? '')) {
      push('param', start, i + 1);
      i++;
      continue;
    }
    if (PUNCT.has(source[i] ?? '')) {
      push('punct', start, i + 1);
      i++;
      continue;
    }
    if (OP_CHARS.has(source[i] ?? '')) {
      i = scanOperator(source, i);
      push('op', start, i);
      continue;
    }
    // Anything else (a stray backslash, a control character) is DuckDB's to reject.
    push('op', start, i + 1);
    i++;
  }
  return tokens;
}

function isTagChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);
}

function scanNumber(s: string, i: number): number {
  const n = s.length;
  let j = i;
  if (s.charCodeAt(j) === 48 && (s[j + 1] === 'x' || s[j + 1] === 'X' || s[j + 1] === 'b' || s[j + 1] === 'B')) {
    const hex = s[j + 1] === 'x' || s[j + 1] === 'X';
    let k = j + 2;
    while (k < n && (hex ? /[0-9a-fA-F_]/ : /[01_]/).test(s[k] ?? '')) k++;
    if (k > j + 2) return k;
  }
  const digits = (): void => {
    while (j < n && (isDigit(s.charCodeAt(j)) || (s.charCodeAt(j) === 95 && isDigit(s.charCodeAt(j + 1))))) j++;
  };
  digits();
  // "1..2" is not a number followed by a number; keep the dot for whatever follows.
  if (s.charCodeAt(j) === 46 && s.charCodeAt(j + 1) !== 46) {
    j++;
    digits();
  }
  if ((s[j] === 'e' || s[j] === 'E') && (isDigit(s.charCodeAt(j + 1)) || ((s[j + 1] === '+' || s[j + 1] === '-') && isDigit(s.charCodeAt(j + 2))))) {
    j += 2;
    digits();
  }
  return j;
}

function scanOperator(s: string, i: number): number {
  let j = i;
  while (j < s.length && OP_CHARS.has(s[j] ?? '')) {
    // A comment start ends the operator ("a<--b" is "a <" then a comment).
    if ((s[j] === '-' && s[j + 1] === '-') || (s[j] === '/' && s[j + 1] === '*')) break;
    j++;
  }
  if (j === i) return i + 1;
  let text = s.slice(i, j);
  if (text.length > 1 && !OP_KEEPS_TRAILING_SIGN.test(text)) {
    while (text.length > 1 && (text.endsWith('+') || text.endsWith('-'))) text = text.slice(0, -1);
  }
  return i + text.length;
}

/** The value of a string token: quotes removed, escapes resolved. */
export function stringValue(token: Token): string {
  const t = token.text;
  if (t.startsWith('$')) {
    const tagEnd = t.indexOf('$', 1) + 1;
    return t.slice(tagEnd, t.length - tagEnd);
  }
  if (t[0] === 'E' || t[0] === 'e') {
    return t
      .slice(2, -1)
      .replace(/''/g, "'")
      .replace(/\\(.)/gs, (_m, ch: string) => ESCAPES[ch] ?? ch);
  }
  const open = t.indexOf("'");
  return t.slice(open + 1, -1).replace(/''/g, "'");
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/** The name a quoted identifier stands for. */
export function quotedValue(token: Token): string {
  return token.text.slice(1, -1).replace(/""/g, '"');
}

/** Code tokens only: what the parser sees. */
export function withoutComments(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'comment');
}
