import { ProviderError } from './provider';
import type { AnswerValue, ModelAnswer, ModelRequest, RowAnswer } from '../protocol/model';

/**
 * Checks every row's answer on its own before anyone caches it: a row answered "very relevant" or
 * 1.7 for a score becomes that row's error (asked again alone), never a wrong value, and the other
 * rows keep theirs. A reply with the wrong number of rows is a mistake of the provider.
 */
export function checkAnswer(request: ModelRequest, answer: ModelAnswer): ModelAnswer {
  if (answer.rows.length !== request.rows.length) {
    throw new ProviderError({ kind: 'malformed', message: `${request.operator}: ${answer.rows.length} answers for ${request.rows.length} rows` });
  }
  const rows = answer.rows.map((row): RowAnswer => {
    if (!row.ok) return row;
    try {
      return { ok: true, value: checkValue(request, row.value) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  });
  return { ...answer, rows };
}

/** One value against the operator's type and range; throws a `malformed` ProviderError. */
export function checkValue(request: Pick<ModelRequest, 'operator' | 'returns' | 'range' | 'outputSchema'>, value: AnswerValue): AnswerValue {
  const bad = (why: string) => new ProviderError({ kind: 'malformed', message: `${request.operator}: ${why}` });
  // null is an answer only where the operator's schema says so (EXTRACTS: "absent"); anywhere else
  // a null from the provider would be cached and served as if the model had answered.
  if (value === null) {
    if (allowsNull(request.outputSchema)) return value;
    throw bad(`expected ${request.returns === 'BOOLEAN' ? 'true or false' : request.returns === 'DOUBLE' ? 'a number' : 'text'}, got null`);
  }
  switch (request.returns) {
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw bad(`expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'DOUBLE': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`expected a number, got ${JSON.stringify(value)}`);
      const [min, max] = request.range ?? [-Infinity, Infinity];
      if (value < min || value > max) throw bad(`expected a number from ${min} to ${max}, got ${value}`);
      return value;
    }
    case 'VARCHAR':
      if (typeof value !== 'string') throw bad(`expected text, got ${JSON.stringify(value)}`);
      return value;
  }
}

function allowsNull(schema: Record<string, unknown>): boolean {
  const type = schema['type'];
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}
