/**
 * The mock's answers for LARS operators that need the NLP layer, by strategy key: the operator
 * catalogue (src/sql/catalogue) names each operator's key. Each takes the call's argument values and
 * the loaded libraries and answers in the operator's LARS type (JSON objects as JSON text).
 */
import type { MockValue } from './args';
import { detectLanguage } from './language';
import { addressParts } from './nlp/addresses';
import { convertCurrency } from './nlp/currency';
import { isoDate, isoDateTime, longDate, monthName, parseDate, weekday, type DateOrder, type DateParts } from './nlp/dates';
import { formality } from './nlp/formality';
import { languageOf } from './nlp/language-id';
import type { Nlp } from './nlp/load-nlp';
import { nameParts } from './nlp/names';
import { countryCode, phoneParts } from './nlp/phones';
import { soundsLike } from './nlp/phonetic';
import { readQuantity, readUnit, systemTarget, tidy } from './nlp/quantities';
import { cleanYear } from './nlp/years';
import { inferType, looksLike } from './value-types';

export type Strategy = (args: readonly string[], nlp: Nlp) => MockValue;

const at = (args: readonly string[], i: number): string => args[i] ?? '';
const json = (value: unknown) => JSON.stringify(value);

/** A value with a year but no day ("born in 1990"): what is known, marked approximate. */
function yearOnlyJson(year: number): string {
  const y = String(year);
  return json({
    year,
    month: null,
    day: null,
    hour: null,
    minute: null,
    second: null,
    timezone: null,
    iso: y,
    iso_datetime: null,
    formatted: y,
    day_of_week: null,
    quarter: null,
    is_approximate: true,
    is_valid: true,
  });
}

function dateJson(p: DateParts): string {
  return json({
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    timezone: p.timezoneOffset === null ? null : p.timezoneOffset === 0 ? 'UTC' : (isoDateTime(p)?.slice(19) ?? null),
    iso: isoDate(p),
    iso_datetime: isoDateTime(p),
    formatted: longDate(p),
    day_of_week: weekday(p),
    quarter: Math.ceil(p.month / 3),
    is_approximate: p.approximate,
    is_valid: true,
  });
}

/** One part of a date, for LARS's parse_date(value, task) form ("year", "US format", "day of week"). */
function dateTask(p: DateParts, task: string): string | null {
  const t = task.toLowerCase();
  const pad = (n: number) => String(n).padStart(2, '0');
  if (/week ?day|day of (?:the )?week/.test(t)) return weekday(p);
  if (/quarter/.test(t)) return `Q${Math.ceil(p.month / 3)}`;
  if (/month name/.test(t)) return monthName(p);
  if (/\b(?:us|american|mm\/dd)\b/.test(t)) return `${pad(p.month)}/${pad(p.day)}/${p.year}`;
  if (/\b(?:eu|european|uk|british|dd\/mm)\b/.test(t)) return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
  if (/\byear\b/.test(t)) return String(p.year);
  if (/\bmonth\b/.test(t)) return String(p.month);
  if (/\bday\b/.test(t)) return String(p.day);
  if (/time|timestamp/.test(t)) return isoDateTime(p) ?? isoDate(p);
  if (/long|readable|human/.test(t)) return longDate(p);
  return isoDate(p);
}

/**
 * LARS declares parse_date twice: (date_text, prefer_format) answering JSON and (date_value, task)
 * answering one part. A date-order preference or nothing means the first; anything else is a task.
 */
const parseDateStrategy: Strategy = (args, nlp) => {
  const second = at(args, 1).trim().toLowerCase();
  const order: DateOrder = second === 'dmy' ? 'dmy' : 'mdy';
  const text = at(args, 0);
  const parts = parseDate(text, order, nlp);
  const wantsJson = second === '' || second === 'mdy' || second === 'dmy' || second === 'ymd';
  if (parts !== undefined) return wantsJson ? dateJson(parts) : dateTask(parts, second);
  const year = cleanYear(text, nlp);
  if (year < 0) return wantsJson ? json({ is_valid: false, iso: null }) : null;
  return wantsJson ? yearOnlyJson(year) : /year/.test(second) ? String(year) : null;
};

/** Likewise parse_phone: (phone, default_country) answering JSON, or (phone, task) answering one part. */
const parsePhoneStrategy: Strategy = (args, nlp) => {
  const second = at(args, 1).trim();
  const isCountry = second === '' || /^[A-Za-z]{2}$/.test(second);
  const parts = phoneParts(at(args, 0), nlp, countryCode(isCountry ? second : '', nlp));
  if (isCountry) return json(parts);
  const t = second.toLowerCase();
  if (/area/.test(t)) return parts.area_code;
  if (/last ?4|last four|subscriber/.test(t)) return parts.digits.slice(-4) || null;
  if (/exchange/.test(t)) return parts.exchange;
  if (/country/.test(t)) return parts.country_code;
  if (/extension|\bext\b/.test(t)) return parts.extension;
  if (/international/.test(t)) return parts.international;
  if (/national|local/.test(t)) return parts.national;
  if (/e\.?164/.test(t)) return parts.e164;
  if (/digit/.test(t)) return parts.digits;
  return parts.e164 ?? parts.digits;
};

const normalizeUnit: Strategy = (args, nlp) => {
  const read = readQuantity(at(args, 0), nlp);
  const target = readUnit(at(args, 1), nlp);
  if (read === undefined) return json({ original_value: null, original_unit: null, converted_value: null, target_unit: at(args, 1), formatted: null });
  const converted = target !== undefined && read.quantity.isCompatible(target) ? tidy(read.quantity.to(target).scalar) : null;
  return json({
    original_value: read.quantity.scalar,
    original_unit: read.written,
    converted_value: converted,
    target_unit: at(args, 1),
    formatted: converted === null ? null : `${converted} ${at(args, 1)}`,
  });
};

/** normalize_quantity(value, system): the quantity in parts, plus its value in a system (metric, imperial, auto) or a named unit. */
const normalizeQuantity: Strategy = (args, nlp) => {
  const text = at(args, 0);
  const system = at(args, 1) || 'auto';
  const read = readQuantity(text, nlp);
  if (read === undefined) return json({ value: null, unit: null, formatted: null, normalized: null });
  const range = /(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)/.exec(text);
  // A range is valued at its middle: "10-12 lbs" is about 11 lbs.
  const middle =
    range?.[1] === undefined || range[2] === undefined ? undefined : nlp.Qty.parse(`${(Number(range[1]) + Number(range[2])) / 2} ${read.quantity.units()}`);
  const q = middle ?? read.quantity;
  const count = /(\d+)\s*(?:x|×|\*)\s*\d/.exec(text)?.[1];
  const per = /(?:\bper\s+|\/)([\p{L}]+)\s*$/u.exec(text.trim())?.[1] ?? null;
  const named = readUnit(system, nlp);
  const targetUnit = systemTarget(q, system) ?? named;
  const target = targetUnit !== undefined && q.isCompatible(targetUnit) ? targetUnit : undefined;
  const normalized = target === undefined ? null : { value: tidy(q.to(target).scalar), unit: named === undefined ? target : system };
  const n = count === undefined ? 1 : Number(count);
  return json({
    value: q.scalar,
    unit: read.written,
    unit_type: q.kind(),
    count: count === undefined ? null : n,
    total: count === undefined ? null : tidy(n * q.scalar),
    total_unit: count === undefined ? null : read.written,
    per,
    range_min: range?.[1] === undefined ? null : Number(range[1]),
    range_max: range?.[2] === undefined ? null : Number(range[2]),
    formatted: `${q.scalar} ${read.written}`,
    normalized,
  });
};

export const NLP_STRATEGIES: Readonly<Record<string, Strategy>> = {
  sounds_like: (args, nlp) => soundsLike(at(args, 0), at(args, 1), nlp),
  looks_like: (args, nlp) => looksLike(at(args, 0), at(args, 1), nlp),
  parse_date: parseDateStrategy,
  parse_phone: parsePhoneStrategy,
  parse_name: (args, nlp) => json(nameParts(at(args, 0), nlp)),
  parse_address: (args, nlp) => json(addressParts(at(args, 0), nlp)),
  normalize_unit: normalizeUnit,
  normalize_quantity: normalizeQuantity,
  normalize_currency: (args, nlp) => json(convertCurrency(at(args, 0), at(args, 1) || 'USD', nlp)),
  language: (args, nlp) => languageOf(at(args, 0), nlp, detectLanguage),
  formality: (args, nlp) => formality(at(args, 0), nlp),
  clean_year: (args, nlp) => cleanYear(at(args, 0), nlp),
  infer_type: (args, nlp) => inferType(at(args, 0), nlp),
};
