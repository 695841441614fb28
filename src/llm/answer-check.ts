import { ProviderError } from './provider';
import type { ModelAnswer, ModelRequest } from '../protocol/model';

/**
 * Checks an answer against the operator's return type before anyone caches it: a provider that
 * answers a score with "very relevant" or 1.7 gives a row-level error, not a wrong row.
 */
export function checkAnswer(request: ModelRequest, answer: ModelAnswer): ModelAnswer {
  const { value } = answer;
  const bad = (why: string) => new ProviderError({ kind: 'malformed', message: `${request.operator}: ${why}` });
  // null is an answer only where the operator's schema says so (EXTRACTS: "absent"); anywhere else
  // a null from the provider would be cached and served as if the model had answered.
  if (value === null) {
    if (allowsNull(request.outputSchema)) return answer;
    throw bad(`expected ${request.returns === 'BOOLEAN' ? 'true or false' : request.returns === 'DOUBLE' ? 'a number' : 'text'}, got null`);
  }
  switch (request.returns) {
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw bad(`expected true or false, got ${JSON.stringify(value)}`);
      return answer;
    case 'DOUBLE': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`expected a number, got ${JSON.stringify(value)}`);
      const [min, max] = request.range ?? [-Infinity, Infinity];
      if (value < min || value > max) throw bad(`expected a number from ${min} to ${max}, got ${value}`);
      return answer;
    }
    case 'VARCHAR':
      if (typeof value !== 'string') throw bad(`expected text, got ${JSON.stringify(value)}`);
      return answer;
  }
}

function allowsNull(schema: Record<string, unknown>): boolean {
  const type = schema['type'];
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}
