/**
 * Query errors cross the worker boundary as plain Error messages. A positioned one (SemanticSqlError,
 * formatted by the DuckDB worker) reads:
 *
 *   line 2, column 8: expected an expression, found 'FROM'
 *   2 | SELECT FROM t
 *     |        ^^^^
 *
 * This recovers the position, the width of the caret run and the detail, so the editor can underline it.
 */
export interface ErrorPosition {
  /** 1-based line, relative to the SQL that was run. */
  line: number;
  /** 1-based column in code points. */
  column: number;
  /** Characters to underline (at least 1). */
  length: number;
  /** The message without the position prefix and the source excerpt. */
  detail: string;
}

const HEAD = /^line (\d+), column (\d+): (.*)$/;
const CARETS = /^\s*\|\s?(.*?)(\^+)\s*$/;

export function parseErrorPosition(message: string): ErrorPosition | null {
  const lines = message.split('\n');
  const head = HEAD.exec(lines[0] ?? '');
  if (!head) return null;
  const caretLine = lines.slice(1).find((l) => CARETS.test(l));
  const carets = caretLine ? (CARETS.exec(caretLine)?.[2] ?? '^') : '^';
  return { line: Number(head[1]), column: Number(head[2]), length: carets.length, detail: head[3] ?? '' };
}

/**
 * The document range [from, to) of an error position, where the SQL that ran started at `base` in the
 * document. Columns count code points; offsets are UTF-16, so this walks the line.
 */
export function errorRange(doc: string, base: number, position: ErrorPosition): { from: number; to: number } {
  let offset = base;
  for (let line = 1; line < position.line; line++) {
    const next = doc.indexOf('\n', offset);
    if (next === -1) break;
    offset = next + 1;
  }
  const lineEnd = doc.indexOf('\n', offset) === -1 ? doc.length : doc.indexOf('\n', offset);
  const advance = (from: number, codePoints: number): number => {
    let at = from;
    for (let i = 0; i < codePoints && at < lineEnd; i++) {
      const c = doc.codePointAt(at) ?? 0;
      at += c > 0xffff ? 2 : 1;
    }
    return at;
  };
  const from = advance(offset, position.column - 1);
  const to = Math.max(Math.min(advance(from, position.length), lineEnd), Math.min(from + 1, doc.length));
  return { from: Math.min(from, doc.length), to };
}

/**
 * The message with its position moved from "line L of the statement that ran" to the line and column
 * in the whole editor, so what the user reads matches the underline and the gutter.
 */
export function relocateMessage(message: string, doc: string, base: number): string {
  const position = parseErrorPosition(message);
  if (!position || base <= 0) return message;
  const before = doc.slice(0, base);
  const baseLine = before.split('\n').length;
  const baseColumn = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
  const line = baseLine + position.line - 1;
  const column = position.line === 1 ? baseColumn + position.column - 1 : position.column;
  const lines = message.split('\n');
  lines[0] = (lines[0] ?? '').replace(HEAD_PREFIX, `line ${line}, column ${column}: `);
  // The excerpt's gutter: "2 | text" and the caret line's blank gutter of the same width.
  const gutter = new RegExp(`^${position.line} \\| `);
  const width = String(position.line).length;
  const newWidth = String(line).length;
  return lines
    .map((l, i) => {
      if (i === 0) return l;
      if (gutter.test(l)) return l.replace(gutter, `${line} | `);
      if (l.startsWith(`${' '.repeat(width)} | `)) return `${' '.repeat(newWidth)}${l.slice(width)}`;
      return l;
    })
    .join('\n');
}

const HEAD_PREFIX = /^line \d+, column \d+: /;
