import type { Token } from './lexer';

/** A place in a script. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in code points so a caret lands under the right character. */
  column: number;
  /** 0-based UTF-16 offset into the whole script. */
  offset: number;
}

export interface SemanticSqlErrorInit extends SourcePosition {
  /** The offending source text ('' at end of input). */
  token: string;
  /** What would have been accepted here, in words. */
  expected: string;
  /** Overrides the default "expected X, found Y" wording. */
  message?: string;
}

/** A mistake in the user's SQL, annotations or operator definitions, with the place it was found. */
export class SemanticSqlError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly token: string;
  readonly expected: string;
  /** The message without the position prefix, for UIs that show the position themselves. */
  readonly detail: string;

  constructor(init: SemanticSqlErrorInit) {
    const detail = init.message ?? `expected ${init.expected}, found ${describeToken(init.token)}`;
    super(`line ${init.line}, column ${init.column}: ${detail}`);
    this.name = 'SemanticSqlError';
    this.line = init.line;
    this.column = init.column;
    this.offset = init.offset;
    this.token = init.token;
    this.expected = init.expected;
    this.detail = detail;
  }

  /** The message, the source line and a caret under the offending token. */
  format(source: string): string {
    const lines = source.split('\n');
    const text = (lines[this.line - 1] ?? '').replace(/\r$/, '');
    const chars = Array.from(text);
    // Tabs stay tabs so the caret lines up however the terminal renders them.
    const pad = chars
      .slice(0, this.column - 1)
      .map((c) => (c === '\t' ? '\t' : ' '))
      .join('');
    const tokenWidth = Array.from(this.token.split('\n')[0] ?? '').length;
    const room = Math.max(1, chars.length - (this.column - 1));
    const carets = '^'.repeat(Math.max(1, Math.min(tokenWidth, room)));
    const gutter = String(this.line);
    const blank = ' '.repeat(gutter.length);
    return `${this.message}\n${gutter} | ${text}\n${blank} | ${pad}${carets}`;
  }
}

function describeToken(token: string): string {
  if (token === '') return 'end of input';
  const short = token.length > 40 ? `${token.slice(0, 37)}...` : token;
  return `'${short}'`;
}

/**
 * The error for `token`, the token the parser stopped at; past the last token (`token` undefined)
 * it points just after `last`, where the missing input was expected.
 */
export function errorAtToken(token: Token | undefined, last: Token | undefined, expected: string, message?: string): SemanticSqlError {
  const extra = message === undefined ? {} : { message };
  if (token === undefined) {
    const column = (last?.column ?? 1) + Array.from(last?.text ?? '').length;
    return new SemanticSqlError({ line: last?.line ?? 1, column, offset: last?.end ?? 0, token: '', expected, ...extra });
  }
  return new SemanticSqlError({
    line: token.line,
    column: token.column,
    offset: token.start,
    token: token.text,
    expected,
    message: message ?? `expected ${expected}, found ${describeToken(token.text)}`,
  });
}
