import { syntaxTree } from '@codemirror/language';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import type { OperatorInfo } from '../../protocol/duckdb-worker-api';

/**
 * Help for a semantic operator under the pointer: its spellings, arguments, answer type, what it
 * asks the model and an example, from the operator catalogue the engine reports (OperatorInfo).
 * Built with DOM text nodes: descriptions of user operators are user text, never HTML.
 */
export function operatorHover(operators: readonly OperatorInfo[]) {
  const byWord = new Map<string, OperatorInfo[]>();
  const add = (word: string, op: OperatorInfo) => {
    const key = word.toLowerCase();
    const list = byWord.get(key) ?? [];
    if (!list.includes(op)) list.push(op);
    byWord.set(key, list);
  };
  for (const op of operators) {
    for (const words of op.spellings.infix) for (const word of words) add(word, op);
    for (const fn of op.spellings.functions) add(fn, op);
  }

  return hoverTooltip((view, pos, side): Tooltip | null => {
    const line = view.state.doc.lineAt(pos);
    const offset = pos - line.from;
    let start = offset;
    let end = offset;
    while (start > 0 && /\w/.test(line.text[start - 1] ?? '')) start--;
    while (end < line.text.length && /\w/.test(line.text[end] ?? '')) end++;
    if (start === end || (start === offset && side < 0) || (end === offset && side > 0)) return null;
    const ops = byWord.get(line.text.slice(start, end).toLowerCase());
    if (!ops) return null;
    const node = syntaxTree(view.state).resolveInner(line.from + start, 1);
    if (/String|Comment|QuotedIdentifier/.test(node.name)) return null;
    return {
      pos: line.from + start,
      end: line.from + end,
      above: true,
      create: () => ({ dom: helpDom(ops) }),
    };
  });
}

function helpDom(ops: readonly OperatorInfo[]): HTMLElement {
  const dom = el('div', 'cm-operator-help');
  dom.dataset.testid = 'operator-help';
  for (const op of ops) {
    const head = el('div', 'cm-operator-help-head');
    head.append(el('b', '', op.name), el('span', 'cm-operator-help-sig', ` (${op.args.map((a) => `${a.name}${a.optional ? '?' : ''}`).join(', ')}) → ${op.returns}${op.shape === 'scalar' ? '' : ` · ${op.shape}`}`));
    dom.append(head);
    if (op.description) dom.append(el('p', '', op.description));
    const spellings = [...op.spellings.infix.map((w) => `a ${w.join(' ')} b`), ...op.spellings.functions.map((f) => `${f}(…)`)];
    if (spellings.length > 0) dom.append(el('p', 'cm-operator-help-spell', `Written: ${spellings.join(' · ')}`));
    if (op.example) dom.append(el('code', '', op.example));
    dom.append(el('p', 'cm-operator-help-note', op.builtin ? 'One model call per distinct input; answers are cached.' : 'Your operator: one model call per distinct input; answers are cached.'));
  }
  return dom;
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
