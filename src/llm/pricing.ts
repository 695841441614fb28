import type { TokenUsage } from '../protocol/model';
import type { ModelPrice, PricingTable } from '../protocol/settings';

/** US dollars per million tokens. Editable in settings; these are the defaults. */
export const DEFAULT_PRICING: PricingTable = {
  'mock-1': { inputPerMTok: 0, outputPerMTok: 0 },
  'mock-fast': { inputPerMTok: 0, outputPerMTok: 0 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
};

/**
 * Prompt-caching and batch multipliers of the base input price, where a price does not set its own
 * (Anthropic's published rates: a 5-minute cache write costs 1.25× input, a cache read 0.1×, and a
 * Message Batches request half of the interactive price, output included).
 */
export const CACHE_WRITE_FACTOR = 1.25;
export const CACHE_READ_FACTOR = 0.1;
export const BATCH_FACTOR = 0.5;

export function priceOf(model: string, table: PricingTable = DEFAULT_PRICING): ModelPrice | undefined {
  return table[model] ?? Object.entries(table).find(([name]) => model.startsWith(name))?.[1];
}

/**
 * What a request cost. `usage.inputTokens` counts every input token; those that were written to or
 * read from the prompt cache are billed at their own rates. Unknown models cost 0 here and are shown
 * as unpriced by the UI, rather than guessed.
 */
export function costUsd(model: string, usage: TokenUsage, table: PricingTable = DEFAULT_PRICING, options: { batch?: boolean } = {}): number {
  const price = priceOf(model, table);
  if (!price) return 0;
  const write = usage.cacheWriteTokens ?? 0;
  const read = usage.cacheReadTokens ?? 0;
  const plain = Math.max(0, usage.inputTokens - write - read);
  const input =
    plain * price.inputPerMTok +
    write * (price.cacheWritePerMTok ?? price.inputPerMTok * CACHE_WRITE_FACTOR) +
    read * (price.cacheReadPerMTok ?? price.inputPerMTok * CACHE_READ_FACTOR);
  const total = (input + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  return options.batch ? total * BATCH_FACTOR : total;
}
