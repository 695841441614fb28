/**
 * The mock's pipeline stages (THEN FILTER, ENRICH, ANALYZE, SPEAK): rows reach them as DuckDB's
 * struct text, read here without the key names.
 */
import { arg, groupValues, rowText, type Handler } from '../args';
import { themes } from '../aggregates';
import { ask, YES_NO } from '../ask';
import { scaleOf } from '../numeric-questions';
import { matches, sentiment } from '../judgements';
import { condense } from '../language';
import type { Nlp } from '../nlp/load-nlp';

/** Finding lines: `category | finding | detail`, as the stage's prompt asks. */
function analyze(rows: readonly string[], question: string, nlp: Nlp | undefined): string {
  const texts = rows.map(rowText);
  const joined = texts.join('. ');
  const topics = JSON.parse(themes(texts, 3)) as string[];
  const mean = texts.length === 0 ? 0 : texts.reduce((s, t) => s + sentiment(t, nlp), 0) / texts.length;
  const tone = mean > 0.1 ? 'positive' : mean < -0.1 ? 'negative' : 'neutral';
  // A yes/no or numeric question is answered from the rows; "what ... about" by what they are about.
  const direct = YES_NO.test(question) || scaleOf(question) !== undefined;
  const answer = direct ? condense(ask(joined, question, nlp), 20) : `the rows are mostly about ${topics.join(', ') || 'varied subjects'}`;
  const lines = [
    `answer | ${answer} | from ${rows.length} rows`,
    `pattern | most rows are about ${topics.slice(0, 2).join(' and ') || 'varied subjects'} | ${topics.join(', ')}`,
    `trend | the overall tone is ${tone} | mean sentiment ${mean.toFixed(2)}`,
  ];
  const longest = [...texts].sort((a, b) => b.length - a.length)[0];
  if (longest !== undefined && rows.length > 2) lines.push(`outlier | the longest row stands out | ${condense(longest, 12)}`);
  return lines.join('\n');
}

function speak(rows: readonly string[], message: string, nlp: Nlp | undefined): string {
  const texts = rows.map(rowText);
  const topics = JSON.parse(themes(texts, 2)) as string[];
  const first = `Here ${rows.length === 1 ? 'is one row' : `are ${rows.length} rows`}${topics.length > 0 ? `, mostly about ${topics.join(' and ')}` : ''}.`;
  const mean = texts.length === 0 ? 0 : texts.reduce((s, t) => s + sentiment(t, nlp), 0) / texts.length;
  const tone = ` Overall the tone is ${mean > 0.1 ? 'positive' : mean < -0.1 ? 'negative' : 'neutral'}.`;
  const asked =
    message.trim() !== '' && (YES_NO.test(message) || scaleOf(message) !== undefined) ? ` ${condense(ask(texts.join('. '), message, nlp), 18)}` : '';
  return `${first}${tone}${asked}`;
}

export const STAGES: Readonly<Record<string, Handler>> = {
  then_filter: (r, nlp) => matches(rowText(arg(r, 0)), arg(r, 1), 0.5, nlp),
  then_enrich: (r, nlp) => condense(ask(rowText(arg(r, 0)), arg(r, 1), nlp), 10),
  then_analyze: (r, nlp) => analyze(groupValues(r), arg(r, 1), nlp),
  then_speak: (r, nlp) => speak(groupValues(r), arg(r, 1), nlp),
};
