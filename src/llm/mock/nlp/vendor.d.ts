/**
 * Types for the CommonJS libraries of the mock's NLP chunk that ship none: only what libraries.ts
 * reaches, as read from each package's source.
 */

declare module 'vader-sentiment' {
  export interface VaderScores {
    neg: number;
    neu: number;
    pos: number;
    /** The normalised sum of valences, in [-1, 1]. */
    compound: number;
  }
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderScores } };
  export default vader;
}

declare module 'wink-sentiment' {
  export interface WinkToken {
    value: string;
    tag: string;
    /** AFINN-165 valence (−5..5) of a word, emoji or emoticon; absent for neutral tokens. */
    score?: number;
    negation?: boolean;
  }
  export interface WinkResult {
    score: number;
    /** Score per sentiment-bearing token, roughly −5..5. */
    normalizedScore: number;
    /** Absent for a phrase with no tokens (""). */
    tokenizedPhrase?: WinkToken[];
  }
  const winkSentiment: (phrase: string) => WinkResult;
  export default winkSentiment;
}

declare module 'parse-full-name' {
  export interface ParsedFullName {
    title: string;
    first: string;
    middle: string;
    last: string;
    nick: string;
    suffix: string;
    error: string[];
  }
  const parseFullNameModule: {
    parseFullName(name: string, partToReturn?: 'all', fixCase?: -1 | 0 | 1, stopOnError?: 0 | 1, useLongLists?: 0 | 1): ParsedFullName;
  };
  export default parseFullNameModule;
}

declare module 'parse-address' {
  /** A US address in parts; absent parts are missing keys. */
  export interface ParsedLocation {
    number?: string;
    prefix?: string;
    street?: string;
    type?: string;
    suffix?: string;
    sec_unit_type?: string;
    sec_unit_num?: string;
    city?: string;
    state?: string;
    zip?: string;
    plus4?: string;
  }
  const parseAddressModule: { parseLocation(address: string): ParsedLocation | null };
  export default parseAddressModule;
}

declare module 'js-quantities/esm' {
  export interface Quantity {
    scalar: number;
    to(unit: string): Quantity;
    units(): string;
    kind(): string;
    isCompatible(other: string | Quantity): boolean;
    toPrec(precision: number): Quantity;
    toString(): string;
  }
  interface QtyFunction {
    (text: string): Quantity;
    /** Like calling Qty, but null instead of a thrown error for text it cannot read. */
    parse(text: string): Quantity | null;
  }
  const Qty: QtyFunction;
  export default Qty;
}
