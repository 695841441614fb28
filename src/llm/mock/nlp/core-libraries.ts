/**
 * The libraries most mock answers need (sentiment, dates, phones, names, addresses, units, money,
 * phonetics), in one module that load-nlp.ts imports dynamically: Vite makes it a chunk of its own
 * (about 140 KB gzipped), fetched by the model workers when their mock provider starts and never
 * by the page. Named entities and language identification are chunks of their own, loaded only
 * when an answer needs them (entity-library.ts, language-library.ts).
 */
import * as chrono from 'chrono-node/en';
import * as currencies from 'currency-codes';
import { doubleMetaphone } from 'double-metaphone';
import Qty from 'js-quantities/esm';
import * as phone from 'libphonenumber-js/min';
import parseAddress from 'parse-address';
import parseFullName from 'parse-full-name';
import vader from 'vader-sentiment';
import winkSentiment from 'wink-sentiment';

export const CORE_LIBRARIES = {
  vader: vader.SentimentIntensityAnalyzer,
  wink: winkSentiment,
  chrono,
  phone,
  doubleMetaphone,
  parseFullName: parseFullName.parseFullName,
  parseLocation: parseAddress.parseLocation,
  Qty,
  currencies,
};

export type CoreLibraries = typeof CORE_LIBRARIES;
