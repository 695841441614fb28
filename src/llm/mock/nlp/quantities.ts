/**
 * Quantities and unit conversion by js-quantities (the units database of GNU units: length, mass,
 * volume, area, speed, temperature, energy, data ...). This module only turns everyday wording into
 * its unit syntax ("square feet" → ft^2, "degrees Fahrenheit" → tempF) and picks targets.
 */
import type { Quantity } from 'js-quantities/esm';
import type { Nlp } from './load-nlp';

const HEDGES = /\b(?:about|approximately|approx\.?|around|roughly|nearly|almost|circa|some|over|under|up to|at least|at most)\b|~/gi;

/** Everyday unit wording → js-quantities syntax. Temperatures are absolute (tempF), not differences (degF). */
export function unitSyntax(unit: string): string {
  return unit
    .trim()
    .toLowerCase()
    .replace(/^(?:degrees?\s+|°\s*|deg\s*)?(?:fahrenheit|f)$/, 'tempF')
    .replace(/^(?:degrees?\s+|°\s*|deg\s*)?(?:celsius|centigrade|c)$/, 'tempC')
    .replace(/^(?:degrees?\s+)?kelvin$/, 'tempK')
    .replace(/^(?:square|sq\.?)\s*(\w+)$/, '$1^2')
    .replace(/^(?:cubic|cu\.?)\s*(\w+)$/, '$1^3')
    .replace(/^fl(?:uid)?\.?\s*(?:oz|ounces?)$/, 'floz')
    .replace(/^tons$/, 'ton')
    .replace(/\s+per\s+/g, '/');
}

export interface ReadQuantity {
  quantity: Quantity;
  /** The unit as written ("gallons"). */
  written: string;
}

/**
 * The first number followed by unit words that js-quantities knows (up to four words, the longest
 * that parses): "3 x 500 g" is read as 500 g, "10-12 lbs" as 12 lbs (the range is the caller's).
 */
export function readQuantity(text: string, nlp: Nlp): ReadQuantity | undefined {
  const cleaned = text.replace(HEDGES, ' ').replace(/(\d),(\d{3})/g, '$1$2');
  // A minus sign only at the start or after a space: in "10-12" it is a range.
  for (const m of cleaned.matchAll(/((?:(?<=^|\s)-)?\d+(?:\.\d+)?)\s*((?:°\s*)?[\p{L}°µ/^²³$.]+(?:\s+[\p{L}/^.]+){0,3})?/gu)) {
    const words = (m[2] ?? '').split(/\s+/).filter((w) => w !== '');
    for (let n = Math.min(4, words.length); n >= 1; n--) {
      const written = words.slice(0, n).join(' ');
      const quantity = nlp.Qty.parse(`${m[1]} ${unitSyntax(written.replace(/²/g, '^2').replace(/³/g, '^3'))}`);
      if (quantity !== null && quantity.kind() !== undefined) return { quantity, written };
    }
  }
  return undefined;
}

/** A unit the target names, or undefined when js-quantities does not know it. */
export function readUnit(unit: string, nlp: Nlp): string | undefined {
  const syntax = unitSyntax(unit);
  const q = nlp.Qty.parse(`1 ${syntax}`);
  return q === null ? undefined : syntax;
}

/** Rounded for people: 4 significant digits, no float noise (62.13711922373339 → 62.14). */
export function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

type System = 'metric' | 'imperial';

const TARGETS: Readonly<Record<System, Readonly<Record<string, string>>>> = {
  metric: { length: 'm', mass: 'kg', volume: 'l', area: 'm^2', speed: 'km/h', temperature: 'tempC' },
  imperial: { length: 'ft', mass: 'lbs', volume: 'gal', area: 'ft^2', speed: 'mph', temperature: 'tempF' },
};
const IMPERIAL_UNITS = /^(?:in|ft|yd|mi|lbs|oz|tn|gal|qt|pt|cu|tb|tsp|floz|mph|tempF|degF|ft2|in2|sqft|acre)$/;

/** The unit a quantity becomes in a system; "auto" converts imperial to metric and leaves metric alone. */
export function systemTarget(q: Quantity, system: string): string | undefined {
  const s = system.trim().toLowerCase();
  const wanted: System = s === 'imperial' || s === 'us' ? 'imperial' : 'metric';
  if (s !== 'auto' && s !== 'metric' && s !== 'imperial' && s !== 'us' && s !== '') return undefined;
  if (s === 'auto' && !IMPERIAL_UNITS.test(q.units())) return q.units();
  return TARGETS[wanted][q.kind()];
}
