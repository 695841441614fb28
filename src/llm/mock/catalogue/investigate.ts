/**
 * The mock's INVESTIGATE agent. Its context (src/engine/stages/investigate.ts writes it) names the
 * query, the columns, the rows as JSON lines and the database's tables; its transcript holds the
 * queries run so far with what they returned. Like a careful analyst it first counts the rows' table by
 * a label column, then compares a measure with the whole table, then concludes from what it saw.
 */
import { arg, json, type Handler } from '../args';
import { themes } from '../aggregates';
import { sentiment } from '../judgements';
import type { Nlp } from '../nlp/load-nlp';
import { columnsOf } from './stage-plans';

interface Ran {
  sql: string;
  columns?: string[];
  rows?: unknown[][];
  error?: string | null;
}

interface Transcript {
  turns_left: number;
  queries: Ran[];
}

interface Context {
  query: string;
  rows: Record<string, unknown>[];
  tables: Map<string, { name: string; type: string }[]>;
}

const line = (text: string, label: string): string => new RegExp(`^${label}:\\s*(.*)$`, 'im').exec(text)?.[1] ?? '';

function contextOf(text: string): Context {
  const rows: Record<string, unknown>[] = [];
  for (const l of text.split('\n')) {
    if (!l.trim().startsWith('{')) continue;
    try {
      rows.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      // a row that is not JSON is not read
    }
  }
  const tables = new Map<string, { name: string; type: string }[]>();
  for (const m of line(text, 'Tables').matchAll(/([\w."]+)\(([^)]*)\)/g)) tables.set((m[1] ?? '').replace(/"/g, '').toLowerCase(), columnsOf(m[2] ?? ''));
  return { query: line(text, 'Query'), rows, tables };
}

function transcriptOf(text: string): Transcript {
  try {
    const parsed = JSON.parse(text) as Partial<Transcript>;
    return { turns_left: Number(parsed.turns_left ?? 1), queries: Array.isArray(parsed.queries) ? parsed.queries : [] };
  } catch {
    return { turns_left: 1, queries: [] };
  }
}

const TEXTY = /^(?:text|body|content|description|message|comment|review|note|title|summary)s?$/i;
const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

function nextQuery(table: string, columns: { name: string; type: string }[], asked: number): string | undefined {
  const label = columns.find((c) => !/INT|DOUBLE|FLOAT|DECIMAL|DATE|TIME|BOOL/i.test(c.type) && !TEXTY.test(c.name));
  const measure = columns.find((c) => /INT|DOUBLE|FLOAT|DECIMAL/i.test(c.type) && !/^id$|_id$/i.test(c.name));
  const from = quote(table);
  const plan = [
    label === undefined
      ? `SELECT count(*) AS n FROM ${from}`
      : `SELECT ${quote(label.name)}, count(*) AS n FROM ${from} GROUP BY ${quote(label.name)} ORDER BY n DESC, ${quote(label.name)} LIMIT 5`,
    measure === undefined ? undefined : `SELECT round(avg(${quote(measure.name)}), 2) AS average_${measure.name}, count(*) AS total_rows FROM ${from}`,
  ].filter((q): q is string => q !== undefined);
  return plan[asked];
}

const textOf = (row: Record<string, unknown>): string =>
  Object.values(row)
    .filter((v) => typeof v === 'string')
    .join(' ');

function findings(question: string, ctx: Context, ran: Ran[], nlp: Nlp | undefined): string {
  const texts = ctx.rows.map(textOf);
  const topics = JSON.parse(themes(texts, 3)) as string[];
  const mood = texts.length === 0 ? 0 : texts.reduce((s, t) => s + sentiment(t, nlp), 0) / texts.length;
  const out: { finding: string; category: string; evidence: string; confidence: string }[] = [
    {
      finding:
        topics.length > 0
          ? `Mostly ${topics.join(', ').toLowerCase()}: that is what these ${ctx.rows.length} rows have in common`
          : `The ${ctx.rows.length} rows share no clear subject`,
      category: 'answer',
      evidence: `the themes of the ${ctx.rows.length} rows the query returned (${ctx.query.slice(0, 80)}), for the question "${question}"`,
      confidence: topics.length > 0 ? 'medium' : 'low',
    },
    {
      finding: `The tone is ${mood > 0.1 ? 'positive' : mood < -0.1 ? 'negative' : 'neutral'} on average`,
      category: 'pattern',
      evidence: `mean sentiment ${mood.toFixed(2)} over the rows`,
      confidence: 'medium',
    },
  ];
  for (const q of ran) {
    const first = q.rows?.[0];
    if (q.error != null || first === undefined) continue;
    const described = (q.columns ?? []).map((c, i) => `${c} = ${String(first[i])}`).join(', ');
    out.push({
      finding: q.columns?.[0]?.startsWith('average_') === true ? `Across the whole table: ${described}` : `The most frequent value in the table: ${described}`,
      category: 'correlation',
      evidence: `query: ${q.sql}`,
      confidence: 'high',
    });
  }
  if (topics[0] !== undefined)
    out.push({
      finding: `Start with ${topics[0].toLowerCase()}: it covers most of these rows`,
      category: 'recommendation',
      evidence: 'the answer and patterns above',
      confidence: 'medium',
    });
  return json({ findings: out.slice(0, 8) });
}

function investigate(question: string, contextText: string, transcriptText: string, nlp: Nlp | undefined): string {
  const ctx = contextOf(contextText);
  const transcript = transcriptOf(transcriptText);
  const table = /\bFROM\s+([\w."]+)/i.exec(ctx.query)?.[1]?.replace(/"/g, '').toLowerCase();
  const columns = table === undefined ? undefined : ctx.tables.get(table);
  const next = transcript.turns_left > 1 && table !== undefined && columns !== undefined ? nextQuery(table, columns, transcript.queries.length) : undefined;
  return next !== undefined ? json({ sql: next }) : findings(question, ctx, transcript.queries, nlp);
}

export const INVESTIGATE: Readonly<Record<string, Handler>> = {
  investigate_step: (r, nlp) => investigate(arg(r, 0), arg(r, 1), arg(r, 2), nlp),
};
