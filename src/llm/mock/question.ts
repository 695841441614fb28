import type { AnswerType, ModelRequest, PairwiseTask } from '../../protocol/model';
import { decodeGroup } from '../../sql';

/**
 * One row of a request, as the offline model reads it: the operator, the row's arguments, and the
 * operator's prompt with the values written in (the mock guesses a user operator's task from its
 * wording; it runs offline, so no injection rule applies to what it reads). The mock answers each
 * row of a request on its own, so a row's answer is the same whatever request carries it.
 */
export interface MockQuestion {
  key: string;
  operator: string;
  returns: AnswerType;
  range?: [number, number];
  args: string[];
  grouped: boolean;
  prompt: string;
  instructions: string[];
  outputSchema: Record<string, unknown>;
  model: string;
  temperature: number;
  /** A semantic join's classify request: the pairwise question its options stand for. */
  pairwise?: PairwiseTask;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function questionsOf(request: ModelRequest): MockQuestion[] {
  return request.rows.map((row) => {
    const byName = new Map<string, string>();
    request.fields.forEach((name, i) => {
      const value = row.args[i];
      if (value === undefined) return;
      byName.set(
        name,
        i === 0 && request.grouped
          ? decodeGroup(value)
              .map((v) => `- ${v}`)
              .join('\n')
          : value,
      );
    });
    const question: MockQuestion = {
      key: row.key,
      operator: request.operator,
      returns: request.returns,
      // llm(prompt, a, …): the mock reads the prompt as its first argument, as the query wrote it.
      args: request.operator === 'llm' ? [request.template, ...row.args] : row.args,
      grouped: request.grouped,
      prompt: request.template.replace(PLACEHOLDER, (whole, name: string) => byName.get(name) ?? whole),
      instructions: request.instructions,
      outputSchema: request.outputSchema,
      model: request.model,
      temperature: request.temperature,
    };
    if (request.range) question.range = request.range;
    if (request.pairwise) question.pairwise = request.pairwise;
    return question;
  });
}
