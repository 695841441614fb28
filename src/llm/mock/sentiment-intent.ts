/**
 * Criteria that ask for a polarity: "a positive review", "complains about a delivery", "the customer
 * is unhappy". Such a criterion is judged by the text's sentiment (plus its topic, if it names one),
 * not by the words it shares with the text: word overlap put `review MEANS 'a positive review'` at
 * 29% agreement with gold labels on movie reviews, below always answering yes.
 *
 * The nouns "complaint" and "praise" stay with the concept lexicon: a complaint is about a problem
 * (a refund, a broken order), and a sad text is not one.
 */
import { features, isMetaWord } from './text-features';

export type Polarity = 1 | 0 | -1;

export interface SentimentIntent {
  polarity: Polarity;
  /** What the criterion is about besides its polarity ("a delivery"); empty when it is only a polarity. */
  topic: string;
}

const POLARITY_WORDS: ReadonlyMap<string, Polarity> = new Map([
  ...[
    'positive',
    'positively',
    'favourable',
    'favorable',
    'favourably',
    'favorably',
    'happy',
    'satisfied',
    'pleased',
    'glad',
    'delighted',
    'enthusiastic',
    'praises',
    'praising',
    'praised',
    'likes',
    'liked',
    'loves',
    'loved',
    'enjoys',
    'enjoyed',
    'recommends',
    'recommended',
    'recommend',
    'approves',
    'good',
    'great',
    'excellent',
    'upbeat',
    'optimistic',
  ].map((w) => [w, 1] as const),
  ...[
    'negative',
    'negatively',
    'unfavourable',
    'unfavorable',
    'unhappy',
    'dissatisfied',
    'unsatisfied',
    'disappointed',
    'angry',
    'upset',
    'annoyed',
    'frustrated',
    'complains',
    'complaining',
    'complained',
    'complain',
    'criticises',
    'criticizes',
    'criticising',
    'criticizing',
    'critical',
    'dislikes',
    'disliked',
    'hates',
    'hated',
    'bad',
    'poor',
    'terrible',
    'awful',
    'pessimistic',
    'rant',
    'ranting',
  ].map((w) => [w, -1] as const),
  ['neutral', 0],
]);

/** Words that only say what kind of text is judged: "a positive review" is just "positive". */
const FILLER = new Set([
  'review',
  'reviews',
  'reviewer',
  'comment',
  'comments',
  'feedback',
  'opinion',
  'opinions',
  'statement',
  'sentence',
  'customer',
  'customers',
  'experience',
  'sentiment',
  'tone',
  'overall',
  'very',
  'really',
  'quite',
  'mostly',
  'rather',
  'generally',
  'towards',
  'toward',
  'it',
  'this',
  'that',
  'is',
  'are',
  'was',
  'likely',
  'much',
  'how',
  'does',
  'do',
  'did',
  'would',
  'will',
]);

export function sentimentIntent(criterion: string): SentimentIntent | undefined {
  const words = criterion.toLowerCase().match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  let polarity: Polarity | undefined;
  const rest: string[] = [];
  for (const word of words) {
    const p = POLARITY_WORDS.get(word);
    if (p !== undefined && polarity === undefined) polarity = p;
    else if (p === undefined && !FILLER.has(word)) rest.push(word);
  }
  if (polarity === undefined) return undefined;
  const topic = rest.join(' ');
  // "a positive one", "the author is happy": no content word beyond meta words means no topic.
  const hasTopic = features(topic).content.some((s) => !isMetaWord(s));
  return { polarity, topic: hasTopic ? topic : '' };
}

/** A label on a sentiment scale: "positive", "Very Negative", "neutral", "bad". */
export interface PolarLabel {
  polarity: Polarity;
  /** How far along its side of the scale: "slightly" 0.25, plain 0.5, "very" 0.85. */
  strength: number;
}

const LABEL_POLARITY: ReadonlyMap<string, Polarity> = new Map([
  ...['positive', 'pos', 'good', 'happy', 'satisfied', 'favorable', 'favourable', 'praise', 'like', 'love'].map((w) => [w, 1] as const),
  ...['negative', 'neg', 'bad', 'unhappy', 'angry', 'dissatisfied', 'unfavorable', 'unfavourable', 'complaint', 'dislike', 'hate'].map((w) => [w, -1] as const),
  ...['neutral', 'mixed', 'objective', 'indifferent'].map((w) => [w, 0] as const),
]);

const STRENGTH: ReadonlyMap<string, number> = new Map([
  ...['very', 'strongly', 'extremely', 'highly', 'really'].map((w) => [w, 0.85] as const),
  ...['slightly', 'somewhat', 'mildly', 'mostly', 'weakly'].map((w) => [w, 0.25] as const),
]);

export function polarLabel(label: string): PolarLabel | undefined {
  const words = label
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter((w) => w !== '');
  const last = words.pop();
  const polarity = last === undefined ? undefined : LABEL_POLARITY.get(last);
  if (polarity === undefined || words.length > 1) return undefined;
  const modifier = words[0];
  const strength = modifier === undefined ? 0.5 : STRENGTH.get(modifier);
  return strength === undefined ? undefined : { polarity, strength };
}
