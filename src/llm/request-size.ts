import type { AnswerType, ModelRequest } from '../protocol/model';
import { DATA_RULES, dataBlock, estimateTokens, taskText } from './prompt';

/**
 * Sizes of a request before it is sent, in tokens: what planning (rows per request, pacing under
 * per-minute limits, EXPLAIN) and the provider's `max_tokens` are computed from. Estimates, made
 * the same way everywhere; the scheduler corrects input estimates by what providers then report.
 */

/**
 * Input tokens every request of a task repeats whatever its rows: the system prompt (rules for the
 * data block, answer instructions) and the forced tool with the answer schema, plus the task's
 * instructions. The fixed part (~150 tokens for the preamble and the tool's wrapper) is measured
 * from src/llm/anthropic/request-body.ts's texts; a provider's own count replaces it once known.
 */
export function overheadTokens(request: Pick<ModelRequest, 'template' | 'fields' | 'instructions' | 'outputSchema'>): number {
  const fixed = 150;
  return (
    fixed +
    estimateTokens(DATA_RULES) +
    estimateTokens(taskText(request)) +
    estimateTokens(request.instructions.join('\n')) +
    estimateTokens(JSON.stringify(request.outputSchema))
  );
}

/** Input tokens of a request: its overhead and its data block. */
export function inputTokens(request: ModelRequest): number {
  return overheadTokens(request) + estimateTokens(dataBlock(request));
}

/** Tokens of one row's entry in the data block (its share of a request's input). */
export function rowTokens(request: ModelRequest, row: ModelRequest['rows'][number]): number {
  return estimateTokens(dataBlock({ ...request, rows: [row] })) - DATA_BLOCK_FRAME;
}

/** What `<data>\n{"rows":[{"id":"1"}]}\n</data>` costs besides the row's fields. */
const DATA_BLOCK_FRAME = 6;

/**
 * An answer entry `{"id":"12","value":0.75}` is 8 to 12 tokens; 16 leaves room for a long id and
 * the tool call's separators. The tool call itself costs about 40 tokens per reply.
 */
const FIXED_ANSWER_TOKENS = 16;
const REPLY_FRAME_TOKENS = 64;

/**
 * Rows of free text asked together get at most this many output tokens each: a batched answer that
 * needs more is cut off, which halves the rows per request (`too_large`) until a row asked alone
 * gets the whole `maxTokensPerRow`.
 */
const BATCHED_TEXT_ROW_TOKENS = 256;

/** Output a provider may use for one request (its `max_tokens`): enough for every row's answer. */
export function outputCap(returns: AnswerType, rows: number, maxTokensPerRow: number): number {
  if (returns !== 'VARCHAR') return REPLY_FRAME_TOKENS + FIXED_ANSWER_TOKENS * rows;
  if (rows <= 1) return maxTokensPerRow;
  return REPLY_FRAME_TOKENS + Math.min(maxTokensPerRow, BATCHED_TEXT_ROW_TOKENS) * rows;
}
