/**
 * Clauses of a sentence by compromise (its verb phrases and noun phrases, with offsets): who did
 * what to whom, when. Enough for the mock's TRIPLES and TIMELINE on plain sentences ("John Smith
 * works at Acme Corp", "The meeting on Tuesday was cancelled", "Mike approved it on Tuesday"); a
 * sentence compromise cannot parse yields no clause rather than a wrong one.
 */
import type { Nlp } from './load-nlp';

export interface Clause {
  /** The acting (or, passive, the acted-on) noun phrase, pronouns resolved where a name came before. */
  subject: string;
  /** The verb as written, without auxiliaries ("works", "cancelled", "reschedule"). */
  verb: string;
  passive: boolean;
  future: boolean;
  /** The preposition right after the verb ("at", "to"), or ''. */
  prep: string;
  object: string;
  /** Passive: who did it ("by Mike"). */
  agent: string;
  /** "as a software engineer" → "software engineer". */
  role: string;
  /** Time phrases in the clause ("Tuesday", "3:15 PM", "next week"). */
  times: string[];
  /** The clause's text. */
  text: string;
}

interface Phrase {
  text: string;
  start: number;
  end: number;
  /** Inside a prepositional phrase ("on Tuesday", "by Wednesday"). */
  subordinate: boolean;
  date: boolean;
  person: boolean;
}

interface JsonTerm {
  text: string;
  tags: string[];
}

interface JsonPhrase {
  text: string;
  terms: JsonTerm[];
  offset: { start: number; length: number };
  noun?: { isSubordinate?: boolean };
  verb?: { root?: string; auxiliary?: string; grammar?: { passive?: boolean; tense?: string } };
}

const PRONOUNS = /^(?:he|she|him|her|they|them|it)$/i;
const DETERMINER = /^(?:the|a|an|this|that|these|those)\s+/i;

export const clean = (s: string): string =>
  s
    .replace(/^[\s"'“(]+|[\s"'”),.;:!?]+$/g, '')
    .replace(DETERMINER, '')
    .trim();

const isTime = (t: JsonTerm): boolean => t.tags.includes('Date') || t.tags.includes('Time');

function phrases(json: JsonPhrase[]): Phrase[] {
  return json.map((p) => {
    // A phrase is a time when its head (last word) is one: "the following week", not "the Q3 budget".
    const head = p.terms[p.terms.length - 1];
    const date = head !== undefined && isTime(head);
    return {
      // A time phrase starts at its first number or time word ("@pixelcam today" is "today", "in 5 minutes" is "5 minutes").
      text: clean(
        date
          ? p.terms
              .slice(
                Math.max(
                  0,
                  p.terms.findIndex((t) => isTime(t) || t.tags.includes('Value') || /^(?:next|last|following|this)$/i.test(t.text)),
                ),
              )
              .map((t) => t.text)
              .join(' ')
          : p.text,
      ),
      start: p.offset.start,
      end: p.offset.start + p.offset.length,
      subordinate: p.noun?.isSubordinate === true,
      date,
      person: p.terms.some((t) => t.tags.includes('Person')),
    };
  });
}

/** Names seen so far, for pronouns: he and she name the last person, it and they the last other thing. */
export interface Mentions {
  people: string[];
  things: string[];
}

const resolve = (word: string, seen: Mentions): string => {
  if (!PRONOUNS.test(word)) return word;
  const list = /^(?:he|she|him|her)$/i.test(word) ? seen.people : seen.things;
  return list[list.length - 1] ?? word;
};

/** Clauses of one sentence, resolving pronouns against the names `seen` before (updated as it goes). */
export function clausesOf(sentence: string, nlp: Nlp, seen: Mentions): Clause[] {
  const doc = nlp.compromise(sentence);
  const nouns = phrases(doc.nouns().json({ offset: true }) as JsonPhrase[]).filter((n) => n.text !== '');
  // "met ... to discuss": a verb after "to" continues its clause rather than starting one.
  const verbs = (doc.verbs().json({ offset: true }) as JsonPhrase[]).filter((v, i) => i === 0 || !/\bto\s*$/i.test(sentence.slice(0, v.offset.start)));
  // Where each clause starts: at the last "and"/"but"/"then"/comma between its verb and the one before,
  // else right after that verb. A clause with no noun between that joint and its verb ("... and
  // deployed a fix") shares the subject of the one before.
  const starts: number[] = [];
  const joined: boolean[] = [];
  verbs.forEach((v, i) => {
    if (i === 0) {
      starts.push(0);
      joined.push(false);
      return;
    }
    const prev = verbs[i - 1] as JsonPhrase;
    const from = prev.offset.start + prev.offset.length;
    const gap = sentence.slice(from, v.offset.start);
    const joint = [...gap.matchAll(/,|;|\band\b|\bbut\b|\bthen\b/gi)].pop();
    const start = joint === undefined ? from : from + (joint.index ?? 0);
    starts.push(start);
    joined.push(joint !== undefined && !nouns.some((n) => n.start >= start && n.end <= v.offset.start && !n.date && !n.subordinate));
  });
  const out: Clause[] = [];
  let lastSubject = '';
  verbs.forEach((v, i) => {
    const start = v.offset.start;
    const end = start + v.offset.length;
    const from = starts[i] as number;
    const next = starts[i + 1] ?? sentence.length;
    const boundary = Math.max(from, sentence.lastIndexOf(',', start));
    const before = nouns.filter((n) => n.end <= start && n.start >= from && !n.subordinate && !n.date);
    const head = before.filter((n) => n.start >= boundary).pop() ?? before[before.length - 1];
    // "... and deployed a fix": a verb joined by and/then shares the subject of the one before.
    // A clause may have no subject ("Landed in Tokyo"): an event all the same, though no triple.
    const subject = resolve(joined[i] === true || head === undefined ? lastSubject : head.text, seen);
    lastSubject = subject;
    const after = sentence.slice(end, next);
    const prep = /^\s*(at|to|with|for|in|on|from|of|about|into|as|by)\b/i.exec(after)?.[1]?.toLowerCase() ?? '';
    const inClause = nouns.filter((n) => n.start >= end && n.start < next);
    const agent = clean(/\bby\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)/.exec(after)?.[1] ?? '');
    const role = /\bas\s+(?:an?\s+|the\s+)?([\w -]+?)(?=[,.;]|$|\s+(?:and|at|in|for)\b)/i.exec(after)?.[1]?.trim() ?? '';
    const object = resolve(inClause.find((n) => !n.date && n.text !== agent && n.text !== role && clockTimes(n.text).length === 0)?.text ?? '', seen);
    const times = [...nouns.filter((n) => n.date && n.start >= from && n.start < next).map((n) => n.text), ...clockTimes(sentence.slice(from, next))];
    const verb = (v.verb?.root ?? v.text).replace(/[.,!?]+$/, '');
    for (const n of nouns)
      if (n.start >= from && n.start < next && !n.date && /^[A-Z@]/.test(n.text) && !PRONOUNS.test(n.text)) (n.person ? seen.people : seen.things).push(n.text);
    const text = sentence
      .slice(from, next)
      .replace(/^[\s,;]*(?:(?:and|but|then)\s+)?/i, '')
      .trim()
      .replace(/[,.;!?]+$/, '');
    out.push({
      subject,
      verb,
      passive: v.verb?.grammar?.passive === true,
      future: v.verb?.grammar?.tense === 'FutureTense',
      prep,
      object,
      agent,
      role,
      times: [...new Set(times.map(clean))],
      text,
    });
  });
  return out;
}

/** Clock times compromise does not tag as dates ("3:15 PM"). */
function clockTimes(text: string): string[] {
  return [...text.matchAll(/\b\d{1,2}:\d{2}\s?(?:[AaPp]\.?[Mm]\.?)?|\b\d{1,2}\s?(?:[AaPp]\.?[Mm]\.?)(?=\W|$)/g)].map((m) => m[0].trim());
}
