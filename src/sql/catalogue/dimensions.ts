import { count, group, LABELS, oneOf, optional, text, TEXT, type OperatorSpec } from './define';
import type { OperatorArg } from '../types';

/**
 * Dimensions (LARS's semantic GROUP BY): `GROUP BY toxicity(text)` labels each row. A `proposed`
 * dimension first proposes labels over the column (one call over the level's whole input: the
 * operator itself, its first argument collected), then labels every row with one of them (its label
 * operator, `<name>_label`, one call per distinct value). A `fixed` one knows its labels and labels
 * each row directly. Outside GROUP BY a dimension still labels each row, as LARS does; inside a
 * grouped level where it is not a key, it answers for the group (its proposed labels).
 */
interface Proposed {
  name: string;
  /** The dimension in a few words, for the prompts: "toxicity level". */
  noun: string;
  /** The modifiers after the source column, as LARS orders them. */
  modifiers: OperatorArg[];
  /** The propose step's instructions after "Propose the ..." (placeholders name the modifiers). */
  propose: string;
  description: string;
  examples: string[];
  infix?: string[];
  internal?: boolean;
  ungrouped?: 'label' | 'aggregate';
  lars?: string[];
}

function proposed(d: Proposed): OperatorSpec[] {
  const label = d.name === 'topics' ? 'topic_label' : `${d.name}_label`;
  const dimension: OperatorSpec = {
    name: d.name,
    args: [group('values'), ...d.modifiers],
    returns: 'VARCHAR',
    sqlType: 'VARCHAR (a label per row)',
    shape: 'dimension',
    prompt: `Propose the ${d.propose} Answer with the labels as a JSON array.`,
    outputSchema: LABELS,
    mock: d.name,
    description: d.description,
    examples: d.examples,
    labelOperator: label,
    dimension: { labels: 'proposed', ungrouped: d.ungrouped ?? 'label' },
  };
  for (const [key, value] of Object.entries({ infix: d.infix, internal: d.internal, lars: d.lars })) {
    if (value !== undefined) (dimension as unknown as Record<string, unknown>)[key] = value;
  }
  // The label step sees the dimension's modifiers too (stance needs its topic, toxicity its focus);
  // topic_label kept its two arguments, so answers cached before stay valid.
  const labeller: OperatorSpec = {
    name: label,
    args: [text(), text('labels'), ...(d.name === 'topics' ? [] : d.modifiers)],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt: `Which one of the ${d.noun} labels in {{labels}} (a JSON array) fits {{text}} best? Answer with the label exactly.`,
    outputSchema: TEXT,
    mock: label,
    description: `the ${d.noun} label of one row (step 2 of ${d.name}(...) as a dimension)`,
    examples: d.examples.slice(0, 1),
    internal: true,
  };
  return [dimension, labeller];
}

interface Fixed {
  name: string;
  labels: readonly string[];
  prompt: string;
  description: string;
  examples: string[];
  mock: string;
}

function fixed(d: Fixed): OperatorSpec {
  return {
    name: d.name,
    postfix: [`BY ${d.name.toUpperCase()}`],
    args: [text()],
    returns: 'VARCHAR',
    shape: 'dimension',
    prompt: d.prompt,
    outputSchema: d.name === 'language' ? TEXT : oneOf(d.labels),
    mock: d.mock,
    description: d.description,
    examples: d.examples,
    dimension: { labels: 'fixed', ungrouped: 'label' },
  };
}

const focus = optional('focus', "''");

export const DIMENSIONS: readonly OperatorSpec[] = [
  ...proposed({
    name: 'topics',
    noun: 'topic',
    modifiers: [count('n', '5'), optional('focus')],
    infix: ['TOPICS INTO', 'TOPICS'],
    propose: 'at most {{n}} distinct topic labels that together cover the texts in {{values}} (about {{focus}}, when given).',
    description: 'topic labels: in GROUP BY each row labelled with one; elsewhere the labels of the group (JSON array)',
    ungrouped: 'aggregate',
    examples: [
      'SELECT topics(text, 4) AS topic, count(*) AS n FROM tweets WHERE id <= 40 GROUP BY topics(text, 4) ORDER BY n DESC, topic',
      'SELECT text TOPICS INTO 3 AS topics FROM tweets WHERE id <= 20',
    ],
  }),
  ...proposed({
    name: 'vibes',
    noun: 'vibe',
    modifiers: [count('n', '5'), focus],
    infix: ['VIBES INTO', 'VIBES'],
    propose:
      'at most {{n}} one- or two-word vibes (moods, atmospheres) that together cover the texts in {{values}}, attending to {{focus}} when it is not empty.',
    description: 'the mood of each row, from a few vibes proposed over the column',
    examples: [
      'SELECT vibes(text, 3) AS vibe, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY vibe ORDER BY n DESC, vibe',
      'SELECT id, text VIBES 3 AS vibe FROM tweets WHERE id <= 3 ORDER BY id',
    ],
  }),
  ...proposed({
    name: 'sentiment_dimension',
    noun: 'sentiment',
    modifiers: [focus, count('num_levels', '5')],
    propose: 'sentiment labels for the texts in {{values}}: {{num_levels}} levels from most negative to most positive, about {{focus}} when it is not empty.',
    description: 'sentiment as a label (sentiment(x) as a GROUP BY key, or sentiment(x, focus[, levels]))',
    internal: true,
    lars: ['sentiment'],
    examples: ['SELECT sentiment(text) AS mood, count(*) AS n FROM tweets WHERE id <= 40 GROUP BY sentiment(text) ORDER BY n DESC, mood'],
  }),
  ...proposed({
    name: 'meaning_dimension',
    noun: 'cluster',
    modifiers: [count('num_clusters', '8'), optional('criterion', "''")],
    propose:
      'at most {{num_clusters}} cluster names (2 to 5 words each) that group the values in {{values}} by meaning, by {{criterion}} when it is not empty.',
    description: 'MEANING(x, n[, criterion]) as a GROUP BY key (LARS v2.4): each row labelled with one of n clusters proposed over the column',
    internal: true,
    lars: ['MEANING'],
    examples: [
      "SELECT MEANING(city, 3, 'geographic region') AS region, count(*) AS n FROM (VALUES ('New York'), ('Chicago'), ('Paris'), ('Berlin'), ('Tokyo'), ('Seoul')) AS t(city) GROUP BY MEANING(city, 3, 'geographic region') ORDER BY region",
    ],
  }),
  ...proposed({
    name: 'audience',
    noun: 'audience',
    modifiers: [optional('domain', "''")],
    propose: 'audiences (who each text is written for) among the texts in {{values}}, within the domain {{domain}} when it is not empty.',
    description: 'who the text is written for',
    examples: [
      "SELECT audience(t) AS reader, count(*) AS n FROM (VALUES ('Install the SDK with npm and call init()'), ('Our Q3 revenue grew 12%, beating guidance'), ('Kids, ask a grown-up before you bake')) AS v(t) GROUP BY reader ORDER BY reader",
    ],
  }),
  ...proposed({
    name: 'authenticity',
    noun: 'authenticity',
    modifiers: [focus],
    propose: 'authenticity labels (from genuine to fabricated or promotional) for the texts in {{values}}, attending to {{focus}} when it is not empty.',
    description: 'how genuine the text reads (genuine, exaggerated, promotional, suspicious)',
    examples: [
      "SELECT r, authenticity(r) AS label FROM (VALUES ('Bought it for my dad, he uses it daily.'), ('BEST PRODUCT EVER!!! BUY NOW!!! 100% AMAZING!!!')) AS t(r) ORDER BY r",
    ],
  }),
  ...proposed({
    name: 'bucket',
    noun: 'bucket',
    modifiers: [text('buckets'), optional('strict', "'false'")],
    propose: 'buckets for the texts in {{values}}: the comma-separated buckets in {{buckets}}, plus Other unless {{strict}} is true.',
    description: 'each row put in one of the given buckets',
    examples: ["SELECT bucket(text, 'food, tech, travel') AS b, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY b ORDER BY n DESC, b"],
  }),
  ...proposed({
    name: 'category',
    noun: 'category',
    modifiers: [optional('categories', "''"), optional('allow_other', "'true'")],
    propose:
      'categories for the texts in {{values}}: the comma-separated ones in {{categories}}, or 5 to 8 that fit when it is empty, with Other when {{allow_other}} is true.',
    description: 'a category per row, given or derived from the column',
    examples: ['SELECT category(text) AS c, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY c ORDER BY n DESC, c'],
  }),
  ...proposed({
    name: 'credibility',
    noun: 'credibility',
    modifiers: [optional('strictness', "'balanced'"), count('num_levels', '5')],
    propose: '{{num_levels}} credibility levels, least credible first, for judging the texts in {{values}} with {{strictness}} strictness.',
    description: 'how credible each text reads',
    examples: [
      "SELECT claim, credibility(claim) AS level FROM (VALUES ('Studies show water boils at 100 C at sea level.'), ('Doctors HATE this one weird trick!!!')) AS t(claim) ORDER BY claim",
    ],
  }),
  ...proposed({
    name: 'engagement',
    noun: 'engagement',
    modifiers: [optional('platform', "''")],
    propose: 'engagement levels (how likely readers are to respond) for the texts in {{values}} on the platform {{platform}} when it is not empty.',
    description: 'how likely the text is to draw responses',
    examples: ["SELECT engagement(text, 'twitter') AS e, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY e ORDER BY n DESC, e"],
  }),
  ...proposed({
    name: 'intent',
    noun: 'intent',
    modifiers: [optional('intents', "''")],
    propose: 'intents (what the writer wants) for the texts in {{values}}: the comma-separated ones in {{intents}}, or ones that fit when it is empty.',
    description: 'what the writer wants (question, complaint, request, praise, ...)',
    examples: [
      "SELECT m, intent(m) AS wants FROM (VALUES ('How do I reset my password?'), ('My order arrived broken, I want a refund'), ('Love the new update, great work')) AS t(m) ORDER BY m",
    ],
  }),
  ...proposed({
    name: 'narrative',
    noun: 'narrative',
    modifiers: [optional('context', "''")],
    propose: 'narratives (the story each text tells or supports) among the texts in {{values}}, in the context {{context}} when it is not empty.',
    description: 'the story or frame the text supports',
    examples: ['SELECT narrative(text) AS story, count(*) AS n FROM tweets WHERE id <= 20 GROUP BY story ORDER BY n DESC, story'],
  }),
  ...proposed({
    name: 'stance',
    noun: 'stance',
    modifiers: [optional('topic', "''"), optional('stances', "''")],
    propose: 'stances on {{topic}} taken by the texts in {{values}}: the comma-separated ones in {{stances}}, or for, against and neutral when it is empty.',
    description: 'the position the text takes on a topic',
    examples: [
      "SELECT opinion, stance(opinion, 'remote work') AS position FROM (VALUES ('Working from home made me twice as productive'), ('Offices are essential for collaboration'), ('I have no strong feelings either way')) AS t(opinion) ORDER BY opinion",
    ],
  }),
  ...proposed({
    name: 'timeframe',
    noun: 'time frame',
    modifiers: [optional('granularity', "'time_of_day'")],
    propose: 'time frames at the granularity {{granularity}} (time_of_day, season, weather or duration) for the texts in {{values}}.',
    description: 'when the text is set (time of day, season, weather or duration)',
    examples: [
      "SELECT note, timeframe(note) AS at FROM (VALUES ('Woke up at 6am for a run'), ('Dinner with friends tonight'), ('Coffee break after lunch')) AS t(note) ORDER BY note",
    ],
  }),
  ...proposed({
    name: 'toxicity',
    noun: 'toxicity level',
    modifiers: [focus, count('num_levels', '5')],
    propose: '{{num_levels}} toxicity levels, mildest first, for the texts in {{values}}, attending to {{focus}} when it is not empty.',
    description: 'how toxic the text is, on a few levels',
    examples: [
      "SELECT m, toxicity(m) AS level FROM (VALUES ('Thanks for the help, much appreciated'), ('You are an idiot and everyone hates you')) AS t(m) ORDER BY m",
    ],
  }),
  ...proposed({
    name: 'virality',
    noun: 'virality',
    modifiers: [optional('mechanism', "''")],
    propose: 'virality levels (how likely each text is to spread) for the texts in {{values}}, judged by the mechanism {{mechanism}} when it is not empty.',
    description: 'how likely the text is to spread',
    examples: ['SELECT virality(text) AS spread, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY spread ORDER BY n DESC, spread'],
  }),
  fixed({
    name: 'formality',
    labels: ['very_formal', 'formal', 'neutral', 'informal', 'very_informal'],
    prompt: 'How formal is {{text}}: very_formal, formal, neutral, informal or very_informal? Answer with the label only.',
    description: 'how formal the text is (very_formal ... very_informal)',
    mock: 'formality',
    examples: [
      "SELECT formality('Dear Sir or Madam, I am writing to inquire about your services.') AS register",
      'SELECT formality(text) AS register, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY text BY FORMALITY ORDER BY n DESC, register',
    ],
  }),
  fixed({
    name: 'language',
    labels: [],
    prompt: 'Which language is {{text}} written in? Answer with its ISO 639-1 code (en, fr, de, ...), or with numeric, code or unknown.',
    description: 'the language of the text (ISO 639-1 code)',
    mock: 'language',
    examples: [
      'SELECT language(text) AS lang, count(*) AS n FROM tweets WHERE id <= 40 GROUP BY lang ORDER BY n DESC, lang',
      "SELECT 'Wie geht es dir heute?' BY LANGUAGE AS lang",
    ],
  }),
  fixed({
    name: 'complexity',
    labels: ['simple', 'moderate', 'complex', 'technical'],
    prompt: 'How complex is {{text}} to read: simple, moderate, complex or technical? Answer with the label only.',
    description: 'how hard the text is to read (simple, moderate, complex, technical)',
    mock: 'complexity',
    examples: [
      "SELECT complexity('The cat sat on the mat.') AS a, complexity('The asymptotic complexity of the algorithm is dominated by the heap operations in its inner loop.') AS b",
    ],
  }),
  fixed({
    name: 'domain',
    labels: ['technology', 'business', 'science', 'health', 'politics', 'sports', 'entertainment', 'food', 'travel', 'education', 'general'],
    prompt:
      'Which domain is {{text}} about: technology, business, science, health, politics, sports, entertainment, food, travel, education or general? Answer with the label only.',
    description: 'the subject area of the text',
    mock: 'domain',
    examples: ['SELECT domain(text) AS area, count(*) AS n FROM tweets WHERE id <= 30 GROUP BY text BY DOMAIN ORDER BY n DESC, area'],
  }),
];
