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
  return new Scanner(source).scan();
}

/** One scan of a source: its position, line and column bookkeeping, and the tokens so far. */
class Scanner {
  readonly tokens: Token[] = [];
  readonly n: number;
  line = 1;
  lineStart = 0;
  // Column is counted in code points; this cursor makes that linear over long lines.
  colOffset = 0;
  colValue = 1;

  constructor(readonly source: string) {
    this.n = source.length;
  }

  scan(): Token[] {
    const { source, n } = this;
    let i = 0;
    while (i < n) {
      const c = source.charCodeAt(i);
      if (isSpace(c)) {
        if (c === 10) {
          this.line++;
          this.lineStart = i + 1;
        }
        i++;
        continue;
      }
      i = this.token(i, c, source.charCodeAt(i + 1));
    }
    return this.tokens;
  }

  /** The token starting at `i` (its first character `c`, the next `next`); returns where it ends. */
  token(i: number, c: number, next: number): number {
    const { source } = this;
    if (c === 45 && next === 45) {
      const end = source.indexOf('\n', i);
      return this.push('comment', i, end === -1 ? this.n : end);
    }
    if (c === 47 && next === 42) return this.push('comment', i, this.blockComment(i));
    if (c === 39) return this.push('string', i, this.quoted(i, i + 1, 39, false));
    if (c === 34) return this.push('quoted', i, this.quoted(i, i + 1, 34, false));
    if (isIdentStart(c)) return this.wordOrPrefixedString(i, c, next);
    if (isDigit(c) || (c === 46 && isDigit(next))) return this.push('number', i, scanNumber(source, i));
    if (c === 36) return this.dollar(i, next);
    if (c === 58) return this.push(next === 58 || next === 61 ? 'op' : 'punct', i, next === 58 || next === 61 ? i + 2 : i + 1);
    if (c === 63 && !OP_CHARS.has(source[i + 1] ?? '')) return this.push('param', i, i + 1);
    if (PUNCT.has(source[i] ?? '')) return this.push('punct', i, i + 1);
    if (OP_CHARS.has(source[i] ?? '')) return this.push('op', i, scanOperator(source, i));
    // Anything else (a stray backslash, a control character) is DuckDB's to reject.
    return this.push('op', i, i + 1);
  }

  /** /* block comment *\/, nested as in DuckDB; returns its end. */
  blockComment(start: number): number {
    const { source, n } = this;
    let depth = 1;
    let j = start + 2;
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
    if (depth > 0) this.fail(start, "closing '*/'", 'unterminated block comment');
    return j;
  }

  /** A word, or a prefixed string: E'..' (backslash escapes), X'..', B'..', N'..', U&'..'. */
  wordOrPrefixedString(i: number, c: number, next: number): number {
    const { source, n } = this;
    const lower = c | 0x20;
    if (next === 39 && (lower === 101 || lower === 120 || lower === 98 || lower === 110))
      return this.push('string', i, this.quoted(i, i + 2, 39, lower === 101));
    if (lower === 117 && next === 38 && source.charCodeAt(i + 2) === 39) return this.push('string', i, this.quoted(i, i + 3, 39, false));
    let j = i + 1;
    while (j < n && isIdentPart(source.charCodeAt(j))) j++;
    return this.push('word', i, j);
  }

  /** $$...$$, $tag$...$tag$, or a parameter $1 / $name. */
  dollar(i: number, next: number): number {
    const { source, n } = this;
    let j = i + 1;
    if (isDigit(next)) {
      while (j < n && isDigit(source.charCodeAt(j))) j++;
      return this.push('param', i, j);
    }
    if (next !== 36 && !(isIdentStart(next) && next < 0x80)) return this.push('op', i, j);
    while (j < n && source.charCodeAt(j) !== 36 && isTagChar(source.charCodeAt(j))) j++;
    if (source.charCodeAt(j) !== 36) return this.push('param', i, j);
    const tag = source.slice(i, j + 1);
    const close = source.indexOf(tag, j + 1);
    if (close === -1) this.fail(i, `closing ${tag}`, 'unterminated dollar-quoted string');
    return this.push('string', i, close + tag.length);
  }

  columnAt(offset: number): number {
    if (this.colOffset < this.lineStart) {
      this.colOffset = this.lineStart;
      this.colValue = 1;
    }
    for (; this.colOffset < offset; this.colOffset++) {
      const c = this.source.charCodeAt(this.colOffset);
      if (c < 0xdc00 || c > 0xdfff) this.colValue++;
    }
    return this.colValue;
  }

  fail(start: number, expected: string, message: string): never {
    throw new SemanticSqlError({
      line: this.line,
      column: this.columnAt(start),
      offset: start,
      token: this.source.slice(start, Math.min(this.n, start + 20)).split('\n')[0] ?? '',
      expected,
      message,
    });
  }

  /** Records the token from `start` to `end`; returns `end`, where scanning goes on. */
  push(kind: TokenKind, start: number, end: number): number {
    const { source } = this;
    const text = source.slice(start, end);
    this.tokens.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text, start, end, line: this.line, column: this.columnAt(start) });
    // Multi-line tokens move the line counter after their own position was recorded.
    if (kind === 'string' || kind === 'quoted' || kind === 'comment') {
      for (let k = source.indexOf('\n', start); k !== -1 && k < end; k = source.indexOf('\n', k + 1)) {
        this.line++;
        this.lineStart = k + 1;
      }
    }
    return end;
  }

  /** The end of a quoted string or identifier whose body starts at `from`. */
  quoted(start: number, from: number, quote: number, backslash: boolean): number {
    const { source, n } = this;
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
    return this.fail(start, `closing ${quote === 34 ? '"' : "'"}`, `unterminated ${what}`);
  }
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
