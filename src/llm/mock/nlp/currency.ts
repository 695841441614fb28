/**
 * Money amounts: found and read by pattern, currencies checked against ISO 4217 (currency-codes:
 * codes, names, minor-unit digits). Converted with approximate rates: there is no exchange-rate data
 * offline, so the answer says it is approximate and which day the rates are from, as a careful
 * model would.
 */
import type { Nlp } from './load-nlp';

/** US dollars per unit, mid-market, rounded; from early January 2025. */
const USD_PER_UNIT: ReadonlyMap<string, number> = new Map(
  Object.entries({
    USD: 1,
    EUR: 1.04,
    GBP: 1.25,
    JPY: 0.0064,
    CNY: 0.137,
    INR: 0.0117,
    CAD: 0.695,
    AUD: 0.62,
    CHF: 1.1,
    MXN: 0.049,
    BRL: 0.162,
    KRW: 0.00068,
    SEK: 0.09,
    NOK: 0.088,
    DKK: 0.139,
    PLN: 0.243,
    ZAR: 0.053,
    SGD: 0.733,
    HKD: 0.1287,
    NZD: 0.56,
    TRY: 0.0283,
    RUB: 0.0091,
    ILS: 0.274,
    THB: 0.029,
    CZK: 0.041,
  }),
);
export const RATE_DATE = '2025-01-02';

/** Symbols and words people write for a currency; the longest match wins ("R$" before "$"). */
const SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['US$', 'USD'],
  ['R$', 'BRL'],
  ['C$', 'CAD'],
  ['A$', 'AUD'],
  ['NZ$', 'NZD'],
  ['HK$', 'HKD'],
  ['S$', 'SGD'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
  ['₩', 'KRW'],
  ['₽', 'RUB'],
  ['₺', 'TRY'],
  ['₪', 'ILS'],
];
const WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    dollar: 'USD',
    dollars: 'USD',
    buck: 'USD',
    bucks: 'USD',
    euro: 'EUR',
    euros: 'EUR',
    pound: 'GBP',
    pounds: 'GBP',
    sterling: 'GBP',
    yen: 'JPY',
    yuan: 'CNY',
    renminbi: 'CNY',
    rupee: 'INR',
    rupees: 'INR',
    franc: 'CHF',
    francs: 'CHF',
    peso: 'MXN',
    pesos: 'MXN',
    won: 'KRW',
    ruble: 'RUB',
    rubles: 'RUB',
    rouble: 'RUB',
    roubles: 'RUB',
    real: 'BRL',
    reais: 'BRL',
  }),
);

const NUMBER = String.raw`\d[\d,.' ]*\d|\d`;
const SCALE = String.raw`(?:\s?(k|m|bn|thousand|million|billion)\b)?`;
const SYMBOL = String.raw`US\$|R\$|C\$|A\$|NZ\$|HK\$|S\$|[$€£¥₹₩₽₺₪]`;
const CODE_OR_WORD = String.raw`[A-Z]{3}\b|[A-Za-z]+\b`;
/** "$1,234.50", "€5", "USD 20", "20 EUR", "100 dollars", "3.5 million euros". */
const MONEY = new RegExp(
  String.raw`(?:(${SYMBOL})\s?(${NUMBER})${SCALE})|(?:\b([A-Z]{3})\s?(${NUMBER})${SCALE})|(?:(?<![\w.])(${NUMBER})${SCALE}\s?(${SYMBOL}|${CODE_OR_WORD}))`,
  // Case-sensitive: a lower-case three-letter word ("the 20 dollars") must not pass for a code and
  // swallow the amount after it.
  'g',
);

const SCALES: ReadonlyMap<string, number> = new Map(Object.entries({ k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, bn: 1e9, billion: 1e9 }));

/**
 * "1,234.56", "1.234,56", "1 234,56", "1'234.56": the last separator followed by one or two digits
 * is the decimal mark; every other separator groups thousands.
 */
export function readAmount(text: string): number | undefined {
  const t = text.replace(/\s/g, '');
  const m = /^(.*?)(?:([.,])(\d{1,2}))?$/.exec(t);
  if (m === null) return undefined;
  const whole = (m[1] ?? '').replace(/[.,']/g, '');
  if (!/^\d+$/.test(whole)) return undefined;
  return Number(m[3] === undefined ? whole : `${whole}.${m[3]}`);
}

export interface Money {
  text: string;
  amount: number;
  currency: string;
}

function currencyOf(token: string, nlp: Nlp): string | undefined {
  const symbol = SYMBOLS.find(([s]) => s.toLowerCase() === token.toLowerCase());
  if (symbol !== undefined) return symbol[1];
  const code = token.toUpperCase();
  if (/^[A-Z]{3}$/.test(token) && nlp.currencies.code(code) !== undefined) return code;
  return WORDS.get(token.toLowerCase());
}

/** Every amount of money in the text, with its ISO currency. */
export function findMoney(text: string, nlp: Nlp): Money[] {
  const found: Money[] = [];
  for (const m of text.matchAll(MONEY)) {
    const [whole, sym, symNum, symScale, code, codeNum, codeScale, num, numScale, after] = m;
    const token = sym ?? code ?? after ?? '';
    const currency = currencyOf(token, nlp);
    const amount = readAmount(symNum ?? codeNum ?? num ?? '');
    if (currency === undefined || amount === undefined) continue;
    const scale = SCALES.get((symScale ?? codeScale ?? numScale ?? '').toLowerCase()) ?? 1;
    found.push({ text: whole.trim(), amount: amount * scale, currency });
  }
  return found;
}

export interface CurrencyConversion {
  original_amount: number | null;
  original_currency: string | null;
  converted_amount: number | null;
  target_currency: string;
  exchange_rate: number | null;
  rate_date: string;
  is_approximate: true;
  formatted: string | null;
}

/** The target as an ISO code: "EUR", "euros", "€" or a country name ("Japan" → JPY). */
export function targetCurrency(target: string, nlp: Nlp): string {
  const t = target.trim();
  const direct = currencyOf(t, nlp);
  if (direct !== undefined) return direct;
  const byCountry = nlp.currencies.country(t)[0]?.code;
  return byCountry ?? (t.toUpperCase() || 'USD');
}

export function convertCurrency(value: string, target: string, nlp: Nlp): CurrencyConversion {
  const to = targetCurrency(target, nlp);
  const money = findMoney(value, nlp)[0];
  const bare = money === undefined ? readAmount(value.trim()) : undefined;
  // A bare number is taken to be in the target currency's usual base, US dollars.
  const from = money ?? (bare === undefined ? undefined : { amount: bare, currency: 'USD' });
  const fromRate = from === undefined ? undefined : USD_PER_UNIT.get(from.currency);
  const toRate = USD_PER_UNIT.get(to);
  const rate = fromRate === undefined || toRate === undefined ? undefined : fromRate / toRate;
  const digits = nlp.currencies.code(to)?.digits ?? 2;
  const converted = from === undefined || rate === undefined ? null : Number((from.amount * rate).toFixed(digits));
  return {
    original_amount: from?.amount ?? null,
    original_currency: from?.currency ?? null,
    converted_amount: converted,
    target_currency: to,
    exchange_rate: rate === undefined ? null : Number(rate.toPrecision(6)),
    rate_date: RATE_DATE,
    is_approximate: true,
    formatted: converted === null ? null : `${converted.toFixed(digits)} ${to}`,
  };
}
