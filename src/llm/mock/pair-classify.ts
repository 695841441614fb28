import type { PairwiseTask } from '../../protocol/model';
import type { MockValue } from './args';
import type { MockQuestion } from './question';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A semantic join's classify request (docs/semantic-joins.md), as the offline model answers it: the
 * pairwise question asked of each option in turn, exactly as the mock answers that operator, so a
 * join classified with the mock gives the nested loop's pairs. Answered as a JSON array of the
 * positions (1 for the first) of the options that hold.
 */
export function classifyPairs(row: MockQuestion, task: PairwiseTask, answer: (q: MockQuestion) => MockValue): string {
  const [value = '', optionsJson = '[]', ...others] = row.args;
  const options = JSON.parse(optionsJson) as string[];
  const held: number[] = [];
  options.forEach((option, i) => {
    const args: string[] = [];
    const rest = [...others];
    for (let at = 0; at < 2 + others.length; at++) args.push(at === task.valueAt ? value : at === task.optionAt ? option : (rest.shift() ?? ''));
    const byField = new Map(task.fields.map((f, k) => [f, args[k] ?? '']));
    const question: MockQuestion = {
      key: `${row.key}#${i}`,
      operator: task.operator,
      returns: task.returns,
      ...(task.range ? { range: task.range } : {}),
      args,
      grouped: false,
      prompt: task.template.replace(PLACEHOLDER, (whole, name: string) => byField.get(name) ?? whole),
      instructions: row.instructions,
      outputSchema: {},
      model: row.model,
      temperature: row.temperature,
    };
    const got = answer(question);
    const holds =
      task.holds.kind === 'yes' ? got === true : typeof got === 'number' && (task.holds.inclusive ? got >= task.holds.threshold : got > task.holds.threshold);
    if (holds) held.push(i + 1);
  });
  return JSON.stringify(held);
}
