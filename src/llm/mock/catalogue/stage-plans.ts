/**
 * The mock's side of the engine-run pipeline stages: the plans of PIVOT and MELT, a Vega-Lite chart
 * for TO_VEGALITE, CHOOSE's branch, and INVESTIGATE's turns. Each reads the request's words against the
 * columns it is given (`name TYPE, ...`) and the sample rows (DuckDB's struct text), as a model would.
 */
import { arg, groupValues, json, listOf, rowText, type Handler } from '../args';
import { matches } from '../judgements';
import type { Nlp } from '../nlp/load-nlp';

interface Column {
  name: string;
  type: string;
}

const NUMERIC = /INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL|HUGEINT/i;
const TEMPORAL = /DATE|TIME/i;

export function columnsOf(text: string): Column[] {
  return text
    .split(/,\s*(?![^()]*\))/)
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .map((c) => {
      const m = /^("(?:[^"]|"")*"|\S+)\s*(.*)$/.exec(c);
      return { name: (m?.[1] ?? c).replace(/^"|"$/g, '').replace(/""/g, '"'), type: (m?.[2] ?? 'VARCHAR').trim() || 'VARCHAR' };
    });
}

const singular = (w: string) =>
  w
    .toLowerCase()
    .replace(/ies$/, 'y')
    .replace(/(?<!s)s$/, '');

/** Columns the request names ("revenue by region" names revenue and region), in the request's order. */
function named(request: string, columns: readonly Column[]): Column[] {
  const r = request.toLowerCase();
  const words = r.match(/[a-z0-9_]+/g) ?? [];
  const at = (c: Column) => {
    const name = c.name.toLowerCase();
    const direct = r.indexOf(name);
    if (direct >= 0) return direct;
    const i = words.findIndex((w) => singular(w) === singular(name) || name.split('_').includes(singular(w)));
    return i < 0 ? -1 : r.indexOf(words[i] as string);
  };
  return columns
    .map((c) => ({ c, i: at(c) }))
    .filter((x) => x.i >= 0)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.c);
}

/** The column named right after `word` in the request ("by region" → region). */
function after(word: RegExp, request: string, columns: readonly Column[]): Column | undefined {
  const m = word.exec(request.toLowerCase());
  if (m === null) return undefined;
  return named(request.slice(m.index + m[0].length), columns)[0];
}

function aggregationOf(request: string, hasValue: boolean): string {
  const r = request.toLowerCase();
  if (/\b(?:average|avg|mean)\b/.test(r)) return 'avg';
  if (/\b(?:count|number of|how many)\b/.test(r) || !hasValue) return 'count';
  if (/\b(?:max|maximum|highest|largest|top)\b/.test(r)) return 'max';
  if (/\b(?:min|minimum|lowest|smallest)\b/.test(r)) return 'min';
  return 'sum';
}

function pivotPlan(request: string, columns: Column[]): string {
  const numeric = columns.filter((c) => NUMERIC.test(c.type));
  const labels = columns.filter((c) => !NUMERIC.test(c.type));
  const mentioned = named(request, columns);
  const value = mentioned.find((c) => NUMERIC.test(c.type)) ?? numeric[0];
  const pivot = after(/\bby\b|\bacross\b|\bper\b/, request, labels) ?? mentioned.find((c) => !NUMERIC.test(c.type)) ?? labels[labels.length - 1];
  const index = after(
    /\bfor each\b|\beach\b|\bper\b|\brows? (?:are|of)\b/,
    request,
    labels.filter((c) => c !== pivot),
  );
  const rest = labels.filter((c) => c !== pivot && (index === undefined || c === index));
  return json({
    index_columns: rest.map((c) => c.name),
    pivot_column: pivot?.name ?? null,
    value_columns: value === undefined ? [] : [value.name],
    aggregation: aggregationOf(request, value !== undefined),
  });
}

function meltPlan(request: string, columns: Column[]): string {
  const into = /\binto\s+([a-z_][\w]*)\s+and\s+([a-z_][\w]*)/i.exec(request);
  const mentioned = named(request, columns).filter((c) => into === null || (c.name !== into[1] && c.name !== into[2]));
  // A shared part of the name ("q1_sales, q2_sales") marks the columns that are one measure spread wide.
  const stems = new Map<string, Column[]>();
  for (const c of columns.filter((x) => NUMERIC.test(x.type))) {
    const stem = c.name.toLowerCase().replace(/\d+/g, '#');
    stems.set(stem, [...(stems.get(stem) ?? []), c]);
  }
  const patterned = [...stems.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const values = mentioned.length >= 2 ? mentioned : patterned.length >= 2 ? patterned : columns.filter((c) => NUMERIC.test(c.type));
  const sample = values[0]?.name.toLowerCase() ?? '';
  const variable =
    into?.[1] ??
    (/^q\d/.test(sample)
      ? 'quarter'
      : /(?:19|20)\d\d/.test(sample)
        ? 'year'
        : /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/.test(sample)
          ? 'month'
          : 'variable');
  const value = into?.[2] ?? /_([a-z]+)$/.exec(sample)?.[1] ?? 'value';
  return json({
    id_columns: columns.filter((c) => !values.includes(c)).map((c) => c.name),
    value_columns: values.map((c) => c.name),
    variable_name: variable,
    value_name: value,
  });
}

const MARKS: [RegExp, string][] = [
  [/\b(?:pie|donut|doughnut|share|proportion)\b/i, 'arc'],
  [/\b(?:line|trend|over time|timeline)\b/i, 'line'],
  [/\b(?:scatter|points?|dots?|correlation)\b/i, 'point'],
  [/\barea\b/i, 'area'],
  [/\b(?:bar|bars|column chart|histogram|ranking)\b/i, 'bar'],
];

const vlType = (c: Column) => (NUMERIC.test(c.type) ? 'quantitative' : TEMPORAL.test(c.type) ? 'temporal' : 'nominal');

function vegaliteSpec(request: string, columns: Column[]): string {
  const mentioned = named(request, columns);
  const quantitative = [...mentioned, ...columns].filter((c) => NUMERIC.test(c.type));
  const other = [...mentioned, ...columns].filter((c) => !NUMERIC.test(c.type));
  const xCol = other[0] ?? quantitative[1] ?? columns[0];
  const yCol = quantitative.find((c) => c !== xCol) ?? columns.find((c) => c !== xCol);
  const mark =
    MARKS.find(([cue]) => cue.test(request))?.[1] ??
    (xCol !== undefined && TEMPORAL.test(xCol.type) ? 'line' : xCol !== undefined && NUMERIC.test(xCol.type) ? 'point' : 'bar');
  const title = request.trim().replace(/^./, (c) => c.toUpperCase());
  if (xCol === undefined || yCol === undefined) return json({ title, mark: 'bar', encoding: {} });
  const field = (c: Column) => ({ field: c.name, type: vlType(c) });
  const encoding =
    mark === 'arc'
      ? { theta: field(yCol), color: field(xCol) }
      : {
          x: mark === 'bar' && vlType(xCol) === 'nominal' ? { ...field(xCol), sort: '-y' } : field(xCol),
          y: field(yCol),
          ...(other[1] !== undefined && other[1] !== xCol ? { color: field(other[1]) } : {}),
        };
  return json({ title, mark: { type: mark, tooltip: true }, encoding });
}

/** CHOOSE: the condition most of the rows meet ("mostly complaints": complaints), or none. */
function chooseBranch(rows: readonly string[], conditions: readonly string[], nlp: Nlp | undefined): string {
  const texts = rows.map(rowText);
  let best = { condition: 'none', share: 0 };
  for (const condition of conditions) {
    const criterion = condition.replace(/\b(?:mostly|mainly|contains?|has|have|all|some|many|lots of|the data is|rows? (?:are|about))\b/gi, ' ').trim();
    const share = texts.filter((t) => matches(t, criterion, 0.5, nlp)).length / Math.max(1, texts.length);
    if (share > best.share) best = { condition, share };
  }
  return best.condition;
}

export const STAGE_PLANS: Readonly<Record<string, Handler>> = {
  pivot_plan: (r) => pivotPlan(arg(r, 1), columnsOf(arg(r, 2))),
  melt_plan: (r) => meltPlan(arg(r, 1), columnsOf(arg(r, 2))),
  vegalite_spec: (r) => vegaliteSpec(arg(r, 1), columnsOf(arg(r, 2))),
  choose_branch: (r, nlp) => chooseBranch(groupValues(r), listOf(arg(r, 1)), nlp),
};
