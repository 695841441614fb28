/**
 * Postal addresses in parts by parse-address (US layouts: number, street, type, unit, city, state,
 * ZIP). Outside the US it finds little ("221B Baker Street" becomes street "B Baker"), so an address
 * it cannot read keeps only its formatted text.
 */
import type { ParsedLocation } from 'parse-address';
import type { Nlp } from './load-nlp';

export interface AddressParts {
  street_number: string | null;
  street_name: string | null;
  street_type: string | null;
  unit_type: string | null;
  unit_number: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  zip_plus4: string | null;
  country: string | null;
  formatted: string;
}

const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

/** Enough parts to be an address: a numbered street, a city with a state, or a ZIP code. */
function readable(p: ParsedLocation): boolean {
  return (p.number !== undefined && p.street !== undefined) || (p.city !== undefined && p.state !== undefined) || p.zip !== undefined;
}

export function addressParts(text: string, nlp: Nlp): AddressParts {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const parsed = nlp.parseLocation(trimmed);
  // parse-address fills a city or street from any words at all ("somewhere" alone): keep none of that.
  const p: ParsedLocation = parsed !== null && readable(parsed) ? parsed : {};
  const streetName = [p.prefix, p.street].filter((s) => s !== undefined && s !== '').join(' ');
  const street = [p.number, streetName, p.type, p.suffix].filter((s) => s !== undefined && s !== '').join(' ');
  const unit = [p.sec_unit_type, p.sec_unit_num].filter((s) => s !== undefined && s !== '').join(' ');
  const region = [p.state, p.zip === undefined ? undefined : p.plus4 === undefined ? p.zip : `${p.zip}-${p.plus4}`].filter((s) => s !== undefined).join(' ');
  const line = [street + (unit === '' ? '' : ` ${unit}`), p.city, region].filter((s) => s !== undefined && s.trim() !== '').join(', ');
  return {
    street_number: orNull(p.number),
    street_name: orNull(streetName),
    street_type: orNull(p.type),
    unit_type: orNull(p.sec_unit_type),
    unit_number: orNull(p.sec_unit_num),
    city: orNull(p.city),
    state: orNull(p.state),
    zip: orNull(p.zip),
    zip_plus4: orNull(p.plus4),
    // parse-address reads US layouts only: a state it recognised means the US.
    country: p.state === undefined ? null : 'US',
    formatted: line === '' ? trimmed : line,
  };
}

/** Looks like a street address: parse-address found a house number with a street, or a city with a state. */
export function isAddressLike(text: string, nlp: Nlp): boolean {
  const p = nlp.parseLocation(text.trim());
  return p !== null && ((p.number !== undefined && p.street !== undefined) || (p.city !== undefined && p.state !== undefined));
}
