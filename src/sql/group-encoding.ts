/**
 * How a group's values reach an aggregate UDF as one VARCHAR. JSON functions are not available (see
 * docs/design.md, "Extensions"), so values are joined with the record separator RS (chr(30)) after
 * escaping: ESC (chr(27)) is doubled and RS becomes ESC 'r'. Values are ordered by their escaped
 * text so the same group always gives the same string (and the same cache key).
 */
const ESC = '\u001b';
const RS = '\u001e';

/** The SQL that encodes one group of `expr`; `distinct` keeps one copy of each value. */
export function groupEncodingSql(expr: string, options: { distinct?: boolean; filter?: string } = {}): string {
  return groupEncodingParts(expr, options).join('');
}

/**
 * groupEncodingSql's pieces, with `expr` and `filter` left as they were given: the rewriter passes
 * fragments that remember where they came from (source-map.ts).
 */
export function groupEncodingParts<T>(expr: T, options: { distinct?: boolean; filter?: T } = {}): (string | T)[] {
  const escaped = ['replace(replace(CAST(', expr, " AS VARCHAR), chr(27), chr(27) || chr(27)), chr(30), chr(27) || 'r')"];
  const distinct = options.distinct === true ? 'DISTINCT ' : '';
  const filter = options.filter === undefined ? [] : [' FILTER (WHERE ', options.filter, ')'];
  return [`string_agg(${distinct}`, ...escaped, ', chr(30) ORDER BY ', ...escaped, ')', ...filter];
}

export function escapeGroupValue(value: string): string {
  return value.replaceAll(ESC, ESC + ESC).replaceAll(RS, `${ESC}r`);
}

/**
 * What `groupEncodingSql` yields for these values: NULLs skipped, null for an empty group, ordered
 * by code point like DuckDB's default (byte-wise UTF-8) VARCHAR ordering.
 */
export function encodeGroup(values: readonly (string | null | undefined)[]): string | null {
  const escaped: string[] = [];
  for (const value of values) if (value !== null && value !== undefined) escaped.push(escapeGroupValue(value));
  if (escaped.length === 0) return null;
  escaped.sort(compareCodePoints);
  return escaped.join(RS);
}

export function decodeGroup(encoded: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i];
    if (c === RS) {
      values.push(current);
      current = '';
    } else if (c === ESC) {
      const next = encoded[i + 1];
      current += next === 'r' ? RS : ESC;
      i++;
    } else {
      current += c;
    }
  }
  values.push(current);
  return values;
}

/** Code-point order (= UTF-8 byte order); JS's default sort compares UTF-16 units instead. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      // A surrogate encodes a code point above every BMP character.
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
