import type { OperatorDef } from '../types';

/** One line per way to write the operator: `text MEANS criterion`, `x CANONICAL`, `matches(text, criterion)`. */
export function syntaxOf(op: Pick<OperatorDef, 'spellings' | 'args'>): string[] {
  const written = op.args.filter((a) => a.implicit === undefined);
  const [first, second] = written;
  const lhs = first?.name ?? 'x';
  const argList = written.map((a) => (a.optional === true ? `[${a.name}]` : a.variadic === true ? `${a.name}...` : a.name)).join(', ');
  return [
    ...op.spellings.infix.map((w) => `${lhs} ${w.join(' ')} ${second?.name ?? 'y'}`),
    ...op.spellings.postfix.map((w) => `${lhs} ${w.join(' ')}`),
    ...op.spellings.functions.map((f) => `${f}(${argList})`),
  ];
}
