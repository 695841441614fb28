/**
 * Token counts for the fake Anthropic API. No tokenizer: about four characters per token is close
 * enough for English and JSON, and what matters to the tests is that counts are deterministic,
 * grow with the prompt, and that the rate limiter, `usage` and the tests all use the same numbers.
 */

const CHARS_PER_TOKEN = 4;

function tokensOf(chars: number): number {
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

function textOf(part: unknown): string {
  return typeof part === 'string' ? part : (JSON.stringify(part) ?? '');
}

/**
 * Input tokens of a Messages request body (or of a batch request's `params`): system, messages
 * and tools, which is what the model reads. Prompt caching is not modelled: every input token
 * counts, as if nothing were cached.
 */
export function estimateInputTokens(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 1;
  const { system, messages, tools } = body as Record<string, unknown>;
  const chars = [system, messages, tools].filter((part) => part !== undefined).reduce<number>((sum, part) => sum + textOf(part).length, 0);
  return tokensOf(chars);
}

/** Output tokens of a tool call whose input is `input` (the JSON the model wrote). */
export function estimateOutputTokens(input: unknown): number {
  return tokensOf(textOf(input).length);
}

/** The request's `max_tokens`, which the API reserves against the output-tokens bucket up front. */
export function maxTokensOf(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  const value = (body as Record<string, unknown>)['max_tokens'];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
