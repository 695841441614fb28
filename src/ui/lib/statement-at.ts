import { tokenize, type Token } from '../../sql';

/** A piece of the editor's text to run, and where it starts in the document (for error positions). */
export interface RunTarget {
  sql: string;
  from: number;
  to: number;
}

/**
 * What Ctrl/Cmd+Enter runs: the selection if there is one, else the statement under the cursor with
 * the annotation comments before it (they belong to it). A cursor just after a ';' or on a blank
 * line between statements runs the statement before it.
 */
export function statementAt(doc: string, selection: { from: number; to: number }): RunTarget {
  if (selection.to > selection.from) {
    return trimmed(doc, selection.from, selection.to);
  }
  let tokens: Token[];
  try {
    tokens = tokenize(doc);
  } catch {
    // An unterminated string or comment: run everything and let the engine say where.
    return trimmed(doc, 0, doc.length);
  }
  const pieces: { from: number; to: number; code: boolean }[] = [];
  let from = 0;
  let code = false;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') {
      pieces.push({ from, to: token.start, code });
      from = token.end;
      code = false;
    } else if (token.kind !== 'comment') {
      code = true;
    }
  }
  pieces.push({ from, to: doc.length, code });
  const cursor = selection.from;
  let index = pieces.findIndex((p) => cursor >= p.from && cursor <= p.to);
  if (index === -1) index = pieces.length - 1;
  // Nothing but whitespace and comments here: the statement before it is the one meant.
  while (index > 0 && pieces[index]?.code === false) index--;
  const piece = pieces[index] as { from: number; to: number };
  return trimmed(doc, piece.from, piece.to);
}

/** All of a text, as the Run button of the widget and the example and history buttons run it. */
export function wholeText(doc: string): RunTarget {
  return trimmed(doc, 0, doc.length);
}

function trimmed(doc: string, from: number, to: number): RunTarget {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(doc[start] ?? '')) start++;
  while (end > start && /\s/.test(doc[end - 1] ?? '')) end--;
  return { sql: doc.slice(start, end), from: start, to: end };
}
