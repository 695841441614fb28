import type { PricingTable } from '../protocol/settings';

/** US dollars per million tokens. Editable in settings; these are the defaults. */
export const DEFAULT_PRICING: PricingTable = {
  'mock-1': { inputPerMTok: 0, outputPerMTok: 0 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
};

/** Unknown models cost 0 here and are shown as unpriced by the UI, rather than guessed. */
export function costUsd(model: string, inputTokens: number, outputTokens: number, table: PricingTable = DEFAULT_PRICING): number {
  const price = table[model] ?? Object.entries(table).find(([name]) => model.startsWith(name))?.[1];
  if (!price) return 0;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
