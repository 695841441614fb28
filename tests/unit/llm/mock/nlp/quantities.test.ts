import { describe, expect, test } from 'vitest';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';
import { readQuantity, readUnit, systemTarget, tidy, unitSyntax } from '../../../../../src/llm/mock/nlp/quantities';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();
const read = (text: string) => {
  const q = readQuantity(text, nlp);
  return q === undefined ? undefined : `${q.quantity.scalar} ${q.quantity.units()}`;
};

describe('quantities by js-quantities', () => {
  test('everyday wording becomes unit syntax', () => {
    expect(unitSyntax('degrees Fahrenheit')).toBe('tempF');
    expect(unitSyntax('°C')).toBe('tempC');
    expect(unitSyntax('square feet')).toBe('feet^2');
    expect(unitSyntax('cubic meters')).toBe('meters^3');
    expect(unitSyntax('fl oz')).toBe('floz');
    expect(unitSyntax('miles per hour')).toBe('miles/hour');
  });

  test('reads the first number with a known unit, past hedges, counts and ranges', () => {
    expect(read('about 5 gallons')).toBe('5 gal');
    expect(read('3 x 500 g')).toBe('500 g');
    expect(read('10-12 lbs')).toBe('12 lbs');
    expect(read('1,500 kilometers')).toBe('1500 km');
    expect(read('100 square meters')).toBe('100 m2');
    expect(read('72 degrees Fahrenheit')).toBe('72 tempF');
    expect(read('no quantity here')).toBeUndefined();
  });

  test('converts: 100 km is 62.14 miles, 72 °F is 22.22 °C', () => {
    expect(tidy(readQuantity('100 kilometers', nlp)?.quantity.to(readUnit('miles', nlp) ?? '').scalar ?? NaN)).toBe(62.14);
    expect(tidy(readQuantity('72 degrees F', nlp)?.quantity.to(readUnit('celsius', nlp) ?? '').scalar ?? NaN)).toBe(22.22);
    expect(readUnit('parsecs of fun', nlp)).toBeUndefined();
  });

  test('"auto" turns imperial into metric and leaves metric alone; systems pick the unit of the kind', () => {
    const gallons = readQuantity('5 gallons', nlp)?.quantity;
    const kilos = readQuantity('5 kg', nlp)?.quantity;
    if (gallons === undefined || kilos === undefined) throw new Error('unread');
    expect(systemTarget(gallons, 'auto')).toBe('l');
    expect(systemTarget(kilos, 'auto')).toBe('kg');
    expect(systemTarget(kilos, 'imperial')).toBe('lbs');
    expect(systemTarget(kilos, 'liters')).toBeUndefined();
  });
});
