/**
 * Pattern work for the mock: EXTRACTS (by what is asked), IS VALID (by type) and PARSE (JSON text).
 * With the NLP libraries loaded, dates, times, phones, money and named entities come from them;
 * otherwise (and for emails, URLs, hashtags, mentions) regular expressions, where a model would be
 * precise anyway; key phrases for anything else.
 */
import { detectLanguage, LANGUAGE_NAMES } from './language';
import { features, isMetaWord } from './text-features';
import { normalize, sentiment, sentimentLabel } from './judgements';
import { STOPWORDS } from './word-lists';
import { findMoney } from './nlp/currency';
import { findDates, findTimes, isDate } from './nlp/dates';
import { entities } from './nlp/entities';
import { languageName, languageOf } from './nlp/language-id';
import type { Nlp } from './nlp/load-nlp';
import { findPhones, isPhone } from './nlp/phones';

const PATTERNS = {
  email: /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi,
  url: /\bhttps?:\/\/[^\s,]+[^\s,.!?)]|\bwww\.[^\s,]+[^\s,.!?)]/gi,
  hashtag: /#[\p{L}\p{N}_]+/gu,
  mention: /(?<![\w.])@[A-Za-z0-9_]+/g,
  money: /[$€£]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:usd|eur|dollars|euros|€)/gi,
  number: /[-+]?\d[\d,]*(?:\.\d+)?%?/g,
  date: /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tomorrow|tonight|today)\b/gi,
  phone: /(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g,
  time: /\b\d{1,2}:\d{2}\s?(?:am|pm)?\b|\b\d{1,2}\s?(?:am|pm)\b/gi,
};

function all(re: RegExp, text: string): string[] {
  return [...text.matchAll(re)].map((m) => m[0].trim());
}

const SENTENCE_STARTERS = new Set([
  'I',
  'The',
  'A',
  'An',
  'My',
  'Our',
  'We',
  'This',
  'That',
  'It',
  'Just',
  'So',
  'Why',
  'How',
  'What',
  'When',
  'Is',
  'Are',
  'Does',
  'Do',
  'Can',
  'Anyone',
  'Hot',
  'If',
  'Yes',
  'No',
  'Ok',
  'OK',
  'Thanks',
  'Hey',
  'Hi',
  'PSA',
  'TIL',
  'Day',
]);

/** Runs of capitalised words (and CamelCase product names), minus sentence openers. */
export function properNames(text: string): string[] {
  const cleaned = text.replace(PATTERNS.url, ' ').replace(PATTERNS.email, ' ').replace(PATTERNS.mention, ' ').replace(PATTERNS.hashtag, ' ');
  const names: string[] = [];
  for (const match of cleaned.matchAll(/(?<![\p{L}\p{N}])[\p{Lu}][\p{L}\p{N}'’-]*(?:\s+[\p{Lu}][\p{L}\p{N}'’-]*)*/gu)) {
    const run = match[0];
    const before = cleaned.slice(0, match.index).trimEnd();
    const atStart = before === '' || /[.!?:]$/.test(before);
    // A lone capitalised word opening a sentence is usually just the first word ("Bought a Kindle"),
    // unless it looks like a product (CamelCase, all caps) or is one the lexicon knows.
    if (atStart && !/\s/.test(run) && !/[a-z][A-Z]|^[A-Z]{2,}/.test(run) && features(run).concepts.size === 0) continue;
    const words = run.split(/\s+/).filter((w) => !SENTENCE_STARTERS.has(w) && !(w.length > 5 && w === w.toUpperCase()));
    const name = words.join(' ').replace(/['’]s$/, '');
    if (name.length > 1 && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The 1–4 content words that best stand for the text. */
export function keyPhrase(text: string, max = 4): string | null {
  const f = features(text);
  const words: string[] = [];
  for (const token of f.tokens) {
    if (STOPWORDS.has(token.word) || token.word.length < 3 || isMetaWord(token.stem)) continue;
    if (!words.includes(token.word)) words.push(token.word);
    if (words.length >= max) break;
  }
  return words.length > 0 ? words.join(' ') : null;
}

const joinOrNull = (items: string[]) => (items.length > 0 ? items.join(', ') : null);

/** The text's language as a name ("French"). */
export function languageNameOf(text: string, nlp?: Nlp): string {
  if (nlp === undefined) return LANGUAGE_NAMES[detectLanguage(text)] ?? 'English';
  return languageName(languageOf(text, nlp, detectLanguage));
}

/** Names of the kind asked for: people, places or organisations when the libraries can tell them apart. */
function names(text: string, w: string, nlp?: Nlp): string | null {
  const found = properNames(text);
  if (/product|tool|app|brand/.test(w)) {
    // Products are more often CamelCase or all-caps ("DuckDB", "GPT") than plain capitalised words.
    const techy = found.filter((n) => /[a-z][A-Z]|^[A-Z]{2,}/.test(n));
    return techy[0] ?? found[0] ?? null;
  }
  if (nlp !== undefined) {
    const kind = /company|organi[sz]ation|employer|firm/.test(w) ? 'organizations' : /place|city|country|location|where|town/.test(w) ? 'places' : 'people';
    const typed = entities(text, kind, nlp);
    // compromise knows the world's places well; people and companies it misses fall back to capitalised runs.
    if (typed.length > 0 || kind === 'places') return joinOrNull(typed);
  }
  return joinOrNull(found);
}

/** EXTRACTS: what is asked, from the patterns its wording names; a key phrase otherwise. */
export function extract(text: string, what: string, nlp?: Nlp): string | null {
  const w = what.toLowerCase();
  if (/e-?mail/.test(w)) return joinOrNull(all(PATTERNS.email, text));
  if (/\burl|link|website|site\b|domain/.test(w)) return joinOrNull(all(PATTERNS.url, text));
  if (/hashtag|\btags?\b/.test(w)) return joinOrNull(all(PATTERNS.hashtag, text));
  if (/mention|handle|username|account|@/.test(w)) return joinOrNull(all(PATTERNS.mention, text));
  if (/phone|telephone|mobile number/.test(w)) return joinOrNull(nlp === undefined ? [] : findPhones(text, nlp)) ?? joinOrNull(all(PATTERNS.phone, text));
  if (/price|cost|amount|money|paid|fee|\$/.test(w)) {
    const money = nlp === undefined ? all(PATTERNS.money, text) : findMoney(text, nlp).map((m) => m.text);
    return joinOrNull(money) ?? joinOrNull(all(PATTERNS.number, text));
  }
  if (/date|day|when/.test(w)) return joinOrNull(nlp === undefined ? all(PATTERNS.date, text) : findDates(text, nlp));
  if (/\btime\b|hour/.test(w)) return joinOrNull(nlp === undefined ? all(PATTERNS.time, text) : findTimes(text, nlp));
  if (/number|count|quantity|figure|digit|\bid\b|order/.test(w)) {
    const numbers = all(PATTERNS.number, text.replace(PATTERNS.url, ' ').replace(PATTERNS.mention, ' '));
    return joinOrNull(numbers);
  }
  if (/language/.test(w)) return languageNameOf(text, nlp);
  if (/sentiment|tone|mood|emotion/.test(w)) return sentimentLabel(text, nlp);
  if (/emoji/.test(w)) return joinOrNull(text.match(/\p{Extended_Pictographic}/gu) ?? []);
  if (/name|person|people|who|company|brand|product|organi[sz]ation|place|city|country|tool|app|location|author|customer/.test(w)) return names(text, w, nlp);
  return keyPhrase(text);
}

const TRUE_WORDS = new Set(['true', 'false', 'yes', 'no', '1', '0', 'y', 'n', 't', 'f']);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function validDate(text: string): boolean {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (iso !== null) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= days;
  }
  return (
    /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(text) || /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}$/i.test(text)
  );
}

/** IS VALID: a strict check for known types; otherwise "does the text fit the description". */
export function valid(text: string, kind: string, fits: (text: string, kind: string) => boolean, nlp?: Nlp): boolean {
  const t = text.trim();
  const k = kind.toLowerCase();
  if (t === '') return false;
  if (/e-?mail/.test(k)) return /^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$/i.test(t);
  if (/\burl|link|website/.test(k)) return /^(?:https?:\/\/)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?$/i.test(t);
  if (/phone/.test(k)) return nlp === undefined ? /^(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?(?:[\s.-]?\d{2,4}){2,3}$/.test(t) : isPhone(t, nlp);
  if (/date/.test(k)) return nlp === undefined || /^\d{4}-\d{2}-\d{2}/.test(t) ? validDate(t) : isDate(t, nlp);
  if (/\btime\b/.test(k)) return /^([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]m)?$/i.test(t);
  if (/integer|whole number/.test(k)) return /^[-+]?\d+$/.test(t);
  if (/number|numeric|decimal|float/.test(k)) return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(t);
  if (/json/.test(k)) {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  }
  if (/uuid/.test(k)) return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t);
  if (/\bip\b|ip address/.test(k)) return /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(t);
  if (/zip|postal|postcode/.test(k)) return /^\d{5}(?:-\d{4})?$|^[A-Z]\d[A-Z] ?\d[A-Z]\d$|^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i.test(t);
  if (/credit card|card number/.test(k)) {
    const digits = t.replace(/[\s-]/g, '');
    return /^\d{13,19}$/.test(digits) && luhn(digits);
  }
  if (/hashtag/.test(k)) return /^#[\p{L}\p{N}_]+$/u.test(t);
  if (/handle|username|mention/.test(k)) return /^@?[A-Za-z0-9_]{2,30}$/.test(t);
  if (/boolean|bool/.test(k)) return TRUE_WORDS.has(t.toLowerCase());
  if (/year/.test(k)) return /^(1[5-9]|20)\d{2}$/.test(t);
  if (/name|person/.test(k)) return /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$/u.test(t) || /^@?[a-z]+_[a-z]+$/i.test(t);
  if (/english|sentence|text/.test(k)) return /\p{L}{2,}/u.test(t);
  return fits(t, kind);
}

/** Key names an instruction asks for: "a JSON object with keys product and price" → [product, price]. */
function requestedKeys(instruction: string): string[] {
  const m = /(?:keys?|fields?|properties|columns?|attributes?)\s*:?\s+(.+)$/i.exec(instruction);
  if (m?.[1] === undefined) return [];
  return m[1]
    .split(/,|\band\b|\bor\b/)
    .map((part) => normalize(part).replace(/\s+/g, '_'))
    .filter((key) => key !== '' && key.length <= 30);
}

/** PARSE: JSON text; the keys asked for (valued by EXTRACTS on the key name), or a generic record. */
export function parse(text: string, instruction: string, nlp?: Nlp): string {
  const keys = requestedKeys(instruction);
  if (keys.length > 0) {
    const record: Record<string, string | number | null> = {};
    for (const key of keys) {
      const value = extract(text, key.replace(/_/g, ' '), nlp);
      const numeric = value !== null && /^[$€£]?\s?-?\d+(?:\.\d+)?$/.test(value) ? Number(value.replace(/[$€£\s]/g, '')) : undefined;
      record[key] = numeric ?? value;
    }
    return JSON.stringify(record);
  }
  // A short request for one thing ("years of experience", "the amount"): that value, as JSON. A
  // measure ("weight", "age") is the number in the text, with its unit.
  if (instruction.trim().split(/\s+/).length <= 6 && !/\b(?:json|object|record|list|array)\b/i.test(instruction)) {
    const measure = /\b(?:weight|height|length|distance|age|years?|amount|price|cost|total|count|number|quantity|size|duration|salary|rate)\b/i.test(
      instruction,
    );
    const quantity = measure ? /[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|[a-z]{1,5}\b))?/i.exec(text)?.[0] : undefined;
    const value = quantity ?? extract(text, instruction, nlp);
    if (value !== null) return JSON.stringify(/^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : value);
  }
  if (/\b(?:list|array)\b/i.test(instruction)) {
    const items = text
      .split(/,|;|\band\b/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return JSON.stringify(items);
  }
  return JSON.stringify({
    summary: keyPhrase(text),
    hashtags: all(PATTERNS.hashtag, text),
    mentions: all(PATTERNS.mention, text),
    urls: all(PATTERNS.url, text),
    numbers: all(PATTERNS.number, text.replace(PATTERNS.url, ' ').replace(PATTERNS.mention, ' ')).map((n) => Number(n.replace(/[,%]/g, ''))),
    sentiment: sentiment(text, nlp),
  });
}
