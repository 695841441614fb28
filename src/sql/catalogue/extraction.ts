import { group, jsonText, optional, text, type OperatorSpec } from './define';
import type { RowsColumn } from '../types';

/**
 * Structure pulled out of free text (LARS v2.4): the events of a narrative in order, knowledge-graph
 * triples, the fields of a raw email. Each JSON-array operator also has a table form, `<name>_rows`,
 * written in FROM (`FROM emails, triples_rows(body) t`): one row per element, read from the same
 * cached answer (src/sql/rows-form.ts).
 */

const TIMELINE_COLUMNS: RowsColumn[] = [
  { name: 'timestamp', type: 'VARCHAR' },
  { name: 'event', type: 'VARCHAR' },
  { name: 'actors', type: 'JSON' },
  { name: 'type', type: 'VARCHAR' },
  { name: 'sequence', type: 'INTEGER' },
];
const TRIPLE_COLUMNS: RowsColumn[] = [
  { name: 'subject', type: 'VARCHAR' },
  { name: 'predicate', type: 'VARCHAR' },
  { name: 'object', type: 'VARCHAR' },
];
const RICH_TRIPLE_COLUMNS: RowsColumn[] = [...TRIPLE_COLUMNS, { name: 'evidence', type: 'VARCHAR' }];

const EVENT_TYPES = 'communication, decision, action, milestone, incident, change or plan';

/** `<of>_rows(...)`: the table form of a JSON-array operator, with the columns of its elements. */
function rowsForm(of: OperatorSpec, columns: RowsColumn[], example: string): OperatorSpec {
  return {
    name: `${of.name}_rows`,
    lars: [`${of.name}_rows`],
    args: of.args,
    returns: 'VARCHAR',
    sqlType: `TABLE (${columns.map((c) => c.name).join(', ')})`,
    shape: 'scalar',
    table: true,
    execution: 'sql',
    rows: { of: of.name, columns },
    prompt: of.prompt,
    outputSchema: of.outputSchema,
    mock: of.mock,
    description: `the elements of ${of.name}(...) as rows, one per element, in FROM (\`FROM t, ${of.name}_rows(t.col) r\`, LATERAL optional); the answers are ${of.name}'s, asked and cached once`,
    examples: [example],
  };
}

const timeline: OperatorSpec = {
  name: 'timeline',
  postfix: ['TIMELINE'],
  lars: ['semantic_timeline', 'TIMELINE'],
  args: [text(), optional('reference_date', "''")],
  returns: 'VARCHAR',
  sqlType: 'JSON',
  shape: 'scalar',
  prompt: `List the events {{text}} tells of, earliest first, resolving relative times ("yesterday", "the following week") against {{reference_date}} when it is given and keeping the text's own words for times otherwise. Answer with a JSON array of {timestamp, event, actors, type, sequence}: type one of ${EVENT_TYPES}; actors an array of names; sequence 1, 2, ...`,
  outputSchema: jsonText('an array of {timestamp, event, actors, type, sequence}'),
  mock: 'timeline',
  description: 'the events of a text in order, with when, who and what kind (JSON array)',
  examples: ["SELECT timeline('The server crashed at 3:15 PM. We identified the issue at 3:45 PM and deployed a fix at 4:30 PM.') AS events"],
};

const triples: OperatorSpec = {
  name: 'triples',
  postfix: ['TRIPLES'],
  lars: ['semantic_triples', 'TRIPLES'],
  args: [text(), optional('focus', "''")],
  returns: 'VARCHAR',
  sqlType: 'JSON',
  shape: 'scalar',
  prompt:
    'Extract the facts {{text}} states as knowledge-graph triples (about {{focus}} when given): subject and object are entities or values with names made consistent, the predicate a snake_case relation such as works_at, reports_to, approved, scheduled_for, located_in. Answer with a JSON array of at most 10 {subject, predicate, object}.',
  outputSchema: jsonText('an array of {subject, predicate, object}'),
  mock: 'triples',
  description: 'the facts of a text as (subject, predicate, object) triples (JSON array)',
  examples: ["SELECT triples('John Smith works at Acme Corp as a software engineer. He reports to Jane Doe.') AS facts"],
};

const richTriples: OperatorSpec = {
  name: 'rich_triples',
  postfix: ['RICH_TRIPLES'],
  lars: ['semantic_rich_triples', 'RICH_TRIPLES'],
  args: [text(), optional('focus', "''")],
  returns: 'VARCHAR',
  sqlType: 'JSON',
  shape: 'scalar',
  prompt:
    'Extract the facts {{text}} states as knowledge-graph triples (about {{focus}} when given), each with the short quote from the text (under 100 characters) that supports it. Answer with a JSON array of at most 10 {subject, predicate, object, evidence}; predicates in snake_case.',
  outputSchema: jsonText('an array of {subject, predicate, object, evidence}'),
  mock: 'rich_triples',
  description: 'triples with the quote that supports each (JSON array), for graphs with provenance',
  examples: ["SELECT rich_triples('The Q3 budget of $500K was approved by Mike on Tuesday.') AS facts"],
};

export const EXTRACTION: readonly OperatorSpec[] = [
  timeline,
  rowsForm(
    timeline,
    TIMELINE_COLUMNS,
    'SELECT t.id, e.sequence, e.timestamp, e.event FROM tweets t, timeline_rows(t.text) e WHERE t.id IN (7, 26) ORDER BY t.id, e.sequence',
  ),
  {
    name: 'merge_timelines',
    lars: ['MERGE_TIMELINES'],
    args: [group('timelines')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'aggregate',
    prompt:
      'Merge the timelines in {{timelines}} (each a JSON array of {timestamp, event, actors, type, sequence}) into one, earliest first: events that are the same happening become one, keeping the fullest description and every actor. Answer with one JSON array of the same objects, sequence numbered anew.',
    outputSchema: jsonText('an array of {timestamp, event, actors, type, sequence}'),
    mock: 'merge_timelines',
    description: 'the timelines of a group merged into one, duplicates joined (JSON array)',
    examples: [
      "SELECT merge_timelines(timeline(note)) AS merged FROM (VALUES ('We met on Monday to discuss the proposal.'), ('By Wednesday, the contract was signed.'), ('The contract was signed on Wednesday.')) AS t(note)",
    ],
  },
  triples,
  rowsForm(triples, TRIPLE_COLUMNS, 'SELECT t.id, r.subject, r.predicate, r.object FROM tweets t, triples_rows(t.text) r WHERE t.id IN (10, 34) ORDER BY t.id'),
  richTriples,
  rowsForm(richTriples, RICH_TRIPLE_COLUMNS, "SELECT r.* FROM rich_triples_rows('Ada Lovelace wrote the first program. She worked with Charles Babbage.') r"),
  {
    name: 'parse_email',
    lars: ['PARSE_EMAIL'],
    args: [text('raw_email'), optional('fields', "'from,to,date,subject,body'")],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'Read the raw email {{raw_email}} (headers, a blank line, then the body) and answer with a JSON object holding the fields named in {{fields}} (from, to, cc, date, subject, body, or other headers), each trimmed, null when the email has none.',
    outputSchema: jsonText('{from, to, date, subject, body} or the fields asked for'),
    mock: 'parse_email',
    description: 'the fields of a raw email (JSON): from, to, date, subject and body, or those named',
    examples: [
      "SELECT parse_email('From: john@example.com' || chr(10) || 'To: jane@example.com' || chr(10) || 'Subject: Hello' || chr(10) || chr(10) || 'This is the body.') AS email",
    ],
  },
];
