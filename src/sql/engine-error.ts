import { SemanticSqlError } from './errors';
import { tokenize } from './lexer';
import { sourceSpanAt, writtenSpans, type SourceMap } from './source-map';
import { EMBEDDING_HOOK_PREFIX, UDF_PREFIX } from './catalogue';

/** DuckDB's error classes: "Binder Error: ...", "Parser Error: ...". */
const ENGINE_ERROR =
  /\b(?:Parser|Binder|Catalog|Conversion|Invalid Input|Out of Range|Not implemented|Constraint|Dependency|Transaction|Syntax|Internal|Type Mismatch|Mismatch Type|Serialization|Permission|IO|Invalid Configuration|Interrupt|Sequence|Invalid Type) Error: /;

/** DuckDB's excerpt: `LINE n: <text of line n, maybe cut with ...>` then spaces and a caret. */
const EXCERPT = /\n?\n?LINE (\d+): ([^\n]*)\n( *)\^/g;

interface Excerpt {
  line: number;
  context: string;
  /** Caret column within the excerpt's line, counted from after "LINE n: ". */
  caret: number;
}

function excerpts(message: string): Excerpt[] {
  return [...message.matchAll(EXCERPT)].map((m) => {
    const prefix = `LINE ${m[1]}: `.length;
    return { line: Number(m[1]), context: m[2] ?? '', caret: (m[3] ?? '').length - prefix };
  });
}

/** The offset in `sql` the excerpt's caret points at, found by locating its text on its line. */
function offsetOf(excerpt: Excerpt, sql: string): number | undefined {
  let lineStart = 0;
  for (let line = 1; line < excerpt.line; line++) {
    const next = sql.indexOf('\n', lineStart);
    if (next === -1) return undefined;
    lineStart = next + 1;
  }
  const lineEnd = sql.indexOf('\n', lineStart) === -1 ? sql.length : sql.indexOf('\n', lineStart);
  const lineText = sql.slice(lineStart, lineEnd);
  let context = excerpt.context;
  let caret = excerpt.caret;
  if (context.startsWith('...')) {
    context = context.slice(3);
    caret -= 3;
  }
  if (context.endsWith('...')) context = context.slice(0, -3);
  const at = lineText.indexOf(context);
  if (at === -1 || caret < 0) return undefined;
  // DuckDB counts display columns; past ASCII a code point is one column here (close enough for a caret).
  const codePoints = Array.from(context);
  const units = codePoints.slice(0, caret).join('').length;
  return lineStart + at + units;
}

/** Line and column (code points) of a script offset, as SemanticSqlError counts them. */
function positionOf(script: string, offset: number): { line: number; column: number } {
  const before = script.slice(0, offset);
  const line = before.split('\n').length;
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
  return { line, column };
}

/** The message in the user's words: what the rewriter wrote replaced by what the user wrote. */
function userWording(detail: string, map: SourceMap | undefined, script: string): string {
  let out = detail;
  if (map !== undefined) for (const { written, original } of writtenSpans(map, script)) if (written.length > 0) out = out.split(written).join(original);
  return out.replaceAll(EMBEDDING_HOOK_PREFIX, '').replaceAll(UDF_PREFIX, '');
}

/**
 * DuckDB's error about a statement semsql ran, told in the user's terms (issue 18): positioned in the
 * user's script (through the statement's source map) with the user's own text in the message and a
 * single excerpt, never `__sem_` names or CASTs the rewriter added. A DuckDB message with no position
 * becomes a plain Error with the same wording rules; anything that is not DuckDB's is returned as it is.
 */
/**
 * DuckDB-WASM sometimes reports an error as its JSON record ({"exception_type": "Parser",
 * "exception_message": ..., "position": "0"}): the same message, and the offset itself.
 */
function fromJson(message: string): { text: string; position?: number } | undefined {
  if (!message.trimStart().startsWith('{')) return undefined;
  try {
    const record = JSON.parse(message) as Record<string, unknown>;
    if (typeof record['exception_message'] !== 'string') return undefined;
    const type = typeof record['exception_type'] === 'string' ? `${record['exception_type']} Error: ` : '';
    const position = Number(record['position']);
    return { text: type + record['exception_message'], ...(record['position'] !== undefined && Number.isInteger(position) ? { position } : {}) };
  } catch {
    return undefined;
  }
}

/** DuckDB counts positions in UTF-8 bytes; JavaScript strings in UTF-16 units. */
function fromUtf8Offset(sql: string, bytes: number): number {
  const encoder = new TextEncoder();
  let used = 0;
  let i = 0;
  for (const ch of sql) {
    if (used >= bytes) break;
    used += encoder.encode(ch).length;
    i += ch.length;
  }
  return i;
}

export function engineErrorInUserTerms(error: unknown, statement: { sql: string; sourceMap?: SourceMap }, script: string): unknown {
  if (!(error instanceof Error) || error instanceof SemanticSqlError) return error;
  const record = fromJson(error.message);
  const message = record?.text ?? error.message;
  if (!ENGINE_ERROR.test(message)) return error;
  const map = statement.sourceMap;
  const found = excerpts(message);
  const head = message.replace(EXCERPT, '').trim();
  const detail = userWording(
    head
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(' '),
    map,
    script,
  );
  const excerpt = found[0];
  const offset =
    map === undefined
      ? undefined
      : record?.position !== undefined
        ? fromUtf8Offset(map.sql, record.position)
        : excerpt === undefined
          ? undefined
          : offsetOf(excerpt, map.sql);
  const span = offset === undefined || map === undefined ? undefined : sourceSpanAt(map, offset);
  if (span === undefined) {
    const plain = new Error(detail);
    plain.name = error.name;
    return plain;
  }
  const token = tokenize(script).find((t) => t.kind !== 'comment' && t.start <= span.start && span.start < t.end);
  const start = token?.start ?? span.start;
  const { line, column } = positionOf(script, start);
  return new SemanticSqlError({ line, column, offset: start, token: token?.text ?? script.slice(span.start, span.end), expected: '', message: detail });
}
