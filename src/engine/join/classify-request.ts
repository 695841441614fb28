import type { PairwiseTask } from '../../protocol/model';
import { hashString, type OperatorDef, type SemanticJoin } from '../../sql';
import type { SetAnswer } from './classify';

/**
 * The request of `join: classify` (docs/semantic-joins.md): for one value of the large side, the
 * pairwise operator's own question asked of every option at once, answered as the positions of the
 * options it holds for. Its operator is made per join from the pairwise one, so its cache keys
 * change when that operator's prompt does; the per-pair answers it yields are cached under `pair`,
 * apart from the pairwise operator's own answers (a set question may be answered differently, so
 * an exact query never reads them).
 */
export interface ClassifyOperators {
  request: OperatorDef;
  /** Keys of the per-pair answers a set answer yields: the pairwise arguments under this operator. */
  pair: OperatorDef;
  task: PairwiseTask;
  /** Positions, among the pairwise arguments, of the value each request is about and of the options. */
  valueAt: number;
  optionAt: number;
}

export function classifyOperators(op: OperatorDef, join: SemanticJoin, argCount: number, optionsSide: 'left' | 'right'): ClassifyOperators {
  const [leftAt, rightAt] = join.sides;
  const valueAt = optionsSide === 'right' ? leftAt : rightAt;
  const optionAt = optionsSide === 'right' ? rightAt : leftAt;
  const fields = Array.from({ length: argCount }, (_, i) => op.args[i]?.name ?? `arg${i + 1}`);
  const constantFields = fields.filter((_, i) => i !== valueAt && i !== optionAt);
  const optionsField = fields.includes('options') ? 'options_' : 'options';
  const holds = join.holds.kind === 'yes' ? 'yes' : `above ${join.holds.threshold}${join.holds.inclusive ? ' or equal to it' : ''}`;
  const template =
    `Answer the question below once for each element of {{${optionsField}}}, with that element as {{${fields[optionAt]}}}: "${op.prompt}" ` +
    `Reply with the positions (1 for the first element) of the elements for which the answer is ${holds}, as a list of integers; an empty list when there are none.`;
  const name = `${op.name}:classify`;
  const base: Omit<OperatorDef, 'name' | 'version' | 'args' | 'prompt' | 'outputSchema' | 'returns'> = {
    spellings: { infix: [], postfix: [], functions: [] },
    shape: 'scalar',
    udf: '',
    builtin: false,
    example: '',
    examples: [],
    description: `join: classify for ${op.name}`,
    score: false,
    internal: true,
  };
  const version = hashString(`${op.name}@${op.version}|${template}`);
  const task: PairwiseTask = {
    operator: op.name,
    returns: op.returns,
    template: op.prompt,
    fields,
    valueAt,
    optionAt,
    holds: join.holds,
    ...(op.range ? { range: op.range } : {}),
  };
  return {
    request: {
      ...base,
      name,
      version,
      prompt: template,
      returns: 'VARCHAR',
      args: [
        { name: fields[valueAt] as string, type: 'VARCHAR' },
        { name: optionsField, type: 'VARCHAR[]' },
        ...constantFields.map((f) => ({ name: f, type: 'VARCHAR' })),
      ],
      outputSchema: { type: 'array', items: { type: 'integer', minimum: 1 } },
    },
    pair: {
      ...base,
      name,
      version: `${version}.pair`,
      prompt: template,
      returns: 'BOOLEAN',
      args: fields.map((f) => ({ name: f, type: 'VARCHAR' })),
      outputSchema: { type: 'boolean' },
    },
    task,
    valueAt,
    optionAt,
  };
}

/** A set answer read: positions 1…options, each at most once; anything else is the row's error. */
export function readSetAnswer(value: unknown, options: number): SetAnswer {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (!Array.isArray(parsed) || !parsed.every((v) => Number.isInteger(v) && v >= 1 && v <= options)) throw new Error('not a list of positions');
    return new Set(parsed.map((v: number) => v - 1));
  } catch {
    return { error: `join: classify expected a list of option positions from 1 to ${options}, got ${JSON.stringify(value)}` };
  }
}
