import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MOCK_STRATEGIES, mockAnswer } from '../../../../src/llm/mock/answers';
import type { MockQuestion as ModelRequest } from '../../../../src/llm/mock/question';
import { encodeGroup } from '../../../../src/sql/group-encoding';
import { BUILTIN_OPERATORS } from '../../../../src/sql/catalogue';
import type { OperatorDef } from '../../../../src/sql/types';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { request } from './helpers';

/** The operators a model answers: every built-in but the embedding ones. */
const MODEL_OPERATORS = BUILTIN_OPERATORS.filter((op) => (op.execution ?? 'model') === 'model');

const SAMPLES = [
  'My order arrived broken, I want a refund',
  'Loving the new release, great work @acme_support 🎉',
  'DuckDB makes joins on parquet files trivial #SQL',
  'Made sourdough bread today, the kitchen smells amazing',
];

/** Arguments an engine could send for this operator, with the group encoded where it is one. */
function argsFor(op: OperatorDef): { args: string[]; grouped: boolean } {
  const args: string[] = [];
  let grouped = false;
  for (const a of op.args) {
    if (a.group === true) {
      args.push(encodeGroup(SAMPLES) ?? '');
      grouped = true;
    } else if (a.name === 'n') args.push('3');
    else if (a.name === 'categories') args.push('bug,feature,praise');
    else if (a.name === 'labels') args.push('["Product complaints","SQL and databases","Other"]');
    else if (a.name === 'prompt' && op.name === 'llm') args.push('Summarize {{a}}');
    else if (a.name === 'language') args.push('French');
    else if (a.name === 'kind') args.push('email');
    else if (a.name === 'entity_type') args.push('person');
    else args.push(SAMPLES[args.length % SAMPLES.length] ?? '');
  }
  return { args, grouped };
}

function builtinRequest(op: OperatorDef): ModelRequest {
  const { args, grouped } = argsFor(op);
  const extra: Partial<ModelRequest> = { grouped, prompt: op.prompt };
  if (op.range !== undefined) extra.range = op.range;
  return request(op.name, args, op.returns, extra);
}

/** Any text, and the property names that break lookups in plain objects. */
const anyText = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));

function fitsType(value: unknown, op: { returns: string; range?: [number, number] }): boolean {
  if (op.returns === 'BOOLEAN') return typeof value === 'boolean';
  if (op.returns === 'DOUBLE') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    const [lo, hi] = op.range ?? [-Infinity, Infinity];
    return value >= lo && value <= hi;
  }
  return typeof value === 'string' || value === null;
}

// The workers answer with the NLP libraries loaded; code without them gets the lexicon fallback.
// Both must keep these behaviours.
const MODES = [
  ['with the NLP libraries', await loadNlp()],
  ['with the lexicon fallback', undefined],
] as const;

describe.each(MODES)('%s', (_mode, nlp) => {
  const answer = (r: ModelRequest) => mockAnswer(r, nlp);

  describe('every built-in operator', () => {
    test('names a strategy the mock has (embedding operators are answered by the embeddings layer)', () => {
      for (const op of MODEL_OPERATORS) expect(MOCK_STRATEGIES, op.name).toContain(op.mock);
    });

    test.each(MODEL_OPERATORS.map((op) => [op.name, op] as const))('%s answers with its return type and range', (_name, op) => {
      const value = answer(builtinRequest(op));
      expect(fitsType(value, op), `${op.name} → ${JSON.stringify(value)}`).toBe(true);
      const type = op.outputSchema['type'];
      if (op.returns === 'VARCHAR' && !(Array.isArray(type) && type.includes('null'))) expect(value).not.toBeNull();
    });

    test('JSON-array operators answer with JSON array text', () => {
      for (const name of ['themes', 'topics', 'dedupe', 'outliers']) {
        const op = BUILTIN_OPERATORS.find((o) => o.name === name);
        if (op === undefined) throw new Error(`no operator ${name}`);
        const parsed: unknown = JSON.parse(String(answer(builtinRequest(op))));
        expect(Array.isArray(parsed), name).toBe(true);
      }
    });

    test('never throws and keeps its type and range for arbitrary text', () => {
      fc.assert(
        fc.property(fc.constantFrom(...MODEL_OPERATORS), anyText, anyText, (op, a, b) => {
          const { args, grouped } = argsFor(op);
          const fuzzed = args.map((v, i) => (i === 0 && !grouped ? a : i === 1 && op.args[1]?.name !== 'n' ? b : v));
          const extra: Partial<ModelRequest> = { grouped };
          if (op.range !== undefined) extra.range = op.range;
          return fitsType(answer(request(op.name, fuzzed, op.returns, extra)), op);
        }),
        { numRuns: 400 },
      );
    });
  });

  describe('determinism', () => {
    test('the same request gets the same answer, for every operator', () => {
      for (const op of MODEL_OPERATORS) {
        const first = answer(builtinRequest(op));
        expect(answer(builtinRequest(op)), op.name).toEqual(first);
      }
    });

    test('answers do not depend on the cache key or the model name', () => {
      const a = request('aligns', ['SQL is great for agents', 'SQL is good for AI'], 'DOUBLE', { key: 'k1' });
      const b = { ...a, key: 'k2', model: 'other' };
      expect(answer(a)).toBe(answer(b));
    });
  });

  describe('plausibility', () => {
    const means = (text: string, criterion: string, instructions: string[] = []) => answer(request('matches', [text, criterion], 'BOOLEAN', { instructions }));
    const num = (operator: string, a: string, b?: string) =>
      answer(request(operator, b === undefined ? [a] : [a, b], 'DOUBLE', { range: operator === 'sentiment' ? [-1, 1] : [0, 1] })) as number;

    test('a broken order with a refund request is a complaint; praise is not', () => {
      expect(means('My order arrived broken, I want a refund', 'complaint')).toBe(true);
      expect(means('Loving the new release, great work', 'complaint')).toBe(false);
      expect(means('My order arrived broken, I want a refund', 'complains about a delivery')).toBe(true);
      expect(means('The app crashes on launch', 'complains about a delivery')).toBe(false);
    });

    test('negation in the text or the criterion is honoured', () => {
      expect(means('Works fine, no complaints at all', 'complaint')).toBe(false);
      expect(means('Loving the new release, great work', 'not a complaint')).toBe(true);
    });

    test('ALIGNS scores an SQL-for-AI tweet above an opposing one, and both above a cooking tweet', () => {
      const statement = 'SQL is good for AI';
      const pro = num('aligns', 'SQL is the best interface for LLM agents. Declarative and verifiable 🔥', statement);
      const con = num('aligns', 'SQL is dead, AI agents will just call APIs directly.', statement);
      const cooking = num('aligns', 'Made shakshuka tonight, lots of garlic, zero regrets', statement);
      expect(pro).toBeGreaterThan(0.7);
      expect(pro).toBeGreaterThan(con);
      expect(con).toBeGreaterThan(cooking);
      expect(cooking).toBeLessThan(0.2);
    });

    test('ABOUT / RELEVANCE rank related text above unrelated text', () => {
      expect(num('score', 'Tuning indexes on a Postgres table all afternoon', 'databases')).toBeGreaterThan(0.5);
      expect(num('score', 'Heatwave day 4, the AC is my best friend', 'databases')).toBeLessThan(0.2);
    });

    test('SIMILAR_TO is higher for similar texts than for unrelated ones, and 1 for the same text', () => {
      const similar = num('similar_to', 'DuckDB is the best query engine I have used', 'I love query engines');
      const unrelated = num('similar_to', 'Ran my first half marathon today', 'I love query engines');
      expect(similar).toBeGreaterThan(unrelated + 0.3);
      expect(num('similar_to', 'Hello, World!', 'hello world')).toBe(1);
      expect(num('similar_to', 'I love query engines', 'Made sourdough bread')).toBe(num('similar_to', 'I love query engines', 'Made sourdough bread'));
    });

    test('IMPLIES needs the conclusion covered; CONTRADICTS needs the same topic with opposite stance', () => {
      const bool = (op: string, a: string, b: string) => answer(request(op, [a, b], 'BOOLEAN'));
      expect(bool('implies', 'Moved all our analytics to DuckDB last week', 'the author uses DuckDB')).toBe(true);
      expect(bool('implies', 'Postgres forever', 'the author uses DuckDB')).toBe(false);
      expect(bool('contradicts', 'SQL is more alive than ever', 'SQL is dead')).toBe(true);
      expect(bool('contradicts', 'SQL is dead, long live APIs', 'SQL is dead')).toBe(false);
      expect(bool('contradicts', 'Made soup', 'SQL is dead')).toBe(false);
    });

    test('SAME_AS matches handles, initials, acronyms and typos but not different names', () => {
      const same = (a: string, b: string) => answer(request('same_as', [a, b, 'person'], 'BOOLEAN'));
      expect(same('@jane_doe', 'Jane Doe')).toBe(true);
      expect(same('J. Smith', 'John Smith')).toBe(true);
      expect(same('IBM', 'International Business Machines')).toBe(true);
      expect(same('Smith, John', 'John Smith')).toBe(true);
      expect(same('Jonathan Smyth', 'Jonathan Smith')).toBe(true);
      expect(same('John Smith', 'Jane Doe')).toBe(false);
    });

    test('sentiment is signed, honours negation, and is 0 for a text without any', () => {
      expect(num('sentiment', 'Loving the new release, great work')).toBeGreaterThan(0.5);
      // The libraries score this -0.30 (VADER reads "want" as mildly positive); the lexicon -0.46.
      expect(num('sentiment', 'My order arrived broken, I want a refund')).toBeLessThan(-0.2);
      expect(num('sentiment', 'not bad at all')).toBeGreaterThan(0);
      expect(num('sentiment', 'The meeting is at noon')).toBe(0);
    });

    test('classify picks the best-fitting label, exactly as written', () => {
      const classify = (text: string, labels: string) => answer(request('classify', [text, labels], 'VARCHAR'));
      expect(classify('The app crashes when I open settings', 'bug, feature, question')).toBe('bug');
      expect(classify('Please add dark mode', 'bug, feature, question')).toBe('feature');
      expect(classify('How do I export to CSV?', 'bug, feature, question')).toBe('question');
      expect(classify('Love it!', 'Positive,Negative,Neutral')).toBe('Positive');
      expect(classify('The meeting is at noon', 'bug,feature,other')).toBe('other');
    });

    test('extracts by what is asked, null when absent', () => {
      const ex = (text: string, what: string) => answer(request('extracts', [text, what], 'VARCHAR'));
      expect(ex('Write to bob@example.com or see https://x.io/a.', 'the email address')).toBe('bob@example.com');
      expect(ex('Write to bob@example.com or see https://x.io/a.', 'url')).toBe('https://x.io/a');
      expect(ex('Paid $49.99 for this on 2025-03-02', 'the price')).toBe('$49.99');
      expect(ex('Paid $49.99 for this on 2025-03-02', 'date')).toBe('2025-03-02');
      expect(ex('Great game @lena_k #matchday', 'hashtags')).toBe('#matchday');
      expect(ex('Great game @lena_k #matchday', 'mentions')).toBe('@lena_k');
      expect(ex('Just moved to DuckDB from Postgres', 'the product name')).toBe('DuckDB');
      expect(ex('nothing to see here', 'email')).toBeNull();
    });

    test('condense keeps the first sentence, about 15 words', () => {
      const long = 'This is a very long first sentence that goes on and on about databases and AI and cooking and more. Second one.';
      const out = String(answer(request('condense', [long], 'VARCHAR')));
      expect(out.split(' ').length).toBeLessThanOrEqual(15);
      expect(out.endsWith('…')).toBe(true);
      expect(answer(request('condense', ['Short one. Another.'], 'VARCHAR'))).toBe('Short one.');
    });

    test('translate marks the language and maps known words', () => {
      expect(answer(request('translate', ['I love coffee', 'French'], 'VARCHAR'))).toBe('[fr] Je adore café');
      expect(answer(request('translate', ['I love coffee', 'es'], 'VARCHAR'))).toBe('[es] Yo encanta café');
      expect(String(answer(request('translate', ['Ich liebe Kaffee und die Sonne', 'English'], 'VARCHAR')))).toMatch(/^\[en\] /);
      expect(answer(request('translate', ['Das ist sehr gut und ich bin heute hier', 'German'], 'VARCHAR'))).toBe('Das ist sehr gut und ich bin heute hier');
    });

    test('parse returns JSON text with the keys asked for', () => {
      const out = String(answer(request('parse', ['Bought a Kindle for $89 on 2025-03-02', 'a JSON object with keys product and price'], 'VARCHAR')));
      expect(JSON.parse(out)).toEqual({ product: 'Kindle', price: 89 });
      expect(() => JSON.parse(String(answer(request('parse', ['anything at all', 'whatever'], 'VARCHAR'))))).not.toThrow();
    });

    test('valid checks well-known formats strictly', () => {
      const ok = (text: string, kind: string) => answer(request('valid', [text, kind], 'BOOLEAN'));
      expect(ok('bob@example.com', 'email')).toBe(true);
      expect(ok('bob@', 'email')).toBe(false);
      expect(ok('https://example.com/x', 'url')).toBe(true);
      expect(ok('2025-02-30', 'date')).toBe(false);
      expect(ok('2024-02-29', 'ISO date')).toBe(true);
      expect(ok('+1 415 555 0100', 'phone number')).toBe(true);
      expect(ok('{"a": 1}', 'JSON')).toBe(true);
      expect(ok('{a: 1}', 'JSON')).toBe(false);
      expect(ok('4111 1111 1111 1111', 'credit card')).toBe(true);
      expect(ok('Jane Doe', 'person name')).toBe(true);
      expect(ok('12abc', 'number')).toBe(false);
    });

    test('ask answers by the kind of question', () => {
      const ask = (text: string, q: string) => String(answer(request('ask', [text, q], 'VARCHAR')));
      expect(ask('@acme_support my order #4821 arrived broken', 'who is the target of this tweet?')).toBe('@acme_support');
      expect(ask('My order arrived broken, I want a refund', 'does the author want a refund?')).toMatch(/^Yes/);
      expect(ask('Made soup today', 'does the author want a refund?')).toMatch(/^No/);
      expect(ask('Je suis très content de la météo', 'what language is this?')).toContain('French');
    });

    test('llm recognises the instruction in its template', () => {
      const llm = (template: string, ...values: string[]) =>
        answer(request('llm', [template, ...values], 'VARCHAR', { prompt: template.replace('{{a}}', values[0] ?? '') }));
      expect(llm('Translate {{a}} to Spanish', 'I love coffee')).toBe('[es] Yo encanta café');
      expect(llm('Summarize: {{a}}', 'First sentence here. Second.')).toBe('First sentence here.');
      expect(llm('Is {{a}} spam?', 'Free followers! Click here #giveaway')).toBe('Yes');
      expect(llm('Is {{a}} spam?', 'Made soup today')).toBe('No');
      expect(llm('Rewrite {{a}} in capital letters.', 'quiet please')).toBe('QUIET PLEASE');
      expect(llm('Put {{a}} in lowercase', 'LOUD Noises')).toBe('loud noises');
    });

    test('strict instructions raise the bar for MEANS', () => {
      // One complaint word passes by default; strict needs more evidence.
      const strict = ['be strict about what counts as a complaint'];
      expect(means('The update is slow', 'complaint')).toBe(true);
      expect(means('The update is slow', 'complaint', strict)).toBe(false);
      expect(means('Slow, buggy, and I want a refund', 'complaint', strict)).toBe(true);
    });
  });

  describe('user-defined operators', () => {
    test('are answered by return type from the rendered prompt', () => {
      const spam = request('is_spam', ['Free followers! Click here'], 'BOOLEAN', { prompt: 'Is this tweet spam? Free followers! Click here' });
      expect(answer(spam)).toBe(true);
      const refutes = request('refutes', ['SQL is thriving', 'SQL is dead'], 'BOOLEAN', { prompt: 'Does "SQL is thriving" refute "SQL is dead"?' });
      expect(answer(refutes)).toBe(true);
      const stars = request('stars', ['Great product, love it'], 'DOUBLE', { prompt: 'Rate the sentiment of: Great product, love it', range: [1, 5] });
      const value = answer(stars) as number;
      expect(value).toBeGreaterThan(3.5);
      expect(value).toBeLessThanOrEqual(5);
      const slogan = request('slogan', ['DuckDB'], 'VARCHAR', { prompt: 'Write a slogan for DuckDB' });
      expect(typeof answer(slogan)).toBe('string');
    });
  });
});
