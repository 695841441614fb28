/**
 * Surface-level language work for the mock: condensing, language detection and a word-for-word
 * "translation" from a tiny dictionary. The `[fr]` marker makes it obvious in a demo that the
 * translation is the mock's, not a model's.
 */
import { sentences } from './text-features';

/** First sentence, URLs and trailing hashtags dropped, cut to about 15 words. */
export function condense(text: string, maxWords = 15): string {
  const cleaned = text
    .replace(/\bhttps?:\/\/\S+/gi, '')
    .replace(/(\s+#[\p{L}\p{N}_]+)+\s*$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  const first = sentences(cleaned)[0] ?? cleaned;
  const words = first.split(' ').filter((w) => w !== '');
  if (words.length <= maxWords) return first;
  return `${words
    .slice(0, maxWords)
    .join(' ')
    .replace(/[,;:]$/, '')}…`;
}

const LANGUAGE_CODES: Record<string, string> = {
  english: 'en',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  german: 'de',
  deutsch: 'de',
  italian: 'it',
  italiano: 'it',
  portuguese: 'pt',
  português: 'pt',
  dutch: 'nl',
  japanese: 'ja',
  chinese: 'zh',
  mandarin: 'zh',
  korean: 'ko',
  russian: 'ru',
  arabic: 'ar',
  hindi: 'hi',
  polish: 'pl',
  swedish: 'sv',
  turkish: 'tr',
  greek: 'el',
};

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
};

/** 'French', 'fr', 'FR-fr' → 'fr'; unknown names → their first two letters. */
export function languageCode(language: string): string {
  const key = language.trim().toLowerCase();
  // hasOwn: a language named "constructor" or "__proto__" is not one of ours.
  const known = Object.hasOwn(LANGUAGE_CODES, key) ? LANGUAGE_CODES[key] : undefined;
  if (known !== undefined) return known;
  const code = /^([a-z]{2})(?:[-_][a-z]{2})?$/.exec(key)?.[1];
  return code ?? (key.replace(/[^a-z]/g, '').slice(0, 2) || 'xx');
}

/** English → fr / es / de for the words a demo tweet is likely to use. */
const DICTIONARY: Record<string, Record<string, string>> = {
  fr: {
    the: 'le',
    a: 'un',
    is: 'est',
    are: 'sont',
    i: 'je',
    you: 'tu',
    we: 'nous',
    my: 'mon',
    our: 'notre',
    this: 'ce',
    and: 'et',
    or: 'ou',
    not: 'pas',
    no: 'non',
    yes: 'oui',
    with: 'avec',
    for: 'pour',
    love: 'adore',
    great: 'génial',
    good: 'bon',
    bad: 'mauvais',
    new: 'nouveau',
    release: 'version',
    order: 'commande',
    arrived: 'arrivée',
    broken: 'cassée',
    want: 'veux',
    refund: 'remboursement',
    thanks: 'merci',
    thank: 'merci',
    today: "aujourd'hui",
    weather: 'météo',
    rain: 'pluie',
    sun: 'soleil',
    database: 'base de données',
    query: 'requête',
    fast: 'rapide',
    slow: 'lent',
    very: 'très',
    work: 'travail',
    team: 'équipe',
    day: 'jour',
    coffee: 'café',
    food: 'nourriture',
    hello: 'bonjour',
    time: 'temps',
    best: 'meilleur',
    worst: 'pire',
    support: 'assistance',
    still: 'toujours',
    waiting: 'attente',
    it: 'il',
    of: 'de',
    in: 'dans',
    to: 'à',
    friend: 'ami',
    city: 'ville',
    trip: 'voyage',
    amazing: 'incroyable',
    terrible: 'terrible',
    help: 'aide',
    question: 'question',
  },
  es: {
    the: 'el',
    a: 'un',
    is: 'es',
    are: 'son',
    i: 'yo',
    you: 'tú',
    we: 'nosotros',
    my: 'mi',
    our: 'nuestro',
    this: 'esto',
    and: 'y',
    or: 'o',
    not: 'no',
    no: 'no',
    yes: 'sí',
    with: 'con',
    for: 'para',
    love: 'encanta',
    great: 'genial',
    good: 'bueno',
    bad: 'malo',
    new: 'nuevo',
    release: 'versión',
    order: 'pedido',
    arrived: 'llegó',
    broken: 'roto',
    want: 'quiero',
    refund: 'reembolso',
    thanks: 'gracias',
    thank: 'gracias',
    today: 'hoy',
    weather: 'tiempo',
    rain: 'lluvia',
    sun: 'sol',
    database: 'base de datos',
    query: 'consulta',
    fast: 'rápido',
    slow: 'lento',
    very: 'muy',
    work: 'trabajo',
    team: 'equipo',
    day: 'día',
    coffee: 'café',
    food: 'comida',
    hello: 'hola',
    time: 'tiempo',
    best: 'mejor',
    worst: 'peor',
    support: 'soporte',
    still: 'todavía',
    waiting: 'esperando',
    it: 'eso',
    of: 'de',
    in: 'en',
    to: 'a',
    friend: 'amigo',
    city: 'ciudad',
    trip: 'viaje',
    amazing: 'increíble',
    terrible: 'terrible',
    help: 'ayuda',
    question: 'pregunta',
  },
  de: {
    the: 'die',
    a: 'ein',
    is: 'ist',
    are: 'sind',
    i: 'ich',
    you: 'du',
    we: 'wir',
    my: 'mein',
    our: 'unser',
    this: 'das',
    and: 'und',
    or: 'oder',
    not: 'nicht',
    no: 'nein',
    yes: 'ja',
    with: 'mit',
    for: 'für',
    love: 'liebe',
    great: 'toll',
    good: 'gut',
    bad: 'schlecht',
    new: 'neu',
    release: 'Version',
    order: 'Bestellung',
    arrived: 'angekommen',
    broken: 'kaputt',
    want: 'will',
    refund: 'Erstattung',
    thanks: 'danke',
    thank: 'danke',
    today: 'heute',
    weather: 'Wetter',
    rain: 'Regen',
    sun: 'Sonne',
    database: 'Datenbank',
    query: 'Abfrage',
    fast: 'schnell',
    slow: 'langsam',
    very: 'sehr',
    work: 'Arbeit',
    team: 'Team',
    day: 'Tag',
    coffee: 'Kaffee',
    food: 'Essen',
    hello: 'hallo',
    time: 'Zeit',
    best: 'beste',
    worst: 'schlechteste',
    support: 'Support',
    still: 'immer noch',
    waiting: 'warten',
    it: 'es',
    of: 'von',
    in: 'in',
    to: 'zu',
    friend: 'Freund',
    city: 'Stadt',
    trip: 'Reise',
    amazing: 'großartig',
    terrible: 'schrecklich',
    help: 'Hilfe',
    question: 'Frage',
  },
};

const MARKERS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'is', 'my', 'with', 'this', 'you', 'for', 'it', 'of'],
  fr: ['le', 'la', 'les', 'et', 'est', 'je', 'pas', 'une', 'pour', 'avec', "c'est", 'très', 'mon', 'ma'],
  es: ['el', 'la', 'los', 'es', 'y', 'que', 'muy', 'pero', 'mi', 'por', 'con', 'una', 'hoy'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'mit', 'ein', 'eine', 'sehr', 'heute', 'mein'],
};

/** The language whose common words occur most; English when nothing decides. */
export function detectLanguage(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best = 'en';
  let bestCount = 0;
  for (const [code, markers] of Object.entries(MARKERS)) {
    const count = words.filter((w) => markers.includes(w)).length;
    if (count > bestCount) {
      best = code;
      bestCount = count;
    }
  }
  return best;
}

function reverseDictionary(code: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [en, foreign] of Object.entries(DICTIONARY[code] ?? {})) {
    const key = foreign.toLowerCase();
    if (!map.has(key)) map.set(key, en);
  }
  return map;
}

function mapWords(text: string, lookup: (lower: string) => string | undefined): string {
  return text.replace(/[\p{L}']+/gu, (word) => {
    const found = lookup(word.toLowerCase());
    if (found === undefined) return word;
    return word[0] !== undefined && word[0] !== word[0].toLowerCase() ? found[0]?.toUpperCase() + found.slice(1) : found;
  });
}

/**
 * Word-for-word translation with a `[code]` marker; text already in the target language is returned
 * as is. `detect` names the source language (the NLP layer's detector when loaded).
 */
export function translate(text: string, language: string, detect: (text: string) => string = detectLanguage): string {
  const target = languageCode(language);
  const source = detect(text);
  if (source === target) return text;
  if (target === 'en') {
    const reverse = reverseDictionary(source);
    return `[en] ${mapWords(text, (w) => reverse.get(w))}`;
  }
  const dict = DICTIONARY[target];
  if (dict === undefined || source !== 'en') return `[${target}] ${text}`;
  return `[${target}] ${mapWords(text, (w) => dict[w])}`;
}
