/**
 * The mock's value repairs: fix, correct, complete, fill, impute, default_smart, canonical,
 * normalize, cast_smart, formalize, anonymize. Each reads the value the way a model would, with the
 * NLP layer's parsers where it has one (phones, dates, names) and small tables of well-known forms
 * (US states, common abbreviations) where a model simply knows them.
 */
import { arg, isMissing, json, own, titleCase, type Handler } from '../args';
import { properNames } from '../extract';
import { trigramSimilarity } from '../text-features';
import { isoDate, parseDate } from '../nlp/dates';
import { entities } from '../nlp/entities';
import type { Nlp } from '../nlp/load-nlp';
import { findPhones, readPhone } from '../nlp/phones';
import { EMAIL_DOMAINS, GAZETTEER, KNOWN_FORMS, US_STATES, ZIP_OF_CITY } from './value-tables';

const tidySpaces = (v: string) => v.trim().replace(/\s+/g, ' ');

function fixEmail(v: string): string {
  return v
    .trim()
    .toLowerCase()
    .replace(/\s+at\s+/, '@')
    .replace(/\s+dot\s+/g, '.')
    .replace(/@([a-z]+)\./, (_m, d: string) => `@${own(EMAIL_DOMAINS, d) ?? d}.`)
    .replace(/\.(?:con|cmo|ocm|comm)$/, '.com');
}

function e164(v: string, nlp: Nlp | undefined): string | undefined {
  if (nlp === undefined) return undefined;
  const phone = readPhone(v, nlp);
  return phone?.isValid() === true ? phone.number : undefined;
}

function isoDateOf(v: string, nlp: Nlp | undefined): string | undefined {
  if (nlp === undefined) return undefined;
  const parts = parseDate(v, 'mdy', nlp);
  return parts === undefined ? undefined : isoDate(parts);
}

/** A word-for-word fix of a value of the hinted kind (or of the kind it looks like). */
function fix(value: string, hint: string, nlp: Nlp | undefined): string {
  const h = hint.toLowerCase();
  const v = tidySpaces(value);
  if (/mail/.test(h) || (/@/.test(v) && !/\s/.test(v))) return fixEmail(v);
  if (/phone/.test(h)) return e164(v, nlp) ?? v.replace(/[^\d+()\s-]/g, '');
  if (/date/.test(h)) return isoDateOf(v, nlp) ?? v;
  if (/url|link/.test(h)) return /^https?:\/\//i.test(v) ? v.toLowerCase() : `https://${v.toLowerCase()}`;
  if (/name|city|country|place/.test(h) || v === v.toUpperCase() || v === v.toLowerCase()) return titleCase(v);
  return v;
}

/** The closest well-known place to a misspelled one, if it is close. */
function nearestPlace(value: string): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const name of GAZETTEER) {
    const score = trigramSimilarity(value.toLowerCase(), name.toLowerCase());
    if (best === undefined || score > best.score) best = { name, score };
  }
  return best !== undefined && best.score >= 0.45 ? best.name : undefined;
}

function correct(value: string, context: string, nlp: Nlp | undefined): string {
  const v = tidySpaces(value);
  const c = context.toLowerCase();
  if (/mail/.test(c)) return fixEmail(v);
  const city = Object.keys(ZIP_OF_CITY).find((name) => c.includes(name));
  if (city !== undefined && /^\d{5}$/.test(v)) return own(ZIP_OF_CITY, city) ?? v;
  if (/city|capital|country|place|town/.test(c)) return nearestPlace(v) ?? titleCase(v);
  if (/zip|postal/.test(c)) return v.replace(/\D/g, '').slice(0, 5).padEnd(5, '0');
  return fix(v, context, nlp);
}

function complete(value: string, context: string, nlp: Nlp | undefined): string {
  const v = tidySpaces(value);
  const c = context.toLowerCase();
  if (/url|link|website/.test(c) || /^[\w-]+\.[a-z]{2,}(?:\/|$)/i.test(v)) return /^https?:\/\//i.test(v) ? v : `https://${v}`;
  if (/mail/.test(c)) return v.includes('@') ? (/\.[a-z]{2,}$/i.test(v) ? v : `${v}.com`) : `${v}@example.com`;
  if (/phone/.test(c)) {
    const digits = v.replace(/\D/g, '');
    if (digits.length === 7) return `(555) ${digits.slice(0, 3)}-${digits.slice(3)}`;
    return e164(v, nlp) ?? v;
  }
  if (/name/.test(c)) return titleCase(v);
  if (/date/.test(c)) return isoDateOf(v, nlp) ?? v;
  return v;
}

/** What a field described as `context` holds when nothing is known: a model's usual default. */
function defaultFor(context: string): string {
  const c = context.toLowerCase();
  if (/country/.test(c)) return 'United States';
  if (/currency/.test(c)) return 'USD';
  if (/language|locale/.test(c)) return 'en';
  if (/status/.test(c)) return 'active';
  if (/count|quantity|number|amount|total/.test(c)) return '0';
  if (/date/.test(c)) return '1970-01-01';
  if (/bool|flag|enabled/.test(c)) return 'false';
  if (/email/.test(c)) return 'unknown@example.com';
  return 'Unknown';
}

/** `key: value` pairs of a context ("name: John Smith, city: Lyon"). */
function fields(context: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of context.matchAll(/([\p{L}_ ]+?)\s*[:=]\s*([^,;\n]+)/gu)) out.set((m[1] ?? '').trim().toLowerCase().replace(/\s+/g, '_'), (m[2] ?? '').trim());
  return out;
}

function impute(value: string, context: string, field: string): string {
  if (!isMissing(value)) return value;
  const known = fields(context);
  const f = field.toLowerCase().replace(/\s+/g, '_');
  const direct = known.get(f);
  if (direct !== undefined) return direct;
  const name = known.get('name') ?? known.get('full_name');
  if (name !== undefined) {
    const parts = name.split(/\s+/);
    if (/last|surname|family/.test(f)) return parts[parts.length - 1] ?? name;
    if (/first|given/.test(f) || f === '') return parts[0] ?? name;
  }
  return known.values().next().value ?? defaultFor(field || context);
}

function canonical(value: string): string {
  const v = tidySpaces(value);
  const known = own(KNOWN_FORMS, v.toLowerCase());
  if (known !== undefined) return known;
  const state = own(US_STATES, v.toUpperCase());
  if (state !== undefined && v.length === 2) return state;
  const words = v.replace(/\b(corp|corporation|inc|incorporated|ltd|limited|llc|co|company|gmbh|plc)\b\.?/gi, (w) => w.toLowerCase().replace(/\.$/, ''));
  const base = titleCase(words)
    .replace(/\b(Corp|Corporation|Inc|Incorporated|Ltd|Limited|Llc|Co|Company|Gmbh|Plc)$/, '')
    .trim();
  return base === '' ? v : base;
}

function regionName(code: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase());
    return name === code.toUpperCase() ? undefined : name;
  } catch {
    return undefined;
  }
}

function normalize(value: string, kind: string, nlp: Nlp | undefined): string {
  const k = kind.toLowerCase();
  const v = tidySpaces(value);
  if (/mail/.test(k)) return fixEmail(v);
  if (/phone/.test(k)) return e164(v, nlp) ?? v;
  if (/state|province/.test(k)) return own(US_STATES, v.toUpperCase()) ?? titleCase(v);
  if (/country/.test(k)) return (v.length <= 3 ? (own(KNOWN_FORMS, v.toLowerCase()) ?? regionName(v)) : undefined) ?? titleCase(v);
  if (/company|organi[sz]ation|org|brand/.test(k)) return canonical(v);
  if (/date/.test(k)) return isoDateOf(v, nlp) ?? v;
  if (/url|link|website/.test(k)) return complete(v, 'url', nlp).toLowerCase();
  if (/name|city|address/.test(k)) return titleCase(v).replace(/\b(St|Ave|Rd|Blvd)\b\.?/g, (w) => `${w.replace('.', '')}.`);
  return v;
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000, billion: 1_000_000_000 };

/** "twenty-five" → 25, "3 thousand" → 3000; undefined when the words are not a number. */
function numberOf(text: string): number | undefined {
  const t = text
    .toLowerCase()
    .replace(/[$€£,]/g, '')
    .trim();
  if (/^[-+]?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  let total = 0;
  let current = 0;
  let any = false;
  for (const word of t.split(/[\s-]+/).filter((w) => w !== 'and' && w !== '')) {
    if (/^\d+(?:\.\d+)?$/.test(word)) current += Number(word);
    else if (own(NUMBER_WORDS, word) !== undefined) current += own(NUMBER_WORDS, word) as number;
    else if (own(SCALES, word) !== undefined) {
      const scale = own(SCALES, word) as number;
      current = (current || 1) * scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
    } else return undefined;
    any = true;
  }
  return any ? total + current : undefined;
}

function castSmart(value: string, type: string, nlp: Nlp | undefined): string | null {
  const t = type.toLowerCase();
  const v = value.trim();
  if (/int|bigint|smallint/.test(t)) {
    const n = numberOf(v);
    return n === undefined ? null : String(Math.round(n));
  }
  if (/double|float|decimal|numeric|real|number/.test(t)) {
    const n = numberOf(v);
    return n === undefined ? null : String(n);
  }
  if (/bool/.test(t)) return /^(?:true|yes|y|1|on|t)$/i.test(v) ? 'true' : /^(?:false|no|n|0|off|f)$/i.test(v) ? 'false' : null;
  if (/date|timestamp/.test(t)) return isoDateOf(v, nlp) ?? (/^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);
  return v;
}

const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan'?t\b/gi, 'cannot'],
  [/\bwon'?t\b/gi, 'will not'],
  [/\bdon'?t\b/gi, 'do not'],
  [/\bdoesn'?t\b/gi, 'does not'],
  [/\bisn'?t\b/gi, 'is not'],
  [/\bi'?m\b/gi, 'I am'],
  [/\bit'?s\b/gi, 'it is'],
  [/\btmrw\b/gi, 'tomorrow'],
  [/\bpls\b|\bplz\b/gi, 'please'],
  [/\bthx\b|\bthanks\b/gi, 'thank you'],
  [/\bu\b/gi, 'you'],
  [/\bur\b/gi, 'your'],
  [/\bgonna\b/gi, 'going to'],
  [/\bwanna\b/gi, 'want to'],
  [/^(?:hey|hi|yo)\b,?/i, 'Hello,'],
  [/\bsorry\b/gi, 'I apologise'],
  [/\bok\b|\bokay\b/gi, 'very well'],
];

function formalize(text: string): string {
  let out = tidySpaces(text)
    .replace(/!+/g, '.')
    .replace(/\s*[:;]-?[)(D]\s*/g, ' ');
  for (const [pattern, replacement] of CONTRACTIONS) out = out.replace(pattern, replacement);
  out = out.replace(/\bi\b/g, 'I').trim();
  out = out.charAt(0).toUpperCase() + out.slice(1);
  return /[.?]$/.test(out) ? out : `${out}.`;
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{3}-\d{4}\b/g;

function anonymize(value: string, mode: string, kinds: string, nlp: Nlp | undefined): string {
  const want = (kind: string) => kinds === '' || /all/i.test(kinds) || kinds.toLowerCase().includes(kind);
  const found: { type: string; original: string }[] = [];
  if (want('email')) for (const m of value.match(EMAIL) ?? []) found.push({ type: 'EMAIL', original: m });
  if (want('phone'))
    for (const m of nlp === undefined ? (value.match(PHONE) ?? []) : [...findPhones(value, nlp), ...(value.match(/\b\d{3}-\d{4}\b/g) ?? [])])
      found.push({ type: 'PHONE', original: m });
  if (want('name')) {
    const withoutMail = value.replace(EMAIL, ' ');
    const people = nlp === undefined ? properNames(withoutMail) : [...entities(withoutMail, 'people', nlp), ...properNames(withoutMail)];
    for (const name of new Set(people)) if (!found.some((f) => f.original.includes(name))) found.push({ type: 'NAME', original: name });
  }
  const replacement = (f: { type: string; original: string }) =>
    /mask/i.test(mode)
      ? f.original.replace(/[\p{L}\p{N}]/gu, '*')
      : /hash/i.test(mode)
        ? `#${((f.original.length * 2654435761) % 0xffffff).toString(16)}`
        : `[${f.type}]`;
  let anonymized = value;
  const pii = found.map((f) => ({ ...f, replacement: replacement(f) }));
  for (const f of pii) anonymized = anonymized.split(f.original).join(f.replacement);
  return json({ anonymized, pii_found: pii, pii_count: pii.length });
}

export const VALUE_REPAIRS: Readonly<Record<string, Handler>> = {
  fix: (r, nlp) => fix(arg(r, 0), arg(r, 1), nlp),
  correct: (r, nlp) => correct(arg(r, 0), arg(r, 1), nlp),
  complete: (r, nlp) => complete(arg(r, 0), arg(r, 1), nlp),
  fill: (r) =>
    isMissing(arg(r, 0)) ? (arg(r, 1).split(/\s+/).length <= 3 && !/field|column|value/i.test(arg(r, 1)) ? arg(r, 1) : defaultFor(arg(r, 1))) : arg(r, 0),
  impute: (r) => impute(arg(r, 0), arg(r, 1), arg(r, 2)),
  default_smart: (r) => (isMissing(arg(r, 0)) ? defaultFor(arg(r, 1)) : arg(r, 0)),
  canonical: (r) => canonical(arg(r, 0)),
  normalize: (r, nlp) => normalize(arg(r, 0), arg(r, 1), nlp),
  cast_smart: (r, nlp) => castSmart(arg(r, 0), arg(r, 1), nlp),
  formalize: (r) => formalize(arg(r, 0)),
  anonymize: (r, nlp) => anonymize(arg(r, 0), arg(r, 1) || 'redact', arg(r, 2), nlp),
};
