import { checkAnswer } from '../answer-check';
import { ProviderError } from '../provider';
import type { AnswerValue, ModelAnswer, ModelRequest, RowAnswer } from '../../protocol/model';
import { rowId } from '../prompt';
import { ANSWER_TOOL } from './request-body';

/**
 * The `answer` tool call's entries, one per row by id, each checked against the operator's type: a
 * row left out or ill-typed is that row's error (asked again alone), the others keep their values.
 * A reply cut off by max_tokens while several rows were asked is `too_large`: fewer rows per request.
 */
export function readAnswer(request: ModelRequest, message: unknown): ModelAnswer {
  const malformed = (why: string) => new ProviderError({ kind: 'malformed', message: `${request.operator}: ${why}` });
  if (!isRecord(message) || !Array.isArray(message['content'])) throw malformed('the reply is not a Messages API message');
  const stop = String(message['stop_reason']);
  if (request.rows.length > 1 && (stop === 'max_tokens' || stop === 'model_context_window_exceeded')) {
    throw new ProviderError({ kind: 'too_large', message: `${request.operator}: the answer for ${request.rows.length} rows was cut off (${stop})` });
  }
  const block = message['content'].find((b: unknown) => isRecord(b) && b['type'] === 'tool_use' && b['name'] === ANSWER_TOOL);
  const input = isRecord(block) ? block['input'] : undefined;
  const entries = isRecord(input) && Array.isArray(input['answers']) ? (input['answers'] as unknown[]) : null;
  // Without a tool call or its answers, no row was answered: each row is missing, and a row
  // missing from a larger request is asked again alone (asked alone, it is the reply's error).
  const missing = !isRecord(block)
    ? `the model did not call the ${ANSWER_TOOL} tool (stop reason: ${stop})`
    : !entries
      ? `the ${ANSWER_TOOL} tool call has no answers`
      : null;
  if (missing && request.rows.length === 1) throw malformed(missing);
  const byId = new Map<string, unknown>();
  for (const entry of entries ?? []) if (isRecord(entry) && 'value' in entry && entry['id'] !== undefined) byId.set(String(entry['id']), entry['value']);
  const usage = isRecord(message['usage']) ? message['usage'] : {};
  const answer: ModelAnswer = {
    rows: request.rows.map((_, i): RowAnswer => {
      if (!byId.has(rowId(i))) return { ok: false, error: `${request.operator}: ${missing ?? 'the answer left this row out'}` };
      try {
        return { ok: true, value: asValue(request, byId.get(rowId(i))) };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    }),
    // Cached prompt tokens are input too: written (cache_creation) or read (cache_read), they are
    // billed, each at its own rate (src/llm/pricing.ts).
    inputTokens: tokens(usage['input_tokens']) + tokens(usage['cache_creation_input_tokens']) + tokens(usage['cache_read_input_tokens']),
    ...(tokens(usage['cache_creation_input_tokens']) > 0 ? { cacheWriteTokens: tokens(usage['cache_creation_input_tokens']) } : {}),
    ...(tokens(usage['cache_read_input_tokens']) > 0 ? { cacheReadTokens: tokens(usage['cache_read_input_tokens']) } : {}),
    outputTokens: tokens(usage['output_tokens']),
  };
  const checked = checkAnswer(request, answer);
  // Asked alone, a row's bad answer is the reply's: the same malformed error as ever.
  const only = checked.rows.length === 1 ? checked.rows[0] : undefined;
  if (only && !only.ok) throw malformed(only.error.replace(`${request.operator}: `, ''));
  return checked;
}

/**
 * VARCHAR operators whose schema is an array (themes, dedupe, outliers) answer with JSON text, as
 * the mock does, so the array is serialised; other values pass as they are for checkAnswer to judge.
 */
function asValue(request: ModelRequest, value: unknown): AnswerValue {
  if (value === undefined) return null;
  if (request.returns === 'VARCHAR' && (Array.isArray(value) || isRecord(value))) return JSON.stringify(value);
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  throw new ProviderError({ kind: 'malformed', message: `${request.operator}: expected ${request.returns}, got ${JSON.stringify(value)}` });
}

const tokens = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
