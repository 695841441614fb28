import type { ModelRequest } from '../protocol/model';
import type { OperatorDef } from '../sql';
import type { AnswerScope } from './cache-key';

/** Names of `llm(prompt, …)`'s values, as its prompt refers to them: {{a}}, {{b}}, … */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The request for one distinct input: what every provider (mock or real) is asked. Rows of the same
 * operator, scope and template are alike but for their values, so the scheduler may send several in
 * one request. `llm(prompt, a, b, …)` is the escape hatch: its first argument is the instructions.
 */
export function modelRequest(key: string, operator: OperatorDef, args: string[], scope: AnswerScope): ModelRequest {
  const variadic = operator.args.some((a) => a.variadic === true);
  const values = variadic ? args.slice(1) : args;
  // Embedding operators are answered by the embeddings model, which takes no instructions.
  const embeddings = operator.execution === 'embeddings' ? scope.embeddings : undefined;
  const request: ModelRequest = {
    operator: operator.name,
    returns: operator.returns,
    grouped: operator.args.some((a) => a.group === true),
    template: variadic ? (args[0] ?? '') : operator.prompt,
    fields: variadic ? values.map((_, i) => LETTERS[i] ?? `v${i + 1}`) : operator.args.map((a) => a.name),
    rows: [{ key, args: values }],
    instructions: embeddings ? [] : [...scope.instructions],
    outputSchema: operator.outputSchema,
    model: embeddings?.model ?? scope.model,
    temperature: embeddings ? 0 : scope.temperature,
  };
  if (operator.range) request.range = operator.range;
  return request;
}
