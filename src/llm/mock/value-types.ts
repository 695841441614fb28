/**
 * What kind of value a string is (infer_type), strictly, and whether it is recognisably an attempt at
 * a kind (looks_like), leniently: "john@gmail" is not a valid email but plainly meant as one.
 */
import { valid } from './extract';
import { relevance } from './judgements';
import { isAddressLike } from './nlp/addresses';
import { findMoney } from './nlp/currency';
import { findDates, isDate } from './nlp/dates';
import { entities } from './nlp/entities';
import type { Nlp } from './nlp/load-nlp';
import { isPhone } from './nlp/phones';
import { readQuantity } from './nlp/quantities';

const strictly = (value: string, kind: string, nlp: Nlp) => valid(value, kind, () => false, nlp);

/** The whole value is what a library found in it, give or take spaces and punctuation. */
const whole = (value: string, found: string | undefined) => found !== undefined && found.replace(/\W/g, '') === value.replace(/\W/g, '');

const STREET =
  /\b\d+\s+(?:[\p{L}.]+\s+){1,3}(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|ct|court|pl|place|hwy|highway|terrace|sq|square)\b/iu;

/** infer_type: one lower-case type name, the most specific that fits the whole value. */
export function inferType(value: string, nlp: Nlp): string {
  const v = value.trim();
  if (v === '') return 'empty';
  if (/^(?:true|false|yes|no)$/i.test(v)) return 'boolean';
  if (strictly(v, 'uuid', nlp)) return 'uuid';
  if (strictly(v, 'email', nlp)) return 'email';
  if (/^(?:https?:\/\/|www\.)/i.test(v) && strictly(v, 'url', nlp)) return 'url';
  if (strictly(v, 'ip address', nlp)) return 'ip_address';
  if (/^[[{]/.test(v) && strictly(v, 'json', nlp)) return 'json';
  if (/^[-+]?\d+(?:\.\d+)?\s?%$/.test(v)) return 'percentage';
  if (/^[-+]?\d+$/.test(v)) return 'integer';
  if (/^[-+]?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(v)) return 'decimal';
  if (whole(v, findMoney(v, nlp)[0]?.text)) return 'currency';
  if (strictly(v, 'credit card', nlp)) return 'credit_card';
  if (isPhone(v, nlp)) return 'phone';
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v)) return 'datetime';
  if (isDate(v, nlp)) return 'date';
  if (strictly(v, 'time', nlp)) return 'time';
  if (/^\d{5}-\d{4}$/.test(v) || /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i.test(v)) return 'zip_code';
  if (/^[-+]?\d/.test(v) && readQuantity(v, nlp) !== undefined && v.split(/\s+/).length <= 4) return 'quantity';
  if (STREET.test(v) || (/\d/.test(v) && isAddressLike(v, nlp))) return 'address';
  if (/^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}$/u.test(v) && entities(v, 'people', nlp).length > 0) return 'name';
  if (/[{};]|=>|\b(?:function|return|SELECT|FROM|def|import)\b/.test(v) && /[(){};=]/.test(v)) return 'code';
  return 'text';
}

/** looks_like: a human would take the value for an attempt at this kind, even a broken one. */
export function looksLike(value: string, kind: string, nlp: Nlp): boolean {
  const v = value.trim();
  const k = kind.toLowerCase();
  if (v === '') return false;
  if (/e-?mail/.test(k)) return /^[^\s@]+@[^\s@]+$/.test(v) || /\S+\s+at\s+\S+\s+dot\s+\S+/i.test(v);
  if (/phone|mobile|fax/.test(k)) return (v.match(/\d/g) ?? []).length >= 7 && /^[\d\s().+\-x]+$/i.test(v.replace(/ext\.?/i, ''));
  if (/url|link|website/.test(k)) return !/\s/.test(v) && (/^(?:https?:\/\/|www\.)/i.test(v) || /\.[a-z]{2,}(?:[/?#:]|$)/i.test(v));
  if (/date|day/.test(k)) return findDates(v, nlp).length > 0 || /\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b/.test(v);
  if (/address|street/.test(k)) return STREET.test(v) || isAddressLike(v, nlp);
  if (/name|person/.test(k)) return /^[\p{L}'’.\-\s,]+$/u.test(v) && v.split(/\s+/).length <= 5;
  if (/currency|money|price|amount/.test(k)) return findMoney(v, nlp).length > 0 || /^[^\d]{0,4}\d[\d,.\s]*[^\d]{0,8}$/.test(v);
  if (/number|numeric|integer|decimal/.test(k)) return /\d/.test(v) && /^[-+$€£]?\s?[\d,.\s]+%?$/.test(v);
  if (/zip|postal|postcode/.test(k)) return /\b\d{5}\b|\b[A-Z]\d[A-Z]\b|\b[A-Z]{1,2}\d/i.test(v);
  return inferType(v, nlp) === k.replace(/\s+/g, '_') || valid(v, kind, (text, wanted) => relevance(text, wanted) >= 0.4, nlp);
}
