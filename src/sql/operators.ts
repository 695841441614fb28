import { DUCKDB_FUNCTIONS } from './duckdb-builtins';
import type { JsonSchema, OperatorArg, OperatorDef } from './types';

/**
 * Operator names we do not claim as bare function spellings because DuckDB already defines them
 * (checked against duckdb_functions() of DuckDB v1.4.3): `translate(a, from, to)` is DuckDB's
 * character replacement, so the semantic one is only `smart_translate` / `semantic_translate`.
 * `semantic_<name>(...)` always works.
 */
export const DUCKDB_BUILTIN_SHADOW_GUARD: readonly string[] = ['translate'];

export const UDF_PREFIX = '__sem_';

/** Version of every built-in prompt and schema; bump it when any of them changes meaning. */
const BUILTIN_VERSION = '2';

const BOOLEAN: JsonSchema = { type: 'boolean' };
const UNIT: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const TEXT: JsonSchema = { type: 'string' };
const LABELS: JsonSchema = { type: 'array', items: { type: 'string' } };

/** A built-in as written below: an OperatorDef less what `builtin()` derives (udf, version, spellings). */
type BuiltinSpec = Omit<OperatorDef, 'version' | 'spellings' | 'udf' | 'builtin' | 'score'> & {
  infix?: string[][];
  /** Extra function spellings besides <name> and semantic_<name>. */
  aliases?: string[];
  /** Set false for operators reached only through a rewrite. */
  bareName?: boolean;
  score?: boolean;
};

/** The function names that reach an operator: <name>, semantic_<name>, aliases, minus the guard. */
export function functionSpellings(name: string, aliases: readonly string[] = [], bare = true): string[] {
  const names = [...(bare ? [name] : []), `semantic_${name}`, ...aliases];
  return names.filter((n) => !DUCKDB_BUILTIN_SHADOW_GUARD.includes(n) && !DUCKDB_FUNCTIONS.has(n));
}

function builtin(spec: BuiltinSpec): OperatorDef {
  const def: OperatorDef = {
    name: spec.name,
    version: BUILTIN_VERSION,
    spellings: {
      infix: spec.infix ?? [],
      functions: spec.internal === true ? [] : functionSpellings(spec.name, spec.aliases, spec.bareName ?? true),
    },
    args: spec.args,
    returns: spec.returns,
    shape: spec.shape,
    prompt: spec.prompt,
    outputSchema: spec.outputSchema,
    udf: UDF_PREFIX + spec.name,
    builtin: true,
    example: spec.example,
    description: spec.description,
    score: spec.score ?? false,
  };
  if (spec.range !== undefined) def.range = spec.range;
  if (spec.aggregateVariant !== undefined) def.aggregateVariant = spec.aggregateVariant;
  if (spec.labelOperator !== undefined) def.labelOperator = spec.labelOperator;
  if (spec.internal !== undefined) def.internal = spec.internal;
  return def;
}

const text = (name = 'text'): OperatorArg => ({ name, type: 'VARCHAR' });
const values: OperatorArg = { name: 'values', type: 'VARCHAR', group: true };
const count = (fallback: string): OperatorArg => ({ name: 'n', type: 'INTEGER', optional: true, default: fallback });

export const BUILTIN_OPERATORS: readonly OperatorDef[] = [
  builtin({
    name: 'matches',
    infix: [['MEANS'], ['MATCHES'], ['~']],
    args: [text(), text('criterion')],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Does {{text}} match {{criterion}}?',
    outputSchema: BOOLEAN,
    example: "SELECT * FROM tweets WHERE text MEANS 'complains about a delivery'",
    description: 'true when the text fits the criterion',
  }),
  builtin({
    name: 'score',
    infix: [['ABOUT'], ['RELEVANCE', 'TO']],
    args: [text(), text('topic')],
    returns: 'DOUBLE',
    range: [0, 1],
    shape: 'scalar',
    prompt: 'How relevant is {{text}} to {{topic}}, from 0 (not at all) to 1 (entirely)?',
    outputSchema: UNIT,
    example: "SELECT * FROM tweets ORDER BY text RELEVANCE TO 'databases' LIMIT 10",
    description: 'relevance of the text to a topic, 0 to 1',
    score: true,
  }),
  builtin({
    name: 'aligns',
    infix: [['ALIGNS', 'WITH'], ['ALIGNS']],
    args: [text(), text('statement')],
    returns: 'DOUBLE',
    range: [0, 1],
    shape: 'scalar',
    prompt: 'How far does {{text}} agree with {{statement}}, from 0 (opposes it) to 1 (fully supports it)?',
    outputSchema: UNIT,
    example: "SELECT id, text ALIGNS 'SQL is good for AI' AS score FROM tweets",
    description: 'agreement of the text with a statement, 0 to 1',
    score: true,
  }),
  builtin({
    name: 'implies',
    infix: [['IMPLIES']],
    args: [text('premise'), text('conclusion')],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Does {{premise}} imply {{conclusion}}?',
    outputSchema: BOOLEAN,
    example: "SELECT * FROM tweets WHERE text IMPLIES 'the author uses DuckDB'",
    description: 'true when the first text entails the second',
  }),
  builtin({
    name: 'contradicts',
    infix: [['CONTRADICTS']],
    args: [text(), text('claim')],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Does {{text}} contradict {{claim}}?',
    outputSchema: BOOLEAN,
    example: "SELECT * FROM tweets WHERE text CONTRADICTS 'SQL is dead'",
    description: 'true when the texts cannot both be true',
  }),
  builtin({
    name: 'similar_to',
    infix: [['SIMILAR_TO']],
    args: [text('a'), text('b')],
    returns: 'DOUBLE',
    range: [0, 1],
    shape: 'scalar',
    prompt: 'How similar in meaning are {{a}} and {{b}}, from 0 (unrelated) to 1 (the same)?',
    outputSchema: UNIT,
    example: "SELECT * FROM tweets WHERE text SIMILAR_TO 'I love query engines' > 0.8",
    description: 'semantic similarity of two texts, 0 to 1',
    score: true,
  }),
  builtin({
    name: 'same_as',
    infix: [['SAME_AS']],
    args: [text('a'), text('b'), { name: 'entity_type', type: 'VARCHAR', optional: true }],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Do {{a}} and {{b}} refer to the same thing, of the kind named in {{entity_type}}?',
    outputSchema: BOOLEAN,
    example: "SELECT * FROM tweets t JOIN labels l ON t.author SAME_AS l.label AS 'person'",
    description: 'true when both texts name the same entity',
  }),
  builtin({
    name: 'ask',
    infix: [['ASK']],
    args: [text(), text('prompt')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Answer the question in {{prompt}} about {{text}}.',
    outputSchema: TEXT,
    example: "SELECT text ASK 'who is the target of this tweet?' FROM tweets",
    description: 'answer a free-form question about the text',
  }),
  builtin({
    name: 'extracts',
    infix: [['EXTRACTS']],
    args: [text(), text('what')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Extract what {{what}} describes from {{text}}. Answer with the extracted value only, or null if absent.',
    outputSchema: { type: ['string', 'null'] },
    example: "SELECT text EXTRACTS 'the product name' AS product FROM tweets",
    description: 'the part of the text that answers "what"',
  }),
  builtin({
    name: 'classify',
    args: [text(), text('categories')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Classify {{text}} into exactly one of the comma-separated categories in {{categories}}.',
    outputSchema: TEXT,
    example: "SELECT classify(text, 'bug,feature,question') AS kind FROM tweets",
    description: 'one of the given categories',
    aggregateVariant: 'classify_agg',
  }),
  builtin({
    name: 'classify_agg',
    bareName: true,
    args: [values, text('categories')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'Classify the group of texts {{values}} as a whole into exactly one of the comma-separated categories in {{categories}}.',
    outputSchema: TEXT,
    example: "SELECT author, classify(text, 'fan,critic,neutral') FROM tweets GROUP BY author",
    description: 'one category for a whole group (classify over a group)',
  }),
  builtin({
    name: 'sentiment',
    args: [text()],
    returns: 'DOUBLE',
    range: [-1, 1],
    shape: 'scalar',
    prompt: 'Rate the sentiment of {{text}} from -1 (very negative) to 1 (very positive).',
    outputSchema: { type: 'number', minimum: -1, maximum: 1 },
    example: 'SELECT id, sentiment(text) FROM tweets',
    description: 'sentiment from -1 to 1',
  }),
  builtin({
    name: 'condense',
    aliases: ['tldr'],
    args: [text()],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Condense {{text}} to one short sentence.',
    outputSchema: TEXT,
    example: 'SELECT tldr(text) FROM tweets',
    description: 'a one-sentence summary of one text',
  }),
  builtin({
    name: 'translate',
    infix: [['TRANSLATED', 'TO']],
    aliases: ['smart_translate'],
    args: [text(), text('language')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Translate {{text}} into the language named in {{language}}. Answer with the translation only.',
    outputSchema: TEXT,
    example: "SELECT text TRANSLATED TO 'French' FROM tweets",
    description: 'the text in another language',
  }),
  builtin({
    name: 'parse',
    infix: [['PARSE']],
    args: [text(), text('instruction')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Parse {{text}} as {{instruction}} describes, and answer with JSON text only.',
    outputSchema: TEXT,
    example: "SELECT text PARSE 'a JSON object with keys product and price' FROM tweets",
    description: 'structured data (JSON text) parsed out of the text',
  }),
  builtin({
    name: 'valid',
    infix: [['IS', 'VALID']],
    args: [text(), text('kind')],
    returns: 'BOOLEAN',
    shape: 'scalar',
    prompt: 'Is {{text}} a valid instance of the kind named in {{kind}}?',
    outputSchema: BOOLEAN,
    example: "SELECT * FROM tweets WHERE author IS VALID 'person name'",
    description: 'true when the text is a valid instance of the type',
  }),
  builtin({
    name: 'llm',
    args: [text('prompt'), { name: 'values', type: 'VARCHAR', optional: true, variadic: true }],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: '{{prompt}}',
    outputSchema: TEXT,
    example: "SELECT llm('Is {{a}} written by a bot?', text) FROM tweets",
    description: 'any prompt; {{a}}, {{b}}, ... are the following arguments',
  }),
  builtin({
    name: 'summarize',
    args: [values],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'Summarize the texts in {{values}} in a short paragraph.',
    outputSchema: TEXT,
    example: 'SELECT author, summarize(text) FROM tweets GROUP BY author',
    description: 'a summary of the group',
  }),
  builtin({
    name: 'themes',
    args: [values, count('5')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'List at most {{n}} main themes of the texts in {{values}} as short labels.',
    outputSchema: LABELS,
    example: 'SELECT themes(text, 3) FROM tweets',
    description: 'the main themes of the group (JSON array)',
  }),
  builtin({
    name: 'topics',
    args: [values, count('5')],
    returns: 'VARCHAR',
    shape: 'dimension',
    prompt: 'Propose at most {{n}} distinct topic labels that together cover the texts in {{values}}.',
    outputSchema: LABELS,
    example: 'SELECT topics(text, 4) AS topic, count(*) FROM tweets GROUP BY topics(text, 4)',
    description: 'topic labels for the group (JSON array); in GROUP BY, each row labelled with one',
    labelOperator: 'topic_label',
  }),
  builtin({
    name: 'topic_label',
    args: [text(), text('labels')],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: 'Which one of the labels in {{labels}} (a JSON array) fits {{text}} best? Answer with the label exactly.',
    outputSchema: TEXT,
    example: 'SELECT topics(text, 4) AS topic, count(*) FROM tweets GROUP BY topics(text, 4)',
    description: 'phase 2 of GROUP BY topics(x, n): the label of one row',
    internal: true,
  }),
  builtin({
    name: 'consensus',
    args: [values],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'What do the texts in {{values}} agree on? Answer in one or two sentences.',
    outputSchema: TEXT,
    example: 'SELECT consensus(text) FROM tweets WHERE text MEANS \'about pricing\'',
    description: 'what the group agrees on',
  }),
  builtin({
    name: 'dedupe',
    args: [values],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'From the texts in {{values}}, remove those that say the same thing as another; list the distinct ones.',
    outputSchema: LABELS,
    example: 'SELECT author, dedupe(text) FROM tweets GROUP BY author',
    description: 'the group without near-duplicates (JSON array)',
  }),
  builtin({
    name: 'outliers',
    args: [values, count('3')],
    returns: 'VARCHAR',
    shape: 'aggregate',
    prompt: 'Which at most {{n}} of the texts in {{values}} are the most unusual compared to the rest? Quote them.',
    outputSchema: LABELS,
    example: 'SELECT outliers(text, 3) FROM tweets',
    description: 'the most unusual values of the group (JSON array)',
  }),
  builtin({
    name: 'sentiment_agg',
    args: [values],
    returns: 'DOUBLE',
    range: [-1, 1],
    shape: 'aggregate',
    prompt: 'Rate the overall sentiment of the texts in {{values}} from -1 (very negative) to 1 (very positive).',
    outputSchema: { type: 'number', minimum: -1, maximum: 1 },
    example: 'SELECT author, sentiment_agg(text) FROM tweets GROUP BY author',
    description: 'overall sentiment of the group, -1 to 1',
  }),
];
