import { tokenize, type Token } from './lexer';

export interface Span {
  /** 0-based offsets into the script, end exclusive. */
  start: number;
  end: number;
  /** Position of `start`, 1-based. */
  line: number;
  column: number;
}

export interface Statement {
  /** The statement exactly as written, from its first code token to its last (no ';'). */
  text: string;
  span: Span;
  /** Code and comment tokens inside the span. */
  tokens: Token[];
  /** Comments between the previous ';' and the statement: where annotations live. */
  leading: Token[];
}

/** A piece of the script between top-level semicolons; `tokens` is empty for a comment-only piece. */
export interface Chunk {
  tokens: Token[];
  leading: Token[];
}

/** Statements split on semicolons outside strings, quoted identifiers and comments. */
export function splitStatements(source: string): Statement[] {
  return chunksOf(tokenize(source)).flatMap((chunk) => {
    const statement = statementOf(source, chunk);
    return statement === undefined ? [] : [statement];
  });
}

export function chunksOf(tokens: readonly Token[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk = { tokens: [], leading: [] };
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') {
      chunks.push(current);
      current = { tokens: [], leading: [] };
    } else if (current.tokens.length === 0 && token.kind === 'comment') {
      current.leading.push(token);
    } else {
      current.tokens.push(token);
    }
  }
  chunks.push(current);
  return chunks;
}

export function statementOf(source: string, chunk: Chunk): Statement | undefined {
  const first = chunk.tokens[0];
  if (first === undefined) return undefined;
  // Trailing comments after the last code token stay outside the statement.
  let lastIndex = chunk.tokens.length - 1;
  while (lastIndex > 0 && chunk.tokens[lastIndex]?.kind === 'comment') lastIndex--;
  const last = chunk.tokens[lastIndex] ?? first;
  return {
    text: source.slice(first.start, last.end),
    span: { start: first.start, end: last.end, line: first.line, column: first.column },
    tokens: chunk.tokens.slice(0, lastIndex + 1),
    leading: chunk.leading,
  };
}
