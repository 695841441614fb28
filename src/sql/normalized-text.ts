import type { Node } from './ast';
import type { Token } from './lexer';

/**
 * Comparable text of an expression: its tokens joined by one space, words lower-cased (`GROUP BY
 * Topics(x, 3)` matches `topics(x,3)` in the SELECT list). `tokens` are the statement's, in order.
 */
export function normalizedText(tokens: readonly Token[], node: Pick<Node, 'start' | 'end'>): string {
  let out = '';
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).start < node.start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.start >= node.end) break;
    out += (t.kind === 'word' ? t.text.toLowerCase() : t.text) + ' ';
  }
  return out;
}
