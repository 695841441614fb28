import { ProviderError, type ModelAnswer, type ModelRequest } from './provider';

/**
 * Checks an answer against the operator's return type before anyone caches it: a provider that
 * answers a score with "very relevant" or 1.7 gives a row-level error, not a wrong row.
 */
export function checkAnswer(request: ModelRequest, answer: ModelAnswer): ModelAnswer {
  const { value } = answer;
  const bad = (why: string) => new ProviderError({ kind: 'malformed', message: `${request.operator}: ${why}` });
  if (value === null) return answer;
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
