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
    for (const words of [...op.spellings.infix, ...(op.spellings.postfix ?? [])]) for (const word of words) add(word, op);
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
    head.append(
      el('b', '', op.name),
      el(
        'span',
        'cm-operator-help-sig',
        ` (${op.args.map((a) => `${a.name}${a.optional ? '?' : ''}`).join(', ')}) → ${op.sqlType ?? op.returns}${op.shape === 'scalar' ? '' : ` · ${op.shape}`}`,
      ),
    );
    dom.append(head);
    if (op.description) dom.append(el('p', '', op.description));
    // The catalogue's own forms when it gives them, else the spellings.
    const forms = op.syntax ?? [
      ...op.spellings.infix.map((w) => `a ${w.join(' ')} b`),
      ...(op.spellings.postfix ?? []).map((w) => `a ${w.join(' ')}`),
      ...op.spellings.functions.map((f) => `${f}(…)`),
    ];
    if (forms.length > 0) dom.append(el('p', 'cm-operator-help-spell', `Written: ${forms.join(' · ')}`));
    for (const a of op.args) if (a.description) dom.append(el('p', 'cm-operator-help-spell', `${a.name}: ${a.description}`));
    const examples = op.examples?.map((e) => e.sql) ?? (op.example ? [op.example] : []);
    for (const example of examples.slice(0, 2)) dom.append(el('code', '', example));
    dom.append(
      el(
        'p',
        'cm-operator-help-note',
        op.builtin ? 'One model call per distinct input; answers are cached.' : 'Your operator: one model call per distinct input; answers are cached.',
      ),
    );
  }
  return dom;
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
