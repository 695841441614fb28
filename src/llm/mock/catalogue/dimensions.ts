/**
 * The mock's dimensions (LARS's semantic GROUP BY). A dimension is answered in two steps: `<name>`
 * proposes labels over the group, `<name>_label` labels one row. Each dimension here is either a
 * classifier (a row's label computed from the text: vibes, intent, audience, timeframe ...), whose
 * proposal is the labels its rows get, most common first; a scale (sentiment, toxicity, credibility
 * ...), whose proposal is its levels; or a list (category, bucket, narrative), whose labels are given
 * or are the group's themes and whose rows take the best-fitting one. The fixed dimensions
 * (formality, language, complexity, domain) label rows in one step.
 */
import { arg, groupValues, json, listOf, own, type Handler, type MockValue } from '../args';
import { themes } from '../aggregates';
import { bestLabel, relevance, sentiment } from '../judgements';
import { regionOf } from '../geography';
import { findTimes } from '../nlp/dates';
import type { Nlp } from '../nlp/load-nlp';
import { toxicityLevel, toxicityLevels } from '../nlp/toxicity';

type Classify = (text: string, modifiers: readonly string[], nlp: Nlp | undefined) => string;

interface Classifier {
  kind: 'classifier';
  classify: Classify;
  /** Position of the "at most n labels" modifier, if any. */
  countAt?: number;
}

interface Scale {
  kind: 'scale';
  levels: (modifiers: readonly string[]) => string[];
  /** 0 (the first level) to 1 (the last). */
  score: (text: string, modifiers: readonly string[], nlp: Nlp | undefined) => number;
  /** Answers the row's level directly (toxicity: the NLP layer's own scale). */
  level?: (text: string, modifiers: readonly string[], nlp: Nlp | undefined) => string | undefined;
}

interface Listed {
  kind: 'list';
  /** The labels the query gives, if any, then whether to add "Other". */
  given: (modifiers: readonly string[]) => { labels: string[]; other: boolean };
}

type Dimension = Classifier | Scale | Listed;

const count = (text: string | undefined, fallback: number) => {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 12) : fallback;
};

const hits = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

function vibeOf(text: string, nlp: Nlp | undefined): string {
  const s = sentiment(text, nlp);
  if (s > 0.35) return /!/.test(text) ? 'excited' : 'upbeat';
  if (s > 0.1) return 'content';
  if (s < -0.35) return 'frustrated';
  if (s < -0.1) return 'disappointed';
  if (/\?/.test(text)) return 'curious';
  return 'calm';
}

function intentOf(text: string, nlp: Nlp | undefined): string {
  const t = text.toLowerCase();
  if (/\b(?:refund|broken|late|never arrived|worst|complain|disappointed|terrible)\b/.test(t) || sentiment(text, nlp) < -0.3) return 'complaint';
  if (/\?\s*$|^(?:how|what|why|when|where|who|can|does|is|anyone)\b/.test(t.trim())) return 'question';
  if (/\b(?:please|could you|can you|i want|i need|i'd like|would like)\b/.test(t)) return 'request';
  if (sentiment(text, nlp) > 0.3) return 'praise';
  return 'information';
}

const AUDIENCES: [string, RegExp][] = [
  ['developers', /\b(?:sdk|api|npm|code|function|sql|query|database|deploy|bug|compile|init\(\)|github|python|javascript)\b/i],
  ['investors', /\b(?:revenue|earnings|q[1-4]|guidance|shares|profit|valuation|ipo|dividend|margin)\b/i],
  ['children', /\b(?:kids|children|grown-up|parents|school|toys)\b/i],
  ['customers', /\b(?:order|refund|shipping|delivery|product|price|discount|store)\b/i],
  ['researchers', /\b(?:study|paper|research|data set|dataset|experiment|hypothesis)\b/i],
];

const TIMES: Record<string, [string, RegExp][]> = {
  time_of_day: [
    ['morning', /\b(?:morning|breakfast|sunrise|dawn|[5-9]\s?am|1[01]\s?am)\b/i],
    ['afternoon', /\b(?:afternoon|lunch|noon|midday|[1-4]\s?pm)\b/i],
    ['evening', /\b(?:evening|tonight|dinner|sunset|[5-9]\s?pm)\b/i],
    ['night', /\b(?:night|midnight|late|1[01]\s?pm|[1-4]\s?am)\b/i],
  ],
  season: [
    ['spring', /\b(?:spring|march|april|may|blossom)\b/i],
    ['summer', /\b(?:summer|june|july|august|beach|heatwave)\b/i],
    ['autumn', /\b(?:autumn|fall|september|october|november|harvest)\b/i],
    ['winter', /\b(?:winter|december|january|february|snow|christmas)\b/i],
  ],
  weather: [
    ['sunny', /\b(?:sun|sunny|clear sky|hot)\b/i],
    ['rainy', /\b(?:rain|rainy|storm|drizzle|umbrella)\b/i],
    ['snowy', /\b(?:snow|snowy|blizzard|frost|icy)\b/i],
    ['cloudy', /\b(?:cloud|cloudy|grey|gray|fog|overcast)\b/i],
  ],
  duration: [
    ['minutes', /\b(?:minutes?|quick|moment)\b/i],
    ['hours', /\b(?:hours?|all day|afternoon)\b/i],
    ['days', /\b(?:days?|weekend|overnight)\b/i],
    ['weeks', /\b(?:weeks?|fortnight)\b/i],
    ['months', /\b(?:months?|season)\b/i],
    ['years', /\b(?:years?|decade)\b/i],
  ],
};

function timeframeOf(text: string, granularity: string, nlp: Nlp | undefined): string {
  const table = own(TIMES, granularity.trim().toLowerCase()) ?? TIMES['time_of_day'] ?? [];
  const found = table.find(([, pattern]) => pattern.test(text));
  if (found !== undefined) return found[0];
  // A clock time the NLP layer reads: "at 18:30" is evening.
  const time = granularity === 'time_of_day' || granularity === '' ? (nlp === undefined ? undefined : findTimes(text, nlp)[0]) : undefined;
  const hour = time === undefined ? undefined : Number(/(\d{1,2})/.exec(time)?.[1] ?? NaN) + (/pm/i.test(time) && !/12/.test(time) ? 12 : 0);
  if (hour !== undefined && Number.isFinite(hour))
    return hour < 5 ? 'night' : hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : hour < 22 ? 'evening' : 'night';
  return 'unspecified';
}

function stanceOf(text: string, modifiers: readonly string[], nlp: Nlp | undefined): string {
  const topic = modifiers[0] ?? '';
  const given = listOf(modifiers[1] ?? '');
  const s = sentiment(text, nlp);
  const about =
    relevance(text, topic) >= 0.3 ||
    topic
      .toLowerCase()
      .split(/\s+/)
      .some((w) => w.length > 3 && text.toLowerCase().includes(w));
  const stance = !about
    ? /\b(?:office|in person|in-person|essential|must)\b/i.test(text) && s >= 0
      ? 'against'
      : 'neutral'
    : s > 0.1
      ? 'for'
      : s < -0.1
        ? 'against'
        : 'neutral';
  if (given.length === 0) return stance;
  return bestLabel(stance === 'for' ? `support in favour ${text}` : stance === 'against' ? `oppose against ${text}` : text, given, nlp)?.label ?? stance;
}

const LEVEL_WORDS = ['very low', 'low', 'moderate', 'high', 'very high'];
const levels = (n: number) =>
  n >= 5 ? LEVEL_WORDS : n === 4 ? ['low', 'moderate', 'high', 'very high'] : n === 2 ? ['low', 'high'] : ['low', 'medium', 'high'];

function credibility(text: string, modifiers: readonly string[]): number {
  let score = 0.6;
  score -= 0.15 * hits(text, /!{2,}|\b(?:shocking|weird trick|you won'?t believe|hate this|miracle|100%|guaranteed|secret)\b/gi);
  score -= /\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b/.test(text) ? 0.15 : 0;
  score += 0.15 * Math.min(2, hits(text, /\b(?:study|studies|research|according to|data|measured|percent|evidence|sea level)\b/gi));
  if (/strict/i.test(modifiers[0] ?? '')) score -= 0.1;
  return Math.max(0, Math.min(1, score));
}

function engagement(text: string): number {
  const signals = hits(text, /\?|!|@\w+|#\w+|\b(?:share|comment|thoughts|retweet|follow|join)\b|\p{Extended_Pictographic}/giu);
  return Math.min(1, signals / 4);
}

function virality(text: string, nlp: Nlp | undefined): number {
  return Math.min(1, Math.abs(sentiment(text, nlp)) * 0.6 + engagement(text) * 0.4 + (/\b(?:breaking|unbelievable|wow|omg)\b/i.test(text) ? 0.3 : 0));
}

/** MEANING's cluster of a value: its continent when asked for places by region, else the theme of its words. */
function clusterOf(text: string, criterion: string): string {
  if (/region|continent|geograph|location|where/i.test(criterion)) {
    const region = regionOf(text);
    if (region !== undefined) return region;
  }
  return (JSON.parse(themes([text], 1)) as string[])[0] ?? 'Other';
}

function authenticityOf(text: string): string {
  if (/\b(?:buy now|discount|click|limited offer|promo|use code|sponsored)\b/i.test(text)) return 'promotional';
  if (/!{3,}|\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b/.test(text)) return 'suspicious';
  if (/\b(?:best ever|amazing|incredible|life-changing|perfect|never seen)\b/i.test(text)) return 'exaggerated';
  return 'genuine';
}

const DIMENSIONS: Readonly<Record<string, Dimension>> = {
  vibes: { kind: 'classifier', classify: (t, _m, nlp) => vibeOf(t, nlp), countAt: 0 },
  meaning_dimension: { kind: 'classifier', classify: (t, m) => clusterOf(t, m[1] ?? ''), countAt: 0 },
  intent: {
    kind: 'classifier',
    classify: (t, m, nlp) => {
      const given = listOf(m[0] ?? '');
      const own = intentOf(t, nlp);
      return given.length === 0 ? own : (given.find((g) => g.toLowerCase().includes(own)) ?? bestLabel(t, given, nlp)?.label ?? own);
    },
  },
  audience: { kind: 'classifier', classify: (t) => AUDIENCES.find(([, p]) => p.test(t))?.[0] ?? 'general public' },
  authenticity: { kind: 'classifier', classify: (t) => authenticityOf(t) },
  timeframe: { kind: 'classifier', classify: (t, m, nlp) => timeframeOf(t, m[0] ?? 'time_of_day', nlp) },
  stance: { kind: 'classifier', classify: stanceOf },
  sentiment_dimension: {
    kind: 'scale',
    levels: (m) => {
      const n = count(m[1], 5);
      const focus = (m[0] ?? '').trim();
      if (focus !== '') return [`no ${focus}`, `some ${focus}`, `strong ${focus}`];
      return n >= 5
        ? ['very negative', 'negative', 'neutral', 'positive', 'very positive']
        : n === 2
          ? ['negative', 'positive']
          : ['negative', 'neutral', 'positive'];
    },
    score: (t, m, nlp) => ((m[0] ?? '').trim() !== '' ? relevance(t, m[0] ?? '') : (sentiment(t, nlp) + 1) / 2),
  },
  toxicity: {
    kind: 'scale',
    levels: (m) => toxicityLevels(m[0] ?? '', count(m[1], 5)),
    score: (t) => Math.min(1, hits(t, /\b(?:idiot|stupid|hate|moron|shut up|kill|dumb|loser)\b/gi) / 3),
    level: (t, m, nlp) => (nlp === undefined ? undefined : toxicityLevel(t, nlp, m[0] ?? '', count(m[1], 5))),
  },
  credibility: { kind: 'scale', levels: (m) => levels(count(m[1], 5)), score: (t, m) => credibility(t, m) },
  engagement: { kind: 'scale', levels: () => levels(3), score: (t) => engagement(t) },
  virality: { kind: 'scale', levels: () => levels(3), score: (t, _m, nlp) => virality(t, nlp) },
  category: { kind: 'list', given: (m) => ({ labels: listOf(m[0] ?? ''), other: !/^false$/i.test((m[1] ?? 'true').trim()) }) },
  bucket: { kind: 'list', given: (m) => ({ labels: listOf(m[0] ?? ''), other: !/^true$/i.test((m[1] ?? 'false').trim()) }) },
  narrative: { kind: 'list', given: () => ({ labels: [], other: false }) },
};

function byFrequency(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
}

function propose(d: Dimension, values: readonly string[], modifiers: readonly string[], nlp: Nlp | undefined): string[] {
  switch (d.kind) {
    case 'classifier': {
      const labels = byFrequency(values.map((v) => d.classify(v, modifiers, nlp)));
      return d.countAt === undefined ? labels : labels.slice(0, count(modifiers[d.countAt], 5));
    }
    case 'scale':
      return d.levels(modifiers);
    case 'list': {
      const { labels, other } = d.given(modifiers);
      const base = labels.length > 0 ? labels : (JSON.parse(themes(values, 6)) as string[]);
      return other && !base.some((l) => /^other$/i.test(l)) ? [...base, 'Other'] : base;
    }
  }
}

function label(d: Dimension, text: string, labels: readonly string[], modifiers: readonly string[], nlp: Nlp | undefined): MockValue {
  const fallback = () => bestLabel(text, labels, nlp)?.label ?? labels[0] ?? null;
  if (d.kind === 'classifier') {
    const own = d.classify(text, modifiers, nlp);
    return labels.find((l) => l.toLowerCase() === own.toLowerCase()) ?? fallback();
  }
  if (d.kind === 'scale') {
    const direct = d.level?.(text, modifiers, nlp);
    if (direct !== undefined && labels.includes(direct)) return direct;
    if (labels.length === 0) return null;
    return labels[Math.round(d.score(text, modifiers, nlp) * (labels.length - 1))] ?? fallback();
  }
  return fallback();
}

/** `<dimension>` (propose over the group) and `<dimension>_label` (one row) for every dimension above. */
export const DIMENSION_STRATEGIES: Readonly<Record<string, Handler>> = Object.fromEntries(
  Object.entries(DIMENSIONS).flatMap(([name, d]) => [
    [name, ((r, nlp) => json(propose(d, groupValues(r), r.args.slice(1), nlp))) satisfies Handler],
    [`${name}_label`, ((r, nlp) => label(d, arg(r, 0), listOf(arg(r, 1)), r.args.slice(2), nlp)) satisfies Handler],
  ]),
);

const TECHNICAL =
  /\b(?:algorithm|asymptotic|heap|latency|throughput|kernel|protocol|schema|regression|coefficient|polymorph\w*|concurren\w*|complexity|vector|tensor|compiler)\b/gi;

/** complexity: sentence length, long words and jargon. */
function complexity(text: string): string {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return 'simple';
  const sentences = Math.max(1, (text.match(/[.!?]+/g) ?? []).length);
  const perSentence = words.length / sentences;
  const long = words.filter((w) => w.replace(/\W/g, '').length >= 9).length / words.length;
  if (hits(text, TECHNICAL) >= 2) return 'technical';
  if (perSentence > 22 || long > 0.25) return 'complex';
  if (perSentence > 12 || long > 0.12) return 'moderate';
  return 'simple';
}

const DOMAINS: [string, RegExp][] = [
  ['technology', /\b(?:sql|database|software|app|code|api|ai|data|duckdb|query|computer|cloud|parquet|javascript|python|laptop)\b/i],
  ['business', /\b(?:revenue|market|stock|sales|company|startup|investor|profit|customer|price)\b/i],
  ['science', /\b(?:study|research|physics|chemistry|biology|experiment|scientist|climate)\b/i],
  ['health', /\b(?:health|doctor|hospital|vaccine|fitness|diet|medical|disease|workout)\b/i],
  ['politics', /\b(?:election|government|policy|senate|minister|vote|president|parliament)\b/i],
  ['sports', /\b(?:game|match|team|football|soccer|tennis|score|league|marathon|run)\b/i],
  ['entertainment', /\b(?:movie|film|music|concert|series|show|album|actor|netflix)\b/i],
  ['food', /\b(?:bread|sourdough|recipe|dinner|lunch|cooking|baking|pasta|dumplings|coffee|food|kitchen)\b/i],
  ['travel', /\b(?:travel|trip|flight|hotel|airport|vacation|beach|tour)\b/i],
  ['education', /\b(?:school|university|course|tutorial|learn|student|teacher|tuto)\b/i],
];

export const FIXED_DIMENSIONS: Readonly<Record<string, Handler>> = {
  complexity: (r) => complexity(arg(r, 0)),
  domain: (r) => DOMAINS.find(([, p]) => p.test(arg(r, 0)))?.[0] ?? 'general',
};
