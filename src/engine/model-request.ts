import { renderPrompt } from '../llm/prompt';
import type { ModelRequest } from '../protocol/model';
import type { OperatorDef } from '../sql';
import type { AnswerScope } from './cache-key';

/** The request for one distinct input: what every provider (mock or real) is asked. */
export function modelRequest(key: string, operator: OperatorDef, args: string[], scope: AnswerScope): ModelRequest {
  const request: ModelRequest = {
    key,
    operator: operator.name,
    returns: operator.returns,
    args,
    grouped: operator.args.some((a) => a.group === true),
    prompt: renderPrompt(operator, args),
    instructions: [...scope.instructions],
    outputSchema: operator.outputSchema,
    model: scope.model,
    temperature: scope.temperature,
  };
  if (operator.range) request.range = operator.range;
  return request;
}
