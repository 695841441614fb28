import type { Token } from './lexer';

/**
 * LARS's statement-level forms, recognised on a statement's code tokens before it is rewritten:
 * `ASK_DATA 'question'` (also `SELECT * FROM ask_data('question')`) and a final `-> name`, which
 * saves the result as a table (script.ts turns them into statements).
 */

/** The question of `ASK_DATA 'q'` or `SELECT * FROM ask_data('q')`, if the statement is one. */
export function askDataQuestion(code: readonly Token[]): Token | undefined {
  const words = code.map((t) => (t.kind === 'word' ? t.upper : t.text));
  if (code.length === 2 && words[0] === 'ASK_DATA' && code[1]?.kind === 'string') return code[1];
  const call = ['SELECT', '*', 'FROM', 'ASK_DATA', '(', undefined, ')'];
  if (code.length === call.length && call.every((w, i) => w === undefined || words[i] === w) && code[5]?.kind === 'string') return code[5];
  return undefined;
}

export interface ArrowTarget {
  /** The statement without `-> name`. */
  tokens: Token[];
  /** The table name as written (schema.name allowed). */
  name: string;
  arrow: Token;
}

/** `<query> -> name` or `<query> SHADOW AS name` (LARS's SQL-style spelling of the same). */
export function resultTarget(code: readonly Token[]): ArrowTarget | undefined {
  const arrow = arrowTarget(code);
  if (arrow !== undefined) return arrow;
  const shadow = code.findLastIndex((t, i) => t.upper === 'SHADOW' && code[i + 1]?.upper === 'AS');
  if (shadow <= 0) return undefined;
  const name = code.slice(shadow + 2);
  const dotted =
    name.length > 0 &&
    name.every((t, i) => (i % 2 === 0 ? t.kind === 'word' || t.kind === 'quoted' : t.kind === 'punct' && t.text === '.')) &&
    name.length % 2 === 1;
  if (!dotted) return undefined;
  return { tokens: code.slice(0, shadow), name: name.map((t) => t.text).join(''), arrow: code[shadow] as Token };
}

/** `<query> -> name`: the arrow is the statement's last operator, followed only by a (dotted) name. */
function arrowTarget(code: readonly Token[]): ArrowTarget | undefined {
  let i = code.length - 1;
  const nameParts: Token[] = [];
  while (i >= 0) {
    const t = code[i] as Token;
    if (t.kind !== 'word' && t.kind !== 'quoted') break;
    nameParts.unshift(t);
    const dot = code[i - 1];
    if (!(dot?.kind === 'punct' && dot.text === '.')) {
      i--;
      break;
    }
    i -= 2;
  }
  const arrow = code[i];
  if (arrow?.kind !== 'op' || arrow.text !== '->' || nameParts.length === 0 || i === 0) return undefined;
  return { tokens: code.slice(0, i), name: nameParts.map((t) => t.text).join('.'), arrow };
}
