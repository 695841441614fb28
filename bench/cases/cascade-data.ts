import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Issue 19's second dataset for bench case `cascade`: customer messages judged by one criterion,
 * some clear and some ambiguous. Clear rows say outright what they are (an angry message about a late
 * delivery, or a happy message about something else), so a cheap proxy and the model agree on them;
 * ambiguous rows share words with the criterion without meeting it, or meet it without its words,
 * and are where the proxy is unsure. Pure and deterministic by seed; every text is distinct, since
 * the engine asks the model once per distinct input.
 */
export const CASCADE_CRITERION = 'complains about a late delivery';

/** What a row is; the gold label follows from the kind. */
export type CascadeRowKind =
  /** Angry about a delivery that came late (gold yes). */
  | 'late-delivery-complaint'
  /** Happy and about something else: food, sport, a holiday (gold no). */
  | 'unrelated-praise'
  /** Still waiting past a promised date, without "late" or "delivery" (gold yes). */
  | 'veiled-complaint'
  /** A delivery that was late, and the writer did not mind (gold no). */
  | 'late-but-fine'
  /** A delivery that came on time (gold no). */
  | 'on-time-delivery'
  /** Angry about the product, not its delivery (gold no). */
  | 'product-complaint';

export interface CascadeRow {
  id: number;
  text: string;
  /** Whether a careful reader would say the text meets the criterion. */
  gold: boolean;
  clear: boolean;
  kind: CascadeRowKind;
}

const ITEMS = [
  'blender',
  'sofa',
  'desk lamp',
  'coffee grinder',
  'winter coat',
  'phone case',
  'bookshelf',
  'kettle',
  'rug',
  'office chair',
  'headphones',
  'mattress',
  'bike helmet',
  'toaster',
  'backpack',
  'printer',
  'frying pan',
  'garden hose',
  'monitor',
  'suitcase',
];
const SPANS = ['two days', 'three days', 'four days', 'a week', 'ten days', 'two weeks', 'three weeks', 'a month'];
const DISHES = ['lentil soup', 'sourdough bread', 'tacos', 'a lemon cake', 'ramen', 'a curry', 'pizza', 'a salad'];
const PLACES = ['Lisbon', 'the coast', 'Kyoto', 'the mountains', 'Rome', 'the lake', 'Oslo', 'the beach'];
const NAMES = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elif',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Marta',
  'Nico',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
];

type Slots = { item: string; span: string; dish: string; place: string };
type Template = (s: Slots) => string;

const TEMPLATES: Record<CascadeRowKind, readonly Template[]> = {
  'late-delivery-complaint': [
    (s) => `My ${s.item} delivery is ${s.span} late and nobody answers. Terrible service, I am furious.`,
    (s) => `The courier delivered my ${s.item} ${s.span} late. Awful, unacceptable delivery, I want a refund.`,
    (s) => `Late delivery again: the ${s.item} came ${s.span} late. Worst shipping ever, very angry.`,
    (s) => `I am so frustrated, my ${s.item} was delivered ${s.span} late and the delivery tracking lied.`,
  ],
  'unrelated-praise': [
    (s) => `Made ${s.dish} for dinner tonight and it was delicious, the whole family loved it.`,
    (s) => `What a wonderful trip to ${s.place}, the weather was perfect and the food amazing.`,
    () => `Great football match yesterday, our team played brilliantly and won the league game.`,
    (s) => `Baked ${s.dish} with my kids this weekend, such a fun and happy afternoon.`,
  ],
  'veiled-complaint': [
    (s) => `Still waiting for the ${s.item}, ${s.span} past the promised date. This is getting ridiculous.`,
    (s) => `Where is my ${s.item}? Paid ${s.span} ago and it is nowhere to be seen.`,
    (s) => `Promised by Friday, the ${s.item} has not shown up after ${s.span}. Not happy at all.`,
    (s) => `It has been ${s.span} and counting, no sign of the ${s.item} I paid for. Fed up.`,
  ],
  'late-but-fine': [
    (s) => `The ${s.item} arrived ${s.span} late, but that was fine with me, no rush.`,
    (s) => `Delivery of the ${s.item} was ${s.span} late, which I did not mind at all.`,
    (s) => `My ${s.item} came ${s.span} late; honestly no problem, it works well.`,
    (s) => `A late delivery of the ${s.item}, ${s.span} after the estimate, and still a nice surprise.`,
  ],
  'on-time-delivery': [
    (s) => `The ${s.item} was delivered on time and well packed.`,
    (s) => `Delivery of my ${s.item} was right on schedule, the courier was polite.`,
    (s) => `Ordered the ${s.item} and the package arrived exactly when promised.`,
    (s) => `The ${s.item} delivery came on the expected day, tracking was accurate.`,
  ],
  'product-complaint': [
    (s) => `The ${s.item} broke after ${s.span}. Terrible quality, I want my money back.`,
    (s) => `Awful ${s.item}: it stopped working within ${s.span}, complete waste of money.`,
    (s) => `I am angry, the ${s.item} is defective and support ignored me for ${s.span}.`,
    (s) => `Worst ${s.item} I ever bought, it fell apart in ${s.span}.`,
  ],
};

const GOLD: Record<CascadeRowKind, boolean> = {
  'late-delivery-complaint': true,
  'unrelated-praise': false,
  'veiled-complaint': true,
  'late-but-fine': false,
  'on-time-delivery': false,
  'product-complaint': false,
};

const AMBIGUOUS_NEGATIVE: readonly CascadeRowKind[] = ['late-but-fine', 'on-time-delivery', 'product-complaint'];

export interface CascadeDataOptions {
  rows: number;
  seed: number;
  /** Share of clear rows; the rest are ambiguous. */
  clearShare?: number;
  /** Share of gold positives, in the clear and the ambiguous rows alike. */
  positiveShare?: number;
}

export function cascadeDataset(options: CascadeDataOptions): CascadeRow[] {
  const { rows, clearShare = 0.85, positiveShare = 0.3 } = options;
  const rng = xoroshiro128plus(options.seed);
  const pick = <T>(list: readonly T[]): T => list[uniformInt(rng, 0, list.length - 1)] as T;
  const seen = new Set<string>();
  const out: CascadeRow[] = [];
  for (let attempts = 0; out.length < rows; attempts++) {
    if (attempts > 20 * rows) throw new RangeError(`cascadeDataset: cannot make ${rows} distinct texts`);
    const clear = uniformFloat64(rng) < clearShare;
    const positive = uniformFloat64(rng) < positiveShare;
    const kind: CascadeRowKind = clear ? (positive ? 'late-delivery-complaint' : 'unrelated-praise') : positive ? 'veiled-complaint' : pick(AMBIGUOUS_NEGATIVE);
    const slots = { item: pick(ITEMS), span: pick(SPANS), dish: pick(DISHES), place: pick(PLACES) };
    // A signature keeps texts distinct without words the criterion or a topic lexicon would read.
    const text = `${pick(TEMPLATES[kind])(slots)} (${pick(NAMES)} ${String.fromCharCode(65 + uniformInt(rng, 0, 25))}.)`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ id: out.length + 1, text, gold: GOLD[kind], clear, kind });
  }
  return out;
}
