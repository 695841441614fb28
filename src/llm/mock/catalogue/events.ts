/**
 * The mock's extraction of structure from free text: TIMELINE, MERGE_TIMELINES, TRIPLES,
 * RICH_TRIPLES and PARSE_EMAIL. Clauses come from compromise (nlp/clauses.ts), times from chrono
 * (nlp/dates.ts, resolved against the reference date when one is given); without the NLP layer the
 * answers are built from sentences and capitalised names alone.
 */
import { arg, groupValues, json, type Handler } from '../args';
import { properNames } from '../extract';
import { similarity } from '../judgements';
import { clausesOf, clean, type Clause, type Mentions } from '../nlp/clauses';
import { isoDate, isoDateTime, parseDate } from '../nlp/dates';
import type { Nlp } from '../nlp/load-nlp';
import { sentences } from '../text-features';

const snake = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

interface Triple {
  subject: string;
  predicate: string;
  object: string;
  evidence: string;
}

function clauseTriples(c: Clause, sentence: string): Triple[] {
  const evidence = sentence.length <= 100 ? sentence : `${sentence.slice(0, 97)}...`;
  const out: Triple[] = [];
  const add = (subject: string, predicate: string, object: string) => {
    if (subject !== '' && object !== '' && predicate !== '' && subject !== object) out.push({ subject, predicate: snake(predicate), object, evidence });
  };
  if (c.passive) {
    if (c.agent !== '') add(c.agent, c.verb, c.subject);
    else add(c.subject, 'has_status', c.verb);
    for (const t of c.times) add(c.subject, `${c.verb}_on`, t);
  } else {
    add(c.subject, `${c.future ? 'will_' : ''}${c.verb}${c.prep === '' || c.prep === 'as' ? '' : `_${c.prep}`}`, c.object);
    for (const t of c.times) if (t !== c.object) add(c.subject, `${c.verb}_${c.prep !== '' && c.prep !== 'as' && c.object === '' ? c.prep : 'on'}`, t);
  }
  if (c.role !== '') add(c.subject, 'has_role', c.role);
  const valued = /\b(?:of|worth|costing|at)\s+([$€£]\s?\d[\d,.]*\s?[KkMmBb]?|\d[\d,.]*\s?(?:dollars|euros|usd|eur))/.exec(c.text)?.[1];
  if (valued !== undefined) add(c.passive ? c.subject : c.object || c.subject, 'valued_at', valued);
  return out;
}

/** Triples of a text: per clause with the NLP layer; without it, the names a sentence pairs. */
function triplesOf(text: string, nlp: Nlp | undefined): Triple[] {
  const out: Triple[] = [];
  const seen: Mentions = { people: [], things: [] };
  for (const sentence of sentences(text)) {
    if (nlp === undefined) {
      const names = properNames(sentence);
      for (let i = 1; i < names.length; i++)
        out.push({ subject: names[0] ?? '', predicate: 'mentioned_with', object: names[i] ?? '', evidence: sentence.slice(0, 100) });
      continue;
    }
    for (const c of clausesOf(sentence, nlp, seen)) out.push(...clauseTriples(c, sentence));
  }
  const keys = new Set<string>();
  return out.filter((t) => !keys.has(`${t.subject}|${t.predicate}|${t.object}`) && keys.add(`${t.subject}|${t.predicate}|${t.object}`)).slice(0, 10);
}

const EVENT_TYPES: readonly [string, RegExp][] = [
  ['incident', /\b(?:crash\w*|fail\w*|broke|error|outage|died|went down|bug|damaged|lost)\b/i],
  ['decision', /\b(?:approv\w*|decid\w*|agreed|rejected|signed|chose|accepted)\b/i],
  ['communication', /\b(?:met|meeting|call\w*|email\w*|discuss\w*|told|asked|announced|replied|talk\w*|wrote to)\b/i],
  ['milestone', /\b(?:launch\w*|released|shipped|went live|finished|completed|landed|accepted|deadline)\b/i],
  ['plan', /\b(?:will|plan\w*|schedul\w*|going to|next (?:week|month)|tomorrow)\b/i],
  ['change', /\b(?:changed|updated|moved|switched|replaced|migrat\w*|cancel\w*|postponed)\b/i],
];

const typeOf = (text: string): string => EVENT_TYPES.find(([, cue]) => cue.test(text))?.[0] ?? 'action';

interface Event {
  timestamp: string;
  event: string;
  actors: string[];
  type: string;
  sequence: number;
  /** For ordering: the instant, when the timestamp resolves to one. */
  at?: number;
}

/** A time phrase as a timestamp: ISO when it resolves (with a reference date, or when absolute), else as written. */
function stamp(phrase: string, reference: string, nlp: Nlp | undefined): { text: string; at?: number } {
  if (nlp === undefined) return { text: phrase };
  const ref = reference.trim() === '' ? undefined : nlp.chrono.casual.parseDate(reference);
  const found = ref === undefined || ref === null ? undefined : nlp.chrono.casual.parse(phrase, ref, { forwardDate: false })[0];
  if (found !== undefined) {
    const d = found.start.date();
    const day = d.toISOString().slice(0, 10);
    return found.start.isCertain('hour') ? { text: `${day}T${d.toISOString().slice(11, 19)}`, at: d.getTime() } : { text: day, at: d.getTime() };
  }
  const absolute = /\b\d{4}\b/.test(phrase) ? parseDate(phrase, 'mdy', nlp) : undefined;
  return absolute === undefined ? { text: phrase } : { text: isoDateTime(absolute) ?? isoDate(absolute) };
}

const RELATIVE = /\b(?:the following (?:day|week|month)|the next (?:day|week|morning)|next (?:week|month)|later that (?:day|week)|afterwards|soon after)\b/i;

function timelineOf(text: string, reference: string, nlp: Nlp | undefined): Event[] {
  const events: Event[] = [];
  const seen: Mentions = { people: [], things: [] };
  for (const sentence of sentences(text)) {
    const clauses: { text: string; times: string[]; actors: string[] }[] =
      nlp === undefined
        ? [
            {
              text: sentence.replace(/[.!?]+$/, ''),
              times: [
                ...sentence.matchAll(
                  /\b\d{1,2}:\d{2}\s?(?:[AaPp][Mm])?|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)\b/gi,
                ),
              ].map((m) => m[0]),
              actors: properNames(sentence),
            },
          ]
        : clausesOf(sentence, nlp, seen).map((c) => ({
            text: c.text,
            times: c.times,
            actors: [c.subject, c.agent].filter((a) => a !== '' && /^[A-Z]|^(?:we|i)$/i.test(a)),
          }));
    // A sentence with no verb compromise knows ("First stop: coffee") is still something that happened.
    if (clauses.length === 0 && /\p{L}/u.test(sentence)) clauses.push({ text: sentence.replace(/[.!?\s]+$/u, ''), times: [], actors: [] });
    for (const c of clauses) {
      const relative = RELATIVE.exec(c.text)?.[0];
      const time = c.times[0] ?? relative;
      const previous = events[events.length - 1];
      const when =
        time === undefined
          ? { text: previous === undefined ? 'unknown' : `after:${snake(previous.event).split('_').slice(0, 3).join('_')}` }
          : stamp(time, reference, nlp);
      const event: Event = { timestamp: when.text, event: clean(c.text), actors: [...new Set(c.actors.map(clean))], type: typeOf(c.text), sequence: 0 };
      if (when.at !== undefined) event.at = when.at;
      events.push(event);
    }
  }
  return ordered(events);
}

/** Earliest first where every event resolves to an instant; otherwise in the order told. */
function ordered(events: Event[]): Event[] {
  const out = events.every((e) => e.at !== undefined) ? [...events].sort((a, b) => (a.at ?? 0) - (b.at ?? 0)) : events;
  return out.map(({ at: _at, ...e }, i) => ({ ...e, sequence: i + 1 }));
}

function mergeTimelines(values: readonly string[]): string {
  const all: Event[] = [];
  for (const value of values) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) all.push(...(parsed as Event[]).filter((e) => e !== null && typeof e === 'object' && typeof e.event === 'string'));
    } catch {
      // a value that is not a timeline adds nothing
    }
  }
  const merged: Event[] = [];
  for (const e of all) {
    const same = merged.find((m) => similarity(m.event, e.event) >= 0.6);
    if (same === undefined) merged.push({ ...e, actors: [...(e.actors ?? [])] });
    else {
      if (e.event.length > same.event.length) same.event = e.event;
      if (/^\d{4}-/.test(e.timestamp) && !/^\d{4}-/.test(same.timestamp)) same.timestamp = e.timestamp;
      same.actors = [...new Set([...same.actors, ...(e.actors ?? [])])];
    }
  }
  const iso = merged.every((e) => /^\d{4}-\d{2}/.test(e.timestamp));
  const sorted = iso ? [...merged].sort((a, b) => a.timestamp.localeCompare(b.timestamp)) : merged;
  return json(sorted.map((e, i) => ({ timestamp: e.timestamp, event: e.event, actors: e.actors, type: e.type, sequence: i + 1 })));
}

const HEADER = /^([A-Za-z][\w-]*):[ \t]*(.*)$/;

function parseEmail(raw: string, fields: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const split = /\n[ \t]*\n/.exec(text);
  const head = split === null ? text : text.slice(0, split.index);
  const body = split === null ? '' : text.slice(split.index + split[0].length).trim();
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const m = HEADER.exec(line.trim());
    if (m !== null && !headers.has((m[1] ?? '').toLowerCase())) headers.set((m[1] ?? '').toLowerCase(), (m[2] ?? '').trim());
  }
  const wanted = fields
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  const out: Record<string, string | null> = {};
  for (const f of wanted.length > 0 ? wanted : ['from', 'to', 'date', 'subject', 'body'])
    out[f] = f === 'body' ? body || null : (headers.get(f) ?? headers.get(`x-${f}`) ?? null);
  return json(out);
}

export const EVENTS: Readonly<Record<string, Handler>> = {
  timeline: (r, nlp) => json(timelineOf(arg(r, 0), arg(r, 1), nlp)),
  merge_timelines: (r) => mergeTimelines(groupValues(r)),
  triples: (r, nlp) => json(triplesOf(arg(r, 0), nlp).map(({ subject, predicate, object }) => ({ subject, predicate, object }))),
  rich_triples: (r, nlp) => json(triplesOf(arg(r, 0), nlp)),
  parse_email: (r) => parseEmail(arg(r, 0), arg(r, 1) || 'from,to,date,subject,body'),
};
