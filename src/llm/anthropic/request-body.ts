import type { MessageCreateParamsNonStreaming, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicSettings } from '../../protocol/settings';
import type { ModelRequest } from '../../protocol/model';
import { DATA_RULES, estimateTokens, userMessage } from '../prompt';
import { outputCap } from '../request-size';

/**
 * The Messages API body for one request: the operator's instructions and the rows' data as the user
 * turn (src/llm/prompt.ts: data in a delimited JSON block), the rules for that block and the
 * statement's instructions in the system prompt, and a forced
 * `answer` tool whose input is `{ value: <the operator's output schema> }`, so a score comes back as
 * a number and a boolean as a boolean (docs/design.md, "Model calls").
 */

export const ANSWER_TOOL = 'answer';

export const SYSTEM_PREAMBLE = [
  'You answer questions for a SQL engine; each answer becomes a value in a query result.',
  DATA_RULES,
  `Answer only by calling the \`${ANSWER_TOOL}\` tool, once, with one entry in \`answers\` per row: its \`id\` and its \`value\`, fitting the value's schema exactly.`,
  'Do not explain your answers and do not add text outside the tool call.',
].join('\n');

/**
 * Fewest prompt tokens a cache breakpoint needs before the API caches anything
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#cache-limitations). A marker
 * on a shorter prefix is harmless (nothing is cached), so an outdated row here costs at most a
 * missed discount; unknown models get the common 1,024.
 */
export function minCacheableTokens(model: string): number {
  if (/haiku-4-5|opus-4-[567]/.test(model)) return 4096;
  if (/haiku-3/.test(model)) return 2048;
  if (/(opus|fable|mythos)-5/.test(model)) return 512;
  return 1024;
}

export function systemText(request: ModelRequest): string {
  const instructions = request.instructions.map((line) => line.trim()).filter((line) => line !== '');
  if (instructions.length === 0) return SYSTEM_PREAMBLE;
  return `${SYSTEM_PREAMBLE}\n\nInstructions for this query:\n${instructions.map((line) => `- ${line}`).join('\n')}`;
}

/**
 * The forced tool: one `{ id, value }` per row, the value in the operator's schema. Row ids are
 * entries of an array rather than property names: property names must match ^[a-zA-Z0-9_.-]{1,64}$
 * and each one widens the schema the model sees.
 */
export function answerTool(request: ModelRequest): Tool {
  return {
    name: ANSWER_TOOL,
    description: `Record the answers: one per row of the data, with the row's id; each \`value\` must be ${describeValue(request)}.`,
    input_schema: {
      type: 'object',
      properties: {
        answers: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' }, value: request.outputSchema }, required: ['id', 'value'] },
        },
      },
      required: ['answers'],
    },
  };
}

function describeValue(request: ModelRequest): string {
  switch (request.returns) {
    case 'BOOLEAN':
      return 'true or false';
    case 'DOUBLE':
      return request.range ? `a number from ${request.range[0]} to ${request.range[1]}` : 'a number';
    case 'VARCHAR':
      return request.outputSchema['type'] === 'array' ? 'a JSON array as the schema says' : 'text as the schema says';
  }
}

export function messageBody(request: ModelRequest, settings: AnthropicSettings): MessageCreateParamsNonStreaming {
  const tool = answerTool(request);
  const text = systemText(request);
  const system: TextBlockParam = { type: 'text', text };
  // The cached prefix is tools then system, so both count towards the minimum.
  if (estimateTokens(text) + estimateTokens(JSON.stringify(tool)) >= minCacheableTokens(request.model)) {
    system.cache_control = { type: 'ephemeral' };
  }
  return {
    model: request.model,
    // Enough for every row's answer and no more: the output-tokens limit reserves max_tokens up front.
    max_tokens: outputCap(request.returns, request.rows.length, settings.maxTokens),
    // No `temperature`: the SDK (1.x) sends anthropic-version 2026-10-21, which rejects temperature,
    // top_p and top_k with a 400 even at their defaults, and its types no longer have them
    // (CHANGELOG 1.0.0, "add support for new API version 2026-10-21"). `request.temperature` still
    // separates cache keys, so `-- @ temperature` cannot serve a stale answer.
    system: [system],
    messages: [{ role: 'user', content: userMessage(request) }],
    tools: [tool],
    // One call holding every row's answer.
    tool_choice: { type: 'tool', name: ANSWER_TOOL, disable_parallel_tool_use: true },
  };
}
