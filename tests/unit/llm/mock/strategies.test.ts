import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { NLP_STRATEGIES } from '../../../../src/llm/mock/strategies';
import { DIMENSION_STRATEGIES } from '../../../../src/llm/mock/catalogue/dimensions';
import { request } from './helpers';

const nlp = await loadNlp();
const run = (operator: string, ...args: string[]) => {
  const strategy = NLP_STRATEGIES[operator];
  if (strategy === undefined) throw new Error(`no strategy ${operator}`);
  return strategy(args, nlp);
};
const parsed = (operator: string, ...args: string[]): Record<string, unknown> => JSON.parse(String(run(operator, ...args))) as Record<string, unknown>;

// The expectations of LARS's own test cases for these operators (its semantic_sql YAML files), plus
// the cases around them a model would get right.
describe("LARS operators answered with the NLP layer, on LARS's examples", () => {
  test('sounds_like', () => {
    expect(run('sounds_like', 'Smith', 'Smyth')).toBe(true);
    expect(run('sounds_like', 'Smith', 'Jones')).toBe(false);
  });

  test('looks_like is lenient: a broken email still looks like one', () => {
    expect(run('looks_like', 'john@gmail', 'email')).toBe(true);
    expect(run('looks_like', '542 Oak Avenue, Boston MA', 'address')).toBe(true);
    expect(run('looks_like', '(555) 12-34567', 'phone')).toBe(true);
    expect(run('looks_like', 'hello', 'email')).toBe(false);
    expect(run('looks_like', 'purple', 'date')).toBe(false);
  });

  test('parse_date: JSON for a preference, one part for a task, the year when only a year is known', () => {
    expect(String(run('parse_date', 'March 15th, 2024'))).toContain('2024-03-15');
    expect(parsed('parse_date', '12/05/2023', 'dmy')).toMatchObject({ iso: '2023-05-12', day_of_week: 'Friday', quarter: 2, is_valid: true });
    expect(run('parse_date', 'March 15th, 2024', 'US format')).toBe('03/15/2024');
    expect(run('parse_date', 'March 15th, 2024', 'day of week')).toBe('Friday');
    expect(run('parse_date', 'born in 1990', 'year')).toBe('1990');
    expect(String(run('parse_date', 'born in 1990'))).toMatch(/.+/);
    expect(parsed('parse_date', 'whenever')).toMatchObject({ is_valid: false });
  });

  test('parse_phone: JSON with a default country, one part for a task', () => {
    expect(String(run('parse_phone', 'Call me at (555) 123-4567'))).toContain('5551234567');
    expect(parsed('parse_phone', '020 7946 0958', 'GB')).toMatchObject({ e164: '+442079460958', is_valid: true });
    expect(run('parse_phone', '+1 415 555 0132', 'area code')).toBe('415');
    expect(run('parse_phone', '(415) 555-0132', 'last 4')).toBe('0132');
    expect(String(run('parse_phone', 'call 555-1234', 'digits only'))).toMatch(/.+/);
  });

  test('parse_name and parse_address', () => {
    expect(parsed('parse_name', 'Dr. John Michael Smith Jr.')).toMatchObject({ first: 'John' });
    expect(String(run('parse_name', 'Smith, Jane'))).toContain('Jane');
    expect(parsed('parse_address', '123 Main St, Boston, MA 02101')).toMatchObject({ city: 'Boston' });
    expect(String(run('parse_address', '456 Oak Ave Apt 2B, New York NY'))).toContain('New York');
  });

  test('normalize_unit, normalize_quantity, normalize_currency', () => {
    expect(String(run('normalize_unit', '100 kilometers', 'miles'))).toContain('62');
    expect(parsed('normalize_unit', '5 kg', 'meters')).toMatchObject({ converted_value: null });
    expect(String(run('normalize_quantity', 'about 5 gallons', 'liters'))).toContain('liter');
    expect(parsed('normalize_quantity', '3 x 500 g', 'metric')).toMatchObject({ count: 3, total: 1500, normalized: { value: 0.5, unit: 'kg' } });
    expect(parsed('normalize_quantity', '10-12 lbs')).toMatchObject({ value: 11, range_min: 10, range_max: 12 });
    expect(String(run('normalize_currency', '100 dollars', 'EUR'))).toContain('EUR');
    expect(parsed('normalize_currency', '€50')).toMatchObject({ original_currency: 'EUR', target_currency: 'USD', is_approximate: true });
  });

  test('language, formality, toxicity as dimension labels', () => {
    expect(run('language', 'Hello, how are you today?')).toBe('en');
    expect(run('language', 'Bonjour, comment allez-vous?')).toBe('fr');
    expect(run('language', 'Hola, como estas?')).toBe('es');
    expect(['very_formal', 'formal']).toContain(run('formality', 'Dear Sir or Madam, I am writing to inquire about...'));
    expect(['very_informal', 'informal']).toContain(run('formality', 'hey whats up dude'));
    // toxicity is a dimension: its levels are proposed, then each row labelled (catalogue/dimensions.ts).
    const label = (text: string, ...modifiers: string[]) => {
      const levels = String(DIMENSION_STRATEGIES['toxicity']?.(request('toxicity', [text, ...modifiers], 'VARCHAR'), nlp));
      return DIMENSION_STRATEGIES['toxicity_label']?.(request('toxicity_label', [text, levels, ...modifiers], 'VARCHAR'), nlp);
    };
    expect(label('Thank you for your help!')).toBe('Civil');
    expect(label('You are an idiot', 'harassment', '3')).toBe('Moderate harassment');
  });

  test('clean_year and infer_type', () => {
    expect(run('clean_year', 'FY2023')).toBe(2023);
    expect(run('clean_year', 'circa 1990')).toBe(1990);
    expect(run('clean_year', 'unknown')).toBe(-1);
    const types: [string, string][] = [
      ['john@example.com', 'email'],
      ['+1 415 555 0132', 'phone'],
      ['https://x.io/a', 'url'],
      ['2024-03-15', 'date'],
      ['2024-03-15 10:30', 'datetime'],
      ['March 15, 2024', 'date'],
      ['$1,234.50', 'currency'],
      ['42', 'integer'],
      ['3.14', 'decimal'],
      ['12%', 'percentage'],
      ['true', 'boolean'],
      ['550e8400-e29b-41d4-a716-446655440000', 'uuid'],
      ['4111 1111 1111 1111', 'credit_card'],
      ['192.168.0.1', 'ip_address'],
      ['{"a": 1}', 'json'],
      ['5 kg', 'quantity'],
      ['123 Main St, Boston, MA 02101', 'address'],
      ['John Smith', 'name'],
      ['hello world', 'text'],
    ];
    for (const [value, type] of types) expect(run('infer_type', value), value).toBe(type);
  });
});

/** Any text, and the property names that break lookups in plain objects. */
const text = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));

describe('every strategy', () => {
  test('answers arbitrary text without throwing, in its type, the same every time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(NLP_STRATEGIES)), text, text, (operator, a, b) => {
        const value = run(operator, a, b);
        expect(['boolean', 'number', 'string', 'object']).toContain(typeof value);
        if (typeof value === 'string' && /^[{[]/.test(value)) JSON.parse(value);
        expect(run(operator, a, b)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});
