/**
 * The offline mock model: a pure, deterministic answer for any MockQuestion. Built-in operators are
 * answered by the strategy their catalogue entry names (src/sql/catalogue); user-defined ones by
 * their return type, from the rendered prompt. Same request and same NLP layer (nlp/load-nlp.ts), same answer: no Math.random,
 * no clock.
 */
import type { ModelRequest } from '../../protocol/model';
import { builtinOperator } from '../../sql/catalogue';
import { questionsOf, type MockQuestion } from './question';
import { arg, groupValues, type Handler, type MockValue } from './args';
import { DIMENSION_STRATEGIES, FIXED_DIMENSIONS } from './catalogue/dimensions';
import { EVENTS } from './catalogue/events';
import { INVESTIGATE } from './catalogue/investigate';
import { REASONING } from './catalogue/reasoning';
import { RECORDS } from './catalogue/records';
import { RULES } from './catalogue/rules';
import { SQL_WRITERS } from './catalogue/sql-writer';
import { STAGE_PLANS } from './catalogue/stage-plans';
import { STAGES } from './catalogue/stages';
import { STRUCTURE } from './catalogue/structure';
import { VALUE_REPAIRS } from './catalogue/values';
import { NLP_STRATEGIES } from './strategies';
import { classifyAgg, consensus, dedupe, outliers, parseCount, sentimentAgg, summarize, themes, topics } from './aggregates';
import { ask, YES_NO } from './ask';
import { extract, keyPhrase, parse, valid } from './extract';
import {
  aligns,
  bestLabel,
  contradicts,
  criterionScore,
  implies,
  matches,
  parseLabels,
  relevance,
  sameAs,
  sentiment,
  sentimentLabel,
  similarity,
  thresholdFor,
} from './judgements';
import { condense, detectLanguage, translate } from './language';
import { languageOf } from './nlp/language-id';
import type { Nlp } from './nlp/load-nlp';
import { classifyPairs } from './pair-classify';
import { pick } from './random';

export type { MockValue } from './args';

/** The language detector: the NLP layer's when loaded, else the mock's marker words. */
function detector(nlp: Nlp | undefined): (text: string) => string {
  return nlp === undefined ? detectLanguage : (text) => languageOf(text, nlp, detectLanguage);
}

const PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g;
const PROMPT_NOISE =
  /\b(?:answer|respond|reply|return|output|only|yes|true|false|following|given|below|above|score|rate|scale|json|one word|from 0 to 1)\b|[:?]/gi;

/** A prompt reduced to what it asks about: placeholders, argument values and prompt boilerplate gone. */
function criterionOf(prompt: string, values: readonly string[]): string {
  return withoutValues(prompt, values).replace(PROMPT_NOISE, ' ').replace(/\s+/g, ' ').trim();
}

/** The rendered prompt minus the argument values: roughly the template the user wrote. */
function withoutValues(prompt: string, values: readonly string[]): string {
  let rest = prompt.replace(PLACEHOLDER, ' ');
  // Longest first, so a value that contains another is removed whole.
  for (const v of [...values].sort((x, y) => y.length - x.length)) if (v.trim().length > 0) rest = rest.split(v).join(' ');
  return rest;
}

/** llm(): recognise the instruction in the template, apply it to the argument values. */
export function llmAnswer(template: string, values: readonly string[], rendered: string, nlp?: Nlp): string {
  const t = template.toLowerCase();
  const subject = values.filter((v) => v.trim() !== '').join('\n') || rendered;
  const translateTo = /translat\w*\b.*?\b(?:in)?to\s+([A-Za-zÀ-ÿ]+)/i.exec(template)?.[1];
  if (translateTo !== undefined) return translate(subject, translateTo, detector(nlp));
  if (/summar|condense|tl;?dr|shorten|one sentence|in brief/.test(t)) return condense(subject);
  if (/sentiment/.test(t)) return sentimentLabel(subject, nlp);
  const categories = /(?:classify|categori[sz]e|label)\b.*?(?:into|as|among|from)\s*:?\s*([^?\n.]+)/i.exec(template)?.[1];
  if (categories !== undefined) return bestLabel(subject, parseLabels(categories.replace(/\bor\b/g, ',')), nlp)?.label ?? 'other';
  const what = /(?:extract|pull out|list|find)\s+(?:the|all|any)?\s*([^.?\n{]+)/i.exec(template)?.[1];
  if (what !== undefined) return extract(subject, what, nlp) ?? 'none';
  if (/json/.test(t)) return parse(subject, template, nlp);
  if (/keywords?|key phrase|tags?\b/.test(t)) return keyPhrase(subject) ?? 'none';
  if (/\b(?:capital letters|upper ?case|all caps)\b/.test(t)) return subject.toUpperCase();
  if (/\b(?:small letters|lower ?case)\b/.test(t)) return subject.toLowerCase();
  if (/rewrite|rephrase|paraphrase|more formal|politely/.test(t)) return `In other words: ${condense(subject, 20)}`;
  const thing =
    /^\s*(?:write|generate|create|suggest|draft|compose|give me|come up with|make)\s+(?:a|an|one|some)?\s*([\p{L} -]+?)\s+(?:for|about|of|on)\b/iu.exec(
      template,
    )?.[1];
  if (thing !== undefined) {
    const name = condense(subject, 6).replace(/[.!?…]+$/, '');
    return `${name}: ${pick(['made simple', 'done right', 'without the fuss', 'for everyone', 'the easy way'], subject)}.`;
  }
  const criterion = criterionOf(template, values);
  if (YES_NO.test(template.replace(PLACEHOLDER, ' '))) return matches(subject, criterion.replace(YES_NO, ''), 0.5, nlp) ? 'Yes' : 'No';
  return ask(subject, criterion || template, nlp);
}

const VALIDITY_KINDS = /\b(?:e-?mail|url|link|phone|date|json|uuid|integer|number|ip address|zip|postal code|credit card|hashtag)\b/i;

/** A user-defined operator: guess the task from the prompt's wording and answer in its type. */
function userDefined(r: MockQuestion, nlp: Nlp | undefined): MockValue {
  const values = r.args;
  const [a = '', b] = values;
  const criterion = criterionOf(r.prompt, values);
  const cue = criterion.toLowerCase();
  if (r.returns === 'BOOLEAN') {
    if (b !== undefined) {
      if (/contradict|refute|oppose|disagree|deny|conflict|debunk/.test(cue)) return contradicts(a, b, nlp);
      if (/impl|entail|support|agree|confirm|follow|prove/.test(cue)) return implies(a, b, nlp);
      if (/same|equal|duplicate|identical|refer/.test(cue)) return sameAs(a, b);
      return similarity(a, b) >= 0.5;
    }
    const kind = VALIDITY_KINDS.exec(criterion)?.[0];
    if (kind !== undefined) return valid(a, kind, (text, k) => relevance(text, k) >= 0.5, nlp);
    return matches(a, criterion, thresholdFor(r.instructions), nlp);
  }
  if (r.returns === 'DOUBLE') {
    const [lo, hi] = r.range ?? [0, 1];
    let unit: number;
    // "How negative / angry": higher for worse texts.
    if (/negativ|angry|upset|toxic|hostil/.test(cue)) unit = (1 - sentiment(a, nlp)) / 2;
    else if (/sentiment|positiv|happy|tone|satisf/.test(cue)) unit = (sentiment(a, nlp) + 1) / 2;
    else if (b !== undefined && /align|agree|support/.test(cue)) unit = aligns(a, b, nlp);
    else if (b !== undefined) unit = similarity(a, b);
    else unit = criterionScore(a, criterion, nlp);
    return Math.round((lo + unit * (hi - lo)) * 100) / 100;
  }
  return llmAnswer(withoutValues(r.prompt, values), values, r.prompt, nlp);
}

/** The operators semsql always had, by their strategy key (the operator's name). */
const HANDLERS: Readonly<Record<string, Handler>> = {
  matches: (r, nlp) => matches(arg(r, 0), arg(r, 1), thresholdFor(r.instructions), nlp),
  score: (r, nlp) => criterionScore(arg(r, 0), arg(r, 1), nlp),
  aligns: (r, nlp) => aligns(arg(r, 0), arg(r, 1), nlp),
  implies: (r, nlp) => implies(arg(r, 0), arg(r, 1), nlp),
  contradicts: (r, nlp) => contradicts(arg(r, 0), arg(r, 1), nlp),
  similar_to: (r) => similarity(arg(r, 0), arg(r, 1)),
  same_as: (r) => sameAs(arg(r, 0), arg(r, 1)),
  ask: (r, nlp) => ask(arg(r, 0), arg(r, 1), nlp),
  extracts: (r, nlp) => extract(arg(r, 0), arg(r, 1), nlp),
  classify: (r, nlp) => bestLabel(arg(r, 0), parseLabels(arg(r, 1)), nlp)?.label ?? null,
  sentiment: (r, nlp) => sentiment(arg(r, 0), nlp),
  condense: (r) => condense(arg(r, 0)),
  translate: (r, nlp) => translate(arg(r, 0), arg(r, 1), detector(nlp)),
  parse: (r, nlp) => parse(arg(r, 0), arg(r, 1), nlp),
  valid: (r, nlp) => valid(arg(r, 0), arg(r, 1), (text, kind) => relevance(text, kind) >= thresholdFor(r.instructions), nlp),
  llm: (r, nlp) => llmAnswer(arg(r, 0), r.args.slice(1), r.prompt, nlp),
  summarize: (r, nlp) => summarize(groupValues(r), nlp),
  themes: (r) => themes(groupValues(r), parseCount(r.args[1], 5)),
  topics: (r) => topics(groupValues(r), parseCount(r.args[1], 5)),
  topic_label: (r, nlp) => bestLabel(arg(r, 0), parseLabels(arg(r, 1)), nlp)?.label ?? null,
  consensus: (r, nlp) => consensus(groupValues(r), nlp),
  dedupe: (r) => dedupe(groupValues(r)),
  outliers: (r) => outliers(groupValues(r), parseCount(r.args[1], 3)),
  classify_agg: (r, nlp) => classifyAgg(groupValues(r), parseLabels(arg(r, 1)), nlp),
  sentiment_agg: (r, nlp) => sentimentAgg(groupValues(r), nlp),
};

/**
 * The NLP-layer strategies as handlers. Without the libraries (code that did not load them) such an
 * operator is answered like a user operator, from its prompt and type: never an exception.
 */
const WITH_NLP: Readonly<Record<string, Handler>> = Object.fromEntries(
  Object.entries(NLP_STRATEGIES).map(([key, strategy]) => [
    key,
    ((r, nlp) => (nlp === undefined ? userDefined(r, nlp) : strategy(r.args, nlp))) satisfies Handler,
  ]),
);

/** Every strategy a catalogue entry can name (its `mock` key). */
const STRATEGIES: Readonly<Record<string, Handler>> = {
  ...HANDLERS,
  ...WITH_NLP,
  ...VALUE_REPAIRS,
  ...RULES,
  ...STRUCTURE,
  ...RECORDS,
  ...DIMENSION_STRATEGIES,
  ...FIXED_DIMENSIONS,
  ...SQL_WRITERS,
  ...STAGES,
  ...REASONING,
  ...EVENTS,
  ...STAGE_PLANS,
  ...INVESTIGATE,
};

export const MOCK_STRATEGIES: readonly string[] = Object.keys(STRATEGIES);

/** Coerces a handler's value to the declared return type and range, so the answer fits the schema. */
function fit(value: MockValue, r: MockQuestion): MockValue {
  if (r.returns === 'BOOLEAN') return typeof value === 'boolean' ? value : value === 'Yes' || value === 'true';
  if (r.returns === 'DOUBLE') {
    const n = typeof value === 'number' ? value : Number(value);
    const [lo, hi] = r.range ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const safe = Number.isFinite(n) ? n : Math.max(lo, Math.min(hi, 0));
    return Math.min(hi, Math.max(lo, safe));
  }
  return value === null ? null : String(value);
}

/**
 * The mock's answer. `nlp` is the loaded NLP layer (`await loadNlp()`): the model workers always pass
 * it, and so must any code that wants the workers' answers. Without it the mock falls back to its own
 * lexicon and patterns, which are weaker (sentiment agrees with gold labels 76.5% of the time against
 * 83.7%) and give different answers for sentiment, dates, phones, names, money and languages.
 */
/**
 * What the offline model answers for each row of a request, as the model workers would: the
 * one-call-at-a-time reference tests and benchmarks compare results with.
 */
export function mockAnswers(request: ModelRequest, nlp?: Nlp): MockValue[] {
  return questionsOf(request).map((question) => mockAnswer(question, nlp));
}

export function mockAnswer(request: MockQuestion, nlp?: Nlp): MockValue {
  if (request.pairwise) return classifyPairs(request, request.pairwise, (q) => mockAnswer(q, nlp));
  // A built-in names its strategy in the catalogue; no user operator can take a built-in's name, so
  // any other name is a user operator, answered from its prompt.
  const key = builtinOperator(request.operator)?.mock;
  const handler = key !== undefined && Object.prototype.hasOwnProperty.call(STRATEGIES, key) ? STRATEGIES[key] : undefined;
  return fit(handler !== undefined ? handler(request, nlp) : userDefined(request, nlp), request);
}
