/**
 * Phone numbers by libphonenumber-js (Google's metadata, "min" build: 28 KB gzipped). It knows every
 * country's lengths and prefixes, so it rejects "555-1234" (too short) and "(555) 123-4567" (no
 * such US area code) where a pattern cannot. National numbers are read as US ones unless the caller
 * names a country: a model without context would guess the same.
 */
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/min';
import type { Nlp } from './load-nlp';

export const DEFAULT_COUNTRY: CountryCode = 'US';

/** An ISO country code the metadata knows, or the default. */
export function countryCode(name: string | undefined, nlp: Nlp): CountryCode {
  const code = (name ?? '').trim().toUpperCase();
  return nlp.phone.isSupportedCountry(code) ? code : DEFAULT_COUNTRY;
}

/** Every phone number in the text, as written. */
export function findPhones(text: string, nlp: Nlp, country: CountryCode = DEFAULT_COUNTRY): string[] {
  return nlp.phone.findPhoneNumbersInText(text, country).map((found) => text.slice(found.startsAt, found.endsAt));
}

export function readPhone(text: string, nlp: Nlp, country: CountryCode = DEFAULT_COUNTRY): PhoneNumber | undefined {
  return nlp.phone.parsePhoneNumberFromString(text, country);
}

/** The whole value is a phone number that exists: only phone characters, and valid for its country. */
export function isPhone(text: string, nlp: Nlp, country: CountryCode = DEFAULT_COUNTRY): boolean {
  const t = text.trim();
  if (!/^\+?[\d\s().-]{6,}(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?$/i.test(t)) return false;
  return readPhone(t, nlp, country)?.isValid() === true;
}

export interface PhoneParts {
  country_code: string | null;
  area_code: string | null;
  exchange: string | null;
  subscriber: string | null;
  extension: string | null;
  e164: string | null;
  national: string | null;
  international: string | null;
  digits: string;
  is_valid: boolean;
  /** Mobile or landline needs the full metadata (+20 KB); the min build cannot tell, so null. */
  type: null;
}

/** A phone number in parts. Area code, exchange and subscriber are split for the NANP (+1) only. */
export function phoneParts(text: string, nlp: Nlp, country: CountryCode = DEFAULT_COUNTRY): PhoneParts {
  const digits = text.replace(/\D/g, '');
  const n = readPhone(text, nlp, country);
  if (n === undefined) {
    return {
      country_code: null,
      area_code: null,
      exchange: null,
      subscriber: null,
      extension: null,
      e164: null,
      national: null,
      international: null,
      digits,
      is_valid: false,
      type: null,
    };
  }
  const national = String(n.nationalNumber);
  const nanp = n.countryCallingCode === '1' && national.length === 10;
  return {
    country_code: String(n.countryCallingCode),
    area_code: nanp ? national.slice(0, 3) : null,
    exchange: nanp ? national.slice(3, 6) : null,
    subscriber: nanp ? national.slice(6) : null,
    extension: n.ext === undefined ? null : String(n.ext),
    e164: String(n.number),
    national: n.formatNational(),
    international: n.formatInternational(),
    digits,
    is_valid: n.isValid(),
    type: null,
  };
}
