/**
 * The mock model's "world knowledge": a handful of concepts with their trigger words, a sentiment
 * lexicon and stopwords. Data only. Entries are surface words or short phrases; text-features.ts
 * stems them the same way it stems input text, so "crashes", "crashed" and "crash" all hit.
 *
 * The sample data (scripts/make-sample-data.mjs) is written against this vocabulary: complaint
 * words appear only in complaint tweets, so `text MEANS 'complaint'` finds about one row in ten.
 */

export interface Concept {
  id: string;
  /** A short human label; also what themes()/topics() propose, so it must map back to the concept. */
  label: string;
  words: readonly string[];
}

export const CONCEPTS: readonly Concept[] = [
  {
    id: 'complaint',
    label: 'Product complaints',
    words: [
      'complaint', 'complain', 'terrible', 'awful', 'broken', 'broke', 'refund', 'worst', 'slow', 'hate',
      'crash', 'useless', 'disappointed', 'disappointing', 'unacceptable', 'scam', 'ripoff', 'rip off',
      'waste', 'garbage', 'defective', 'damaged', 'overcharged', 'charged twice', 'still waiting',
      'no response', 'never again', 'money back', 'frustrated', 'frustrating', 'laggy', 'buggy', 'bad',
      'negative', 'critic', 'horrible', 'remboursement', 'cassé', 'nul', 'reembolso', 'roto', 'pésimo',
      'kaputt', 'erstattung', 'schrecklich', 'never arrived', 'missing', 'still not fixed',
    ],
  },
  {
    id: 'praise',
    label: 'Praise',
    words: [
      'praise', 'love', 'great', 'amazing', 'awesome', 'fast', 'excellent', 'fantastic', 'brilliant',
      'wonderful', 'impressed', 'impressive', 'thanks', 'thank', 'kudos', 'perfect', 'superb', 'smooth',
      'well done', 'fan', 'good', 'positive', 'best', 'delight', 'delightful', 'génial', 'genial',
      'encanta', 'toll', 'excelente',
    ],
  },
  {
    id: 'sql',
    label: 'SQL and databases',
    words: [
      'sql', 'query', 'database', 'db', 'duckdb', 'postgres', 'postgresql', 'mysql', 'sqlite', 'join',
      'select', 'index', 'table', 'schema', 'warehouse', 'olap', 'parquet', 'group by', 'cte', 'snowflake',
      'bigquery', 'clickhouse', 'dataframe', 'relational', 'datenbank', 'base de données', 'base de datos',
    ],
  },
  {
    id: 'ai',
    label: 'AI and LLMs',
    words: [
      'ai', 'llm', 'model', 'gpt', 'claude', 'gemini', 'machine learning', 'ml', 'neural network', 'agent',
      'chatbot', 'prompt', 'language model', 'transformer', 'embedding', 'rag', 'openai', 'anthropic',
      'artificial intelligence', 'hallucinate', 'hallucination', 'inference', 'fine tune', 'ia', 'ki',
    ],
  },
  {
    id: 'shipping',
    label: 'Orders and delivery',
    words: [
      'order', 'delivery', 'deliver', 'delivered', 'package', 'parcel', 'shipping', 'shipped', 'courier',
      'arrived', 'arrive', 'tracking', 'shipment', 'commande', 'pedido', 'paket', 'lieferung',
    ],
  },
  {
    id: 'support',
    label: 'Customer support',
    words: ['support', 'ticket', 'helpdesk', 'customer service', 'customer support', 'hotline', 'live chat'],
  },
  {
    id: 'bug',
    label: 'Bugs and crashes',
    words: [
      'bug', 'crash', 'error', 'glitch', 'broken', 'fail', 'failing', 'exception', 'regression',
      'segfault', 'outage', 'buggy', 'freezes up',
    ],
  },
  {
    id: 'feature',
    label: 'Feature requests',
    words: ['feature', 'feature request', 'please add', 'wish', 'roadmap', 'would love', 'dark mode', 'request'],
  },
  {
    id: 'question',
    label: 'Questions',
    words: ['question', 'anyone', 'wondering', 'advice', 'recommend', 'any tips', 'how do', 'what is the best'],
  },
  {
    id: 'cooking',
    label: 'Cooking and food',
    words: [
      'cook', 'cooking', 'recipe', 'bake', 'baking', 'bread', 'sourdough', 'pasta', 'dinner', 'lunch',
      'breakfast', 'soup', 'kitchen', 'oven', 'garlic', 'curry', 'tacos', 'pizza', 'cake', 'food', 'chef',
      'delicious', 'ramen', 'cuisine', 'cocina', 'kochen', 'salad', 'cookies',
    ],
  },
  {
    id: 'sports',
    label: 'Sports',
    words: [
      'sport', 'game', 'match', 'goal', 'team', 'season', 'football', 'soccer', 'basketball', 'tennis',
      'marathon', 'running', 'gym', 'coach', 'playoffs', 'league', 'referee', 'stadium', 'fútbol', 'fußball',
      'cycling', 'workout',
    ],
  },
  {
    id: 'animals',
    label: 'Animals and pets',
    words: [
      'animal', 'pet', 'cat', 'kitten', 'dog', 'puppy', 'parrot', 'bird', 'fish', 'horse', 'hamster', 'rabbit',
      'vet', 'zoo', 'wildlife', 'chien', 'chat', 'perro', 'gato', 'hund', 'katze',
    ],
  },
  {
    id: 'travel',
    label: 'Travel',
    words: [
      'travel', 'trip', 'flight', 'airport', 'hotel', 'vacation', 'holiday', 'beach', 'passport', 'luggage',
      'tourist', 'backpacking', 'itinerary', 'voyage', 'viaje', 'reise', 'road trip', 'hostel',
    ],
  },
  {
    id: 'weather',
    label: 'Weather',
    words: [
      'weather', 'rain', 'raining', 'sunny', 'snow', 'storm', 'heatwave', 'forecast', 'wind', 'windy',
      'cloudy', 'fog', 'umbrella', 'thunder', 'météo', 'pluie', 'lluvia', 'wetter', 'regen', 'drizzle',
    ],
  },
  {
    id: 'spam',
    label: 'Spam and promotions',
    words: [
      'spam', 'giveaway', 'free followers', 'cheap followers', 'click here', 'promo code', 'dm me', 'crypto',
      'airdrop', 'limited offer', 'buy now', 'followers', 'earn money', 'link in bio',
    ],
  },
  {
    id: 'humor',
    label: 'Jokes and sarcasm',
    words: ['lol', 'lmao', 'joke', 'haha', 'funny', 'plot twist', 'sarcasm', 'meme', 'pun'],
  },
  {
    id: 'pricing',
    label: 'Pricing and cost',
    words: ['price', 'pricing', 'cost', 'expensive', 'cheap', 'subscription', 'fee', 'billing', 'invoice', 'discount'],
  },
  {
    id: 'release',
    label: 'Releases and updates',
    words: ['release', 'update', 'version', 'launch', 'changelog', 'upgrade', 'new feature', 'beta'],
  },
];

/** Words that carry no topic: never counted as content when matching a text against a criterion. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from',
  'as', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'it', 'its', 'this', 'that', 'these',
  'those', 'i', 'me', 'my', 'we', 'our', 'you', 'your', 'he', 'she', 'they', 'them', 'their', 'his',
  'her', 'him', 'us', 'do', 'does', 'did', 'have', 'has', 'had', 'so', 'just', 'than', 'then', 'there',
  'here', 'what', 'which', 'who', 'whom', 'when', 'where', 'why', 'how', 'all', 'any', 'some', 'more',
  'most', 'very', 'really', 'too', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'must',
  'into', 'out', 'up', 'down', 'over', 'again', 'once', 'also', 'still', 'yet', 'about', 'one', 'get',
  'got', 'im', 've', 'll', 're', 's', 't', 'd', 'm', 'now', 'today', 'every', 'each', 'much', 'many',
  'le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'est', 'el', 'los', 'las', 'y', 'es', 'en',
  'der', 'die', 'das', 'und', 'ist', 'ein', 'eine', 'mit',
]);

/** Words that describe the question, not the topic ("the author mentions ..."). */
export const META_WORDS: ReadonlySet<string> = new Set([
  'text', 'tweet', 'post', 'message', 'author', 'writer', 'user', 'someone', 'something', 'thing',
  'mention', 'mentions', 'talk', 'talks', 'discuss', 'discusses', 'say', 'says', 'use', 'uses', 'using',
  'about', 'regarding', 'related', 'topic', 'whether', 'contains', 'express', 'expresses', 'kind', 'type',
  'sort', 'refers', 'person', 'people', 'want', 'wants', 'need', 'needs', 'feel', 'feels', 'think', 'thinks',
  'seem', 'seems', 'written', 'write', 'writes', 'following', 'tweets', 'texts', 'posts', 'product', 'products',
]);

export const NEGATIONS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'without', 'hardly', 'cannot', 'dont', 'doesnt',
  'isnt', 'cant', 'wont', 'didnt', 'wasnt', 'arent', 'nor', 'ne', 'pas', 'nunca', 'nicht', 'kein', 'keine',
]);

export const INTENSIFIERS: ReadonlySet<string> = new Set([
  'very', 'really', 'so', 'super', 'extremely', 'totally', 'absolutely', 'incredibly', 'seriously', 'truly',
]);

/** Sentiment weights in the AFINN style (−4..4). */
export const SENTIMENT_WORDS: Readonly<Record<string, number>> = {
  love: 3, great: 3, amazing: 4, awesome: 4, excellent: 3, fantastic: 4, brilliant: 3, wonderful: 4,
  good: 2, nice: 2, happy: 3, glad: 2, best: 3, perfect: 3, impressed: 3, impressive: 3, fast: 1,
  smooth: 2, easy: 1, fun: 2, cool: 1, beautiful: 3, delicious: 3, enjoy: 2, thanks: 2, thank: 2,
  kudos: 3, win: 2, won: 2, alive: 2, helpful: 2, elegant: 2, powerful: 2, solid: 1, favorite: 2,
  yay: 2, wow: 2, superb: 4, recommend: 2, lovely: 3, incredible: 3, underrated: 1, delight: 3,
  excited: 3, proud: 2, works: 1, thriving: 3, future: 1, better: 2, positive: 2, agree: 1,
  génial: 3, genial: 3, encanta: 3, super: 2, toll: 2, excelente: 3, merci: 2, gracias: 2, danke: 2,
  terrible: -3, awful: -3, broken: -2, worst: -3, slow: -2, hate: -3, crash: -2, useless: -3,
  disappointed: -2, disappointing: -2, unacceptable: -3, scam: -3, waste: -2, garbage: -3, bad: -3,
  poor: -2, sad: -2, angry: -3, annoying: -2, annoyed: -2, frustrating: -2, frustrated: -2, buggy: -2,
  horrible: -3, dead: -2, fail: -2, wrong: -2, lost: -2, loss: -2, missing: -1, late: -1, rude: -2,
  damaged: -2, defective: -2, overpriced: -2, expensive: -1, painful: -2, ugh: -2, meh: -1, boring: -2,
  miserable: -2, tired: -1, sick: -2, delayed: -1, refund: -1, complaint: -2, complain: -2, problem: -1,
  overrated: -2, nightmare: -3, overcharged: -2, ripoff: -3, laggy: -2, negative: -2, doomed: -2, obsolete: -2,
  nul: -2, pésimo: -3, kaputt: -2, schrecklich: -3, cassé: -2, roto: -2,
};

export const EMOJI_SENTIMENT: Readonly<Record<string, number>> = {
  '😍': 3, '❤': 3, '🎉': 2, '👍': 2, '🙌': 2, '🔥': 2, '😊': 2, '🥳': 2, '✨': 1, '💯': 2, '🚀': 2, '😂': 1,
  '🤩': 3, '☀': 1, '😋': 2, '😡': -3, '😤': -2, '👎': -2, '😭': -2, '🙄': -2, '😞': -2, '💀': -1, '🤬': -3,
  '😢': -2, '😠': -3,
};
