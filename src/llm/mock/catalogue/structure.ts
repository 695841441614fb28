/**
 * The mock's structure readers: parse_typed, smart_json, smart_split, smart_unpack, unnest_smart.
 * Answers are JSON text, as the catalogue's schemas say.
 */
import { arg, json, listOf, own, type Handler } from '../args';
import { extract } from '../extract';
import { addressParts } from '../nlp/addresses';
import { findMoney } from '../nlp/currency';
import { isoDate, longDate, parseDate } from '../nlp/dates';
import type { Nlp } from '../nlp/load-nlp';
import { nameParts } from '../nlp/names';
import { phoneParts } from '../nlp/phones';

/**
 * parse_typed's objects follow LARS's current formats: each has the parts of its kind and `full`,
 * the value whole (an email is {local, domain, full}; a phone {country_code, area_code, number,
 * extension, full, formatted}); a kind it does not know is {<kind>: value}.
 */
function parseTyped(text: string, kind: string, nlp: Nlp | undefined): string {
  const k = kind.toLowerCase().trim();
  if (/e-?mail/.test(k)) {
    const full = extract(text, 'email', nlp);
    const at = full?.lastIndexOf('@') ?? -1;
    return json(full === null ? { error: `no ${kind} found` } : { local: full.slice(0, at), domain: full.slice(at + 1), full });
  }
  if (/url|link/.test(k)) {
    const full = extract(text, 'url', nlp);
    const m = full === null ? null : /^(?:(\w+):\/\/)?(?:www\.)?([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(full);
    return json(
      full === null || m === null
        ? { error: `no ${kind} found` }
        : { protocol: m[1] ?? null, domain: m[2] ?? null, path: m[3] || null, query: m[4] ?? null, full },
    );
  }
  if (nlp === undefined) return json({ [k.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'value']: extract(text, kind, nlp) });
  if (/address/.test(k)) {
    const a = addressParts(text, nlp);
    const street = [a.street_number, a.street_name, a.street_type].filter((p) => p !== null).join(' ') || null;
    const unit = [a.unit_type, a.unit_number].filter((p) => p !== null).join(' ') || null;
    return json({ street, unit, city: a.city, state: a.state, zip: a.zip, country: a.country, full: a.formatted });
  }
  if (/phone/.test(k)) {
    const p = phoneParts(extract(text, 'phone', nlp) ?? text, nlp);
    const number = p.exchange !== null && p.subscriber !== null ? `${p.exchange}${p.subscriber}` : (p.e164?.slice(1 + (p.country_code?.length ?? 0)) ?? null);
    return json({
      country_code: p.country_code === null ? null : `+${p.country_code}`,
      area_code: p.area_code,
      number,
      extension: p.extension,
      full: p.e164,
      formatted: p.national,
    });
  }
  if (/\bname|person/.test(k)) {
    const n = nameParts(extract(text, 'person name', nlp) ?? text, nlp);
    return json({ prefix: n.prefix, first: n.first, middle: n.middle, last: n.last, suffix: n.suffix, full: n.formatted });
  }
  if (/date/.test(k)) {
    const parts = parseDate(text, 'mdy', nlp);
    return json(
      parts === undefined
        ? { error: `no ${kind} found` }
        : { year: parts.year, month: parts.month, day: parts.day, iso: isoDate(parts), formatted: longDate(parts) },
    );
  }
  if (/currency|money|price|amount/.test(k)) {
    const money = findMoney(text, nlp)[0];
    return json(
      money === undefined
        ? { error: `no ${kind} found` }
        : { amount: money.amount, currency: money.currency, symbol: /^[^\d\s\w]/u.exec(money.text)?.[0] ?? null, formatted: money.text },
    );
  }
  const key = k.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'value';
  return json({ [key]: extract(text, kind, nlp) });
}

/** Every leaf of a JSON value with its path of keys. */
function leaves(value: unknown, path: string[] = []): { path: string[]; value: unknown }[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}

/** `name: John, age: 30` → {"name": "John", "age": 30}; null when the text holds no such pair. */
function pairsOf(text: string): Record<string, string | number> | null {
  const out: Record<string, string | number> = {};
  for (const m of text.matchAll(/([\p{L}_][\p{L}\p{N}_ ]*?)\s*[:=]\s*([^,;\n]+)/gu)) {
    const value = (m[2] ?? '').trim();
    out[(m[1] ?? '').trim().toLowerCase().replace(/\s+/g, '_')] = /^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return Object.keys(out).length > 0 ? out : null;
}

const SYNONYMS: Record<string, string[]> = {
  email: ['mail', 'e-mail'],
  phone: ['tel', 'mobile', 'cell'],
  name: ['full_name', 'fullname'],
  total: ['amount', 'sum', 'price'],
  address: ['street', 'addr'],
};

/** smart_json: the leaf whose path best covers the description's words ("customer email" → customer.contact.mail). */
function smartJson(data: string, description: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not JSON: text of `key: value` pairs ("name: John, age: 30") is read as the object it describes.
    parsed = pairsOf(data);
    if (parsed === null) return null;
  }
  const words = description
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !['the', 'of', 'a', 'an'].includes(w));
  // Nothing asked for: the document itself, tidied.
  if (words.length === 0) return JSON.stringify(parsed);
  const fits = (word: string, segment: string) => {
    const s = segment.toLowerCase();
    return s.includes(word) || (word.length >= 3 && word.includes(s) && s.length >= 3) || (own(SYNONYMS, word) ?? []).some((syn) => s.includes(syn));
  };
  let best: { score: number; depth: number; value: unknown } | undefined;
  for (const leaf of leaves(parsed)) {
    const score =
      words.filter((w) => leaf.path.some((seg) => fits(w, seg))).length + (words.some((w) => fits(w, leaf.path[leaf.path.length - 1] ?? '')) ? 0.5 : 0);
    if (score > 0 && (best === undefined || score > best.score || (score === best.score && leaf.path.length < best.depth)))
      best = { score, depth: leaf.path.length, value: leaf.value };
  }
  if (best === undefined || best.value === null) return null;
  return typeof best.value === 'string' ? best.value : JSON.stringify(best.value);
}

const DELIMITERS = ['\n', ';', '|', '\t', ',', '/'];
const NAMED_DELIMITERS: Record<string, string> = { comma: ',', semicolon: ';', pipe: '|', space: ' ', tab: '\t', newline: '\n', slash: '/' };

function delimiterOf(value: string): string {
  return DELIMITERS.find((d) => value.includes(d)) ?? (/\band\b/.test(value) ? ' and ' : ' ');
}

function smartSplit(value: string, instruction: string, nlp: Nlp | undefined): string {
  const i = instruction.toLowerCase();
  if (/first|last|name/.test(i) && nlp !== undefined) {
    const n = nameParts(value, nlp);
    return json({ first: n.first, middle: n.middle, last: n.last });
  }
  if (/sentence/.test(i)) {
    const parts = value.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
    return json({ parts, count: parts.length });
  }
  if (/word/.test(i)) {
    const parts = value.split(/\s+/).filter((s) => s !== '');
    return json({ parts, count: parts.length });
  }
  if (/key|value|pair/.test(i)) {
    const out: Record<string, string> = {};
    for (const m of value.matchAll(/([\w ]+?)\s*[:=]\s*([^,;&\n]+)/g)) out[(m[1] ?? '').trim()] = (m[2] ?? '').trim();
    return json(out);
  }
  const named = own(NAMED_DELIMITERS, i.trim());
  const delimiter = named ?? delimiterOf(value);
  const parts = value
    .split(delimiter)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return json({ parts, count: parts.length });
}

function smartUnpack(value: string, nlp: Nlp | undefined): string {
  const out: Record<string, string> = {};
  const email = extract(value, 'email', nlp);
  const phone = extract(value, 'phone', nlp);
  const url = extract(value, 'url', nlp);
  if (email !== null) out['email'] = email;
  if (phone !== null) out['phone'] = phone;
  if (url !== null) out['url'] = url;
  let rest = value;
  for (const found of [email, phone, url]) if (found !== null) rest = rest.split(found).join(' ');
  const name = rest
    .replace(/[<>(),;|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (name !== '') out['name'] = name;
  return json({ ...out, _raw: value, _confidence: Object.keys(out).length > 0 ? 0.8 : 0.2 });
}

function unnestSmart(value: string): string {
  const v = value.trim();
  if (/^\[.*\]$/s.test(v)) {
    const elements = listOf(v);
    if (elements.length > 0 || v === '[]') return json({ elements, count: elements.length, original_format: 'json_array', delimiter: null });
  }
  const delimiter = delimiterOf(v);
  const elements = v
    .replace(/^[[{(]|[\]})]$/g, '')
    .split(delimiter)
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .filter((s) => s !== '');
  return json({ elements, count: elements.length, original_format: 'delimited', delimiter });
}

export const STRUCTURE: Readonly<Record<string, Handler>> = {
  parse_typed: (r, nlp) => parseTyped(arg(r, 0), arg(r, 1), nlp),
  smart_json: (r) => smartJson(arg(r, 0), arg(r, 1)),
  smart_split: (r, nlp) => smartSplit(arg(r, 0), arg(r, 1), nlp),
  smart_unpack: (r, nlp) => smartUnpack(arg(r, 0), nlp),
  unnest_smart: (r) => unnestSmart(arg(r, 0)),
};
