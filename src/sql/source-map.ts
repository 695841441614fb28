/**
 * Where each part of the rewritten SQL came from, so DuckDB's errors about the rewritten statement
 * can be told in the user's text (engine-error.ts). The rewriter builds its output from fragments:
 * text copied from the source (mapped character by character) and text it wrote itself (an operator
 * call, a CAST), mapped as a whole to the source span it replaces.
 */
export interface Segment {
  /** Offset in the output. */
  out: number;
  len: number;
  /** The source span (offsets into the whole script). */
  src: number;
  srcEnd: number;
  /** Copied text: output offset out + i is source offset src + i. Otherwise written by the rewriter. */
  copy: boolean;
}

/** A piece of output with its segments (offsets relative to the piece). */
export interface Fragment {
  text: string;
  segments: Segment[];
}

export interface SourceMap {
  /** The rewritten SQL the segments describe. */
  sql: string;
  segments: Segment[];
}

export function copied(source: string, start: number, end: number): Fragment {
  if (end <= start) return { text: '', segments: [] };
  return { text: source.slice(start, end), segments: [{ out: 0, len: end - start, src: start, srcEnd: end, copy: true }] };
}

/** Pieces in order: plain strings are the rewriter's own text, fragments keep their segments. */
export function join(parts: readonly (string | Fragment)[]): Fragment {
  let text = '';
  const segments: Segment[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    for (const s of part.segments) segments.push({ ...s, out: s.out + text.length });
    text += part.text;
  }
  return { text, segments };
}

/** `fragment` as written in place of source [start, end): its generated parts map to that span. */
export function replacing(fragment: Fragment, start: number, end: number): Fragment {
  return { text: fragment.text, segments: [{ out: 0, len: fragment.text.length, src: start, srcEnd: end, copy: false }, ...fragment.segments] };
}

/** A map in which every output character is its source character, from `start` on. */
export function identityMap(sql: string, start: number): SourceMap {
  return { sql, segments: [{ out: 0, len: sql.length, src: start, srcEnd: start + sql.length, copy: true }] };
}

/**
 * The source span behind output offset `offset`: the copied character there, or else the smallest
 * written segment around it (the whole operator use the rewriter wrote).
 */
export function sourceSpanAt(map: SourceMap, offset: number): { start: number; end: number } | undefined {
  let best: Segment | undefined;
  for (const s of map.segments) {
    if (offset < s.out || offset >= s.out + s.len) continue;
    if (s.copy) {
      const at = s.src + (offset - s.out);
      return { start: at, end: at + 1 };
    }
    if (best === undefined || s.len < best.len) best = s;
  }
  return best === undefined ? undefined : { start: best.src, end: best.srcEnd };
}

/** Written segments, longest first, with their output text and the source text they replace. */
export function writtenSpans(map: SourceMap, source: string): { written: string; original: string }[] {
  return map.segments
    .filter((s) => !s.copy)
    .sort((a, b) => b.len - a.len)
    .map((s) => ({ written: map.sql.slice(s.out, s.out + s.len), original: source.slice(s.src, s.srcEnd) }));
}
