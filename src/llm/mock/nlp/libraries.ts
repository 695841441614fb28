/**
 * Every library the mock's NLP uses, in one module that load-nlp.ts imports dynamically: Vite makes
 * it a chunk of its own, fetched by the model workers on first use and never by the page.
 * Chosen by measurement (research notes summarised in load-nlp.ts); each is the entry point that the
 * job modules in this folder call.
 */
import compromise from 'compromise';
import * as chrono from 'chrono-node/en';
import * as currencies from 'currency-codes';
import { doubleMetaphone } from 'double-metaphone';
import { eld } from 'eld/extrasmall';
import Qty from 'js-quantities/esm';
import * as phone from 'libphonenumber-js/min';
import parseAddress from 'parse-address';
import parseFullName from 'parse-full-name';
import vader from 'vader-sentiment';
import winkSentiment from 'wink-sentiment';

export const LIBRARIES = {
  vader: vader.SentimentIntensityAnalyzer,
  wink: winkSentiment,
  chrono,
  phone,
  doubleMetaphone,
  parseFullName: parseFullName.parseFullName,
  parseLocation: parseAddress.parseLocation,
  Qty,
  currencies,
  eld,
  compromise,
};

export type Libraries = typeof LIBRARIES;
