import { stringValue, type Token } from './lexer';
import type { OperandRule } from './types';

// A currency written as its ISO 4217 code (upper case, so 'mph' stays a unit), a symbol, or a name.
const CURRENCY =
  /^(?:[A-Z]{3}|[$€£¥₹₩₽]|(?:us |american |canadian |australian |new zealand |hong kong |singapore )?dollars?|euros?|pounds?(?: sterling)?|sterling|yen|yuan|renminbi|rupees?|(?:swiss )?francs?|pesos?|won|kronor|krona|kroner|krone|rubles?|roubles?|reais|real|rand|lira|zloty)$/i;

/**
 * Whether `token` may be the right operand of a spelling with `rule` (types.ts, OperandRule). Rules
 * look at one literal only: what a spelling means must not depend on a column's values.
 */
export function satisfiesRule(rule: OperandRule, token: Token | undefined): boolean {
  if (token?.kind !== 'string') return false;
  const value = stringValue(token).trim();
  switch (rule) {
    case 'string':
      return true;
    case 'currency':
      return CURRENCY.test(value);
  }
}

/** SQL's own words among the semantic spellings: a bare one is DuckDB's to judge, never a missing operand. */
export const SQL_SPELLING_WORDS: ReadonlySet<string> = new Set(['IN', 'TO', 'IS', 'DEFAULT', 'BY', '~']);
