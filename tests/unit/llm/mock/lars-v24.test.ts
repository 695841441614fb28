import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { mockAnswer } from '../../../../src/llm/mock/answers';
import { loadNlp } from '../../../../src/llm/mock/nlp/load-nlp';
import { encodeGroup } from '../../../../src/sql';
import { parseCsv, request } from './helpers';

// The mock's answers for LARS v2.4's operators and stages (issue 27): plausible, deterministic, and on
// the sample tweets as well as on the phrasings these tests use, which are not LARS's test cases.
const nlp = await loadNlp();
const ask = (operator: string, args: string[], returns: 'VARCHAR' | 'DOUBLE' = 'VARCHAR') =>
  mockAnswer(request(operator, args, returns, returns === 'DOUBLE' ? { range: [0, 1] } : {}), nlp);
const json = (operator: string, args: string[]) => JSON.parse(String(ask(operator, args))) as unknown;
const grouped = (operator: string, values: string[], rest: string[]) =>
  mockAnswer(request(operator, [encodeGroup(values) ?? '', ...rest], 'VARCHAR', { grouped: true }), nlp);
const tweets = parseCsv(readFileSync(new URL('../../../../public/data/tweets.csv', import.meta.url), 'utf8'))
  .slice(1)
  .map((r) => r[2] ?? '');

describe('argument analysis', () => {
  test('supports: strong direct evidence outranks a trend, a trend outranks the unrelated, and evidence of no effect counts against', () => {
    const claim = 'The new vaccine prevents infection';
    const trial = Number(ask('supports', ['In a double-blind placebo-controlled trial of 8,000 people the vaccine cut infections by 60%', claim], 'DOUBLE'));
    const trend = Number(ask('supports', ['Hospital visits fell this winter', claim], 'DOUBLE'));
    const unrelated = Number(ask('supports', ['The museum opens at nine', claim], 'DOUBLE'));
    const against = Number(ask('supports', ['The trial found no difference between the vaccine and placebo', claim], 'DOUBLE'));
    expect(trial).toBeGreaterThan(0.7);
    expect(trend).toBeLessThan(trial);
    expect(unrelated).toBeLessThan(0.2);
    expect(against).toBeLessThan(0.2);
  });

  test('fallacy names the fallacies whose cues it sees, and [] for a sound argument', () => {
    const names = (text: string) => (json('fallacy', [text]) as { fallacy: string }[]).map((f) => f.fallacy);
    expect(names("Don't listen to her view on taxes, she is just an actress")).toContain('ad_hominem');
    expect(names('Everybody believes the new phone is best, so it must be')).toContain('appeal_to_popularity');
    expect(names('If we allow this, next thing you know nobody will work')).toContain('slippery_slope');
    expect(names('The bridge is closed for repairs until Friday.')).toEqual([]);
  });

  test('weaknesses filters by severity, worst first', () => {
    const all = json('weaknesses', ['Ever since we moved offices revenue went up, so the move caused it', 'all']) as { type: string; severity: string }[];
    expect(all[0]?.type).toBe('correlation_not_causation');
    const major = json('weaknesses', ['Ever since we moved offices revenue went up, so the move caused it', 'major']) as { severity: string }[];
    expect(major.every((w) => w.severity === 'major')).toBe(true);
  });

  test('evidence_type tiers the evidence: a trial above a survey above a story', () => {
    const tier = (text: string) => (json('evidence_type', [text, '']) as { tier: number }).tier;
    expect(tier('A randomized trial with 300 patients')).toBe(1);
    expect(tier('A survey of 2,000 respondents found most prefer it')).toBe(4);
    expect(tier('My neighbour tried it and felt better')).toBe(5);
    expect(tier('It is simply better')).toBe(6);
  });

  test('steelman and counterargument are paragraphs about the claim given', () => {
    const strong = String(ask('steelman', ['We should ban cars from the city centre', '']));
    expect(strong.length).toBeGreaterThan(200);
    expect(strong).toMatch(/banning cars from the city centre/i);
    expect(String(ask('counterargument', ['Everyone should work from home', 'practical']))).toMatch(/in practice/i);
  });

  test('assumes lists the premises of a proposal, including that it would work', () => {
    const premises = json('assumes', ['We should raise taxes on sugar to cut obesity', '']) as string[];
    expect(premises.length).toBeGreaterThanOrEqual(3);
    expect(premises[0]).toMatch(/raising taxes on sugar would meaningfully help cut obesity/i);
  });

  test('answers every argument operator for every sample tweet, in its type', () => {
    for (const text of tweets.slice(0, 60)) {
      expect(Array.isArray(json('fallacy', [text]))).toBe(true);
      expect(Array.isArray(json('weaknesses', [text, 'all']))).toBe(true);
      expect(Array.isArray(json('assumes', [text, '']))).toBe(true);
      expect(typeof json('evidence_type', [text, ''])).toBe('object');
      expect(String(ask('steelman', [text, ''])).length).toBeGreaterThan(100);
    }
  });
});

describe('extraction', () => {
  test('timeline orders events by time when a reference date resolves them', () => {
    const events = json('timeline', ['The deploy finished at 6 PM. The outage began at 2 PM and we were paged at 2:10 PM.', '2024-03-01']) as {
      timestamp: string;
      sequence: number;
    }[];
    expect(events.map((e) => e.timestamp)).toEqual(['2024-03-01T14:00:00', '2024-03-01T14:10:00', '2024-03-01T18:00:00']);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  test('merge_timelines joins the same event told twice', () => {
    const a = JSON.stringify([{ timestamp: '2024-01-02', event: 'Contract signed by both parties', actors: ['Ana'], type: 'decision', sequence: 1 }]);
    const b = JSON.stringify([
      { timestamp: '2024-01-01', event: 'Kickoff meeting', actors: [], type: 'communication', sequence: 1 },
      { timestamp: '2024-01-02', event: 'Contract signed by both parties', actors: ['Ben'], type: 'decision', sequence: 2 },
    ]);
    const merged = JSON.parse(String(grouped('merge_timelines', [a, b], []))) as { event: string; actors: string[] }[];
    expect(merged.map((e) => e.event)).toEqual(['Kickoff meeting', 'Contract signed by both parties']);
    expect([...(merged[1]?.actors ?? [])].sort()).toEqual(['Ana', 'Ben']);
  });

  test('triples read who did what to whom, with pronouns resolved and passives turned', () => {
    const facts = json('triples', ['Maria Lopez leads the data team at Globex. She reports to Tom Ng. The launch was approved by Tom Ng.', '']) as {
      subject: string;
      predicate: string;
      object: string;
    }[];
    expect(facts).toContainEqual({ subject: 'Maria Lopez', predicate: 'reports_to', object: 'Tom Ng' });
    expect(facts).toContainEqual({ subject: 'Tom Ng', predicate: 'approved', object: 'launch' });
    const rich = json('rich_triples', ['Ada Lovelace wrote the first program.', '']) as { evidence: string }[];
    expect(rich[0]?.evidence).toBe('Ada Lovelace wrote the first program.');
  });

  test('parse_email reads headers and body, the fields asked for', () => {
    const raw =
      'From: ann@example.org\r\nTo: bo@example.org\r\nCc: cy@example.org\r\nDate: Mon, 1 Jan 2024 10:00:00\r\nSubject: Lunch?\r\n\r\nAre you free at noon?\r\nAnn';
    expect(json('parse_email', [raw, 'from,cc,subject,body'])).toEqual({
      from: 'ann@example.org',
      cc: 'cy@example.org',
      subject: 'Lunch?',
      body: 'Are you free at noon?\nAnn',
    });
  });
});

describe('pipeline stage plans', () => {
  const sample = (rows: Record<string, unknown>[]) =>
    rows.map(
      (r) =>
        `{${Object.entries(r)
          .map(([k, v]) => `'${k}': ${String(v)}`)
          .join(', ')}}`,
    );

  test('PIVOT: the column after "by" spreads, the number fills, "for each" keeps rows', () => {
    const plan = JSON.parse(
      String(
        grouped('pivot_plan', sample([{ store: 'A', month: 'jan', units: 3 }]), [
          'average units by month for each store',
          'store VARCHAR, month VARCHAR, units INTEGER',
        ]),
      ),
    ) as Record<string, unknown>;
    expect(plan).toEqual({ index_columns: ['store'], pivot_column: 'month', value_columns: ['units'], aggregation: 'avg' });
  });

  test('MELT: columns sharing a pattern become rows, named as asked', () => {
    const plan = JSON.parse(
      String(grouped('melt_plan', [], ['the year columns into year and population', 'city VARCHAR, pop_2020 INTEGER, pop_2021 INTEGER, area DOUBLE'])),
    ) as Record<string, unknown>;
    expect(plan).toEqual({ id_columns: ['city', 'area'], value_columns: ['pop_2020', 'pop_2021'], variable_name: 'year', value_name: 'population' });
  });

  test('TO_VEGALITE: the mark the request names, fields from the columns with their types', () => {
    const spec = JSON.parse(String(grouped('vegalite_spec', [], ['line chart of price over day', 'day DATE, price DOUBLE']))) as {
      mark: { type: string };
      encoding: Record<string, { field: string; type: string }>;
    };
    expect(spec.mark.type).toBe('line');
    expect(spec.encoding['x']).toEqual({ field: 'day', type: 'temporal' });
    expect(spec.encoding['y']).toEqual({ field: 'price', type: 'quantitative' });
  });

  test('CHOOSE: the condition most rows meet, or none', () => {
    const rows = ["{'text': my order arrived broken}", "{'text': refund please, it is defective}", "{'text': nice weather}"];
    expect(grouped('choose_branch', rows, [JSON.stringify(['mostly complaints', 'mostly recipes'])])).toBe('mostly complaints');
    expect(grouped('choose_branch', rows, [JSON.stringify(['about spaceships'])])).toBe('none');
  });

  test('INVESTIGATE: queries first, findings on the last turn', () => {
    const context = [
      'Query: SELECT * FROM orders WHERE late',
      'Columns: id INTEGER, region VARCHAR, delay DOUBLE',
      'Rows (the first 1):',
      '{"id":1,"region":"north","delay":3.5}',
      'Tables: orders(id INTEGER, region VARCHAR, delay DOUBLE)',
    ].join('\n');
    const first = JSON.parse(String(ask('investigate_step', ['why are orders late?', context, JSON.stringify({ turns_left: 8, queries: [] })]))) as {
      sql?: string;
    };
    expect(first.sql).toBe('SELECT region, count(*) AS n FROM orders GROUP BY region ORDER BY n DESC, region LIMIT 5');
    const last = JSON.parse(String(ask('investigate_step', ['why are orders late?', context, JSON.stringify({ turns_left: 1, queries: [] })]))) as {
      findings?: { category: string }[];
    };
    expect(last.findings?.[0]?.category).toBe('answer');
  });
});
