import { describe, expect, it } from 'vitest';
import { rowId, taskText, userMessage } from '../../../src/llm/prompt';
import type { ModelRequest } from '../../../src/protocol/model';
import { BUILTIN_OPERATORS, compareCodePoints, decodeGroup, encodeGroup } from '../../../src/sql';
import { modelRequest } from '../../../src/engine/model-request';
import { dataText, HOSTILE_VALUES, instructionsOf, rowsOf, type PromptRow } from '../../support/prompt-data';

/**
 * Issue 14 ("data can become instructions") and issue 16 (rows per call): a request's user turn is
 * the operator's instructions, naming fields, then one `<data>` block of JSON. These tests feed it
 * values written to break out of that block, read the turn back the way a model (or the fake API)
 * would, and check that every value comes back exactly, in its row, and nowhere else.
 */

const SCOPE = { provider: 'anthropic:https://api.anthropic.com', model: 'claude-haiku-4-5', temperature: 0, instructions: [] };
const ESC = '\u001b';
const RS = '\u001e';

const HOSTILE = HOSTILE_VALUES;

/** The user turn as the Messages API body carries it, for the readers in tests/support/prompt-data.ts. */
const body = (text: string) => ({ messages: [{ role: 'user', content: text }] });

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** One request of `rows` built by the engine's own request builder, merged as the scheduler merges rows. */
function requestFor(operator: string, rows: readonly string[][]): ModelRequest {
  const def = BUILTIN_OPERATORS.find((op) => op.name === operator);
  if (!def) throw new Error(`no built-in ${operator}`);
  const requests = rows.map((args, i) => modelRequest(`k${i}`, def, args, SCOPE));
  return { ...(requests[0] as ModelRequest), rows: requests.flatMap((r) => r.rows) };
}

/** Splits a user turn into its instructions and rows, asserting the one-block shape on the way. */
function read(text: string): { instructions: string; rows: PromptRow[]; data: string } {
  expect(occurrences(text, '<data>'), 'one opening tag').toBe(1);
  expect(occurrences(text, '</data>'), 'one closing tag').toBe(1);
  expect(text.trimEnd().endsWith('</data>'), 'the data block ends the turn').toBe(true);
  return { instructions: instructionsOf(body(text)), rows: rowsOf(body(text)), data: dataText(body(text)) };
}

describe('a request: instructions naming fields, then one data block', () => {
  it('keeps every hostile value inside the data block, escaped, and gives it back exactly in its row', () => {
    // Each hostile value both as the text and as the criterion of some row.
    const rows = HOSTILE.map((value, i) => [value, HOSTILE[(i + 5) % HOSTILE.length] as string]);
    const request = requestFor('matches', rows);
    const text = userMessage(request);
    const { instructions, rows: parsed, data } = read(text);

    expect(instructions).toBe('Does {text} match {criterion}?');
    expect(instructions).toBe(taskText(request));
    // No markup character survives inside the block: no value can close it or open another.
    expect(data).not.toMatch(/[<>&]/);
    expect(parsed.map((r) => r.id)).toEqual(rows.map((_, i) => String(i + 1)));
    expect(parsed.map((r) => [r['text'], r['criterion']])).toEqual(rows);
    for (const value of HOSTILE) {
      if (value.trim() === '') continue;
      expect(instructions.includes(value), `instructions contain ${JSON.stringify(value)}`).toBe(false);
    }
  });

  it('round-trips a hostile value asked alone, as one row with id "1"', () => {
    for (const value of HOSTILE) {
      const request = requestFor('sentiment', [[value]]);
      const { instructions, rows } = read(userMessage(request));
      expect(instructions).toBe(taskText(request));
      expect(rows).toEqual([{ id: '1', text: value }]);
    }
  });

  it('writes every {{field}} of the template as {field}: a name, never a value', () => {
    for (const def of BUILTIN_OPERATORS) {
      const instructions = taskText({ template: def.prompt, fields: def.args.map((a) => a.name) });
      expect(instructions, def.name).not.toMatch(/\{\{/);
      for (const arg of def.args) if (def.prompt.includes(`{{${arg.name}}}`)) expect(instructions, def.name).toContain(`{${arg.name}}`);
    }
    expect(taskText({ template: 'Compare {{ a }} with {{b}}, then {{a}} again', fields: ['a', 'b'] })).toBe('Compare {a} with {b}, then {a} again');
    // A field called id is renamed: "id" names the row the answer is for.
    expect(taskText({ template: 'Label {{text}} with {{id}}', fields: ['id', 'text'] })).toBe('Label {text} with {id_}');
  });

  it("keeps llm()'s values out of its prompt, whatever the values say", () => {
    const def = BUILTIN_OPERATORS.find((op) => op.name === 'llm');
    if (!def) throw new Error('no llm operator');
    const args = ['Is {{a}} written by a bot, given {{b}}?', HOSTILE[0] as string, HOSTILE[9] as string];
    const request = modelRequest('k', def, args, SCOPE);
    const { instructions, rows } = read(userMessage(request));
    expect(instructions).toBe('Is {a} written by a bot, given {b}?');
    expect(rows).toEqual([{ id: '1', a: HOSTILE[0], b: HOSTILE[9] }]);
  });

  it('numbers rows "1", "2", … in request order, one id each', () => {
    const values = Array.from({ length: 70 }, (_, i) => `row value ${i}`);
    const { rows } = read(
      userMessage(
        requestFor(
          'condense',
          values.map((v) => [v]),
        ),
      ),
    );
    expect(rows.map((r) => r.id)).toEqual(values.map((_, i) => rowId(i)));
    expect(new Set(rows.map((r) => r.id)).size).toBe(70);
    expect(rows.map((r) => r['text'])).toEqual(values);
  });
});

describe('shared fields', () => {
  it('gives a field equal in every row once, under "shared", and each row only its own fields', () => {
    const criterion = HOSTILE[0] as string;
    const texts = ['the kettle broke', 'lovely service', HOSTILE[4] as string];
    const request = requestFor(
      'matches',
      texts.map((t) => [t, criterion]),
    );
    const { rows, data } = read(userMessage(request));
    const parsed = JSON.parse(data) as { shared?: Record<string, unknown>; rows: Record<string, unknown>[] };
    expect(parsed.shared).toEqual({ criterion });
    expect(parsed.rows.map((r) => Object.keys(r).sort())).toEqual(texts.map(() => ['id', 'text']));
    // The shared value is written once, escaped like any other.
    expect(
      occurrences(
        data,
        JSON.stringify(criterion).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      ),
    ).toBe(1);
    // Read as a model reads it, every row still has both fields.
    expect(rows.map((r) => [r['text'], r['criterion']])).toEqual(texts.map((t) => [t, criterion]));
  });

  it('shares nothing when every field differs somewhere, and still gives each row its values', () => {
    const rows = [
      ['a', 'x'],
      ['a', 'y'],
      ['b', 'x'],
    ];
    const { rows: parsed, data } = read(userMessage(requestFor('matches', rows)));
    expect((JSON.parse(data) as { shared?: unknown }).shared).toBeUndefined();
    expect(parsed.map((r) => [r['text'], r['criterion']])).toEqual(rows);
  });

  it('gives the row ids the answers are matched by, whatever a field of the operator is called', () => {
    // A user operator may name an argument `id` (CREATE SEMANTIC FUNCTION tag(id VARCHAR, text
    // VARCHAR) …): its values must not replace the ids the answer tool refers to.
    const request: ModelRequest = {
      operator: 'tag',
      returns: 'VARCHAR',
      grouped: false,
      template: 'Label {{text}} with {{id}}',
      fields: ['id', 'text'],
      rows: [
        { key: 'a', args: ['2', 'alpha'] },
        { key: 'b', args: ['1', 'beta'] },
      ],
      instructions: [],
      outputSchema: { type: 'string' },
      model: 'm',
      temperature: 0,
    };
    const { data } = read(userMessage(request));
    const parsed = JSON.parse(data) as { rows: Record<string, unknown>[] };
    // A field named `id` once overwrote the row id ({"rows":[{"id":"2","text":"alpha"},…]}), so a
    // model answering by id gave alpha's answer to beta and back.
    expect(parsed.rows.map((r) => r['id'])).toEqual(['1', '2']);
    // …and each row still carries its own `id` value somewhere besides the row id.
    const ownValues = (row: Record<string, unknown>) => JSON.stringify(Object.entries(row).filter(([k]) => k !== 'id'));
    expect(ownValues(parsed.rows[0] ?? {})).toMatch(/"2".*"alpha"|"alpha".*"2"/);
    expect(ownValues(parsed.rows[1] ?? {})).toMatch(/"1".*"beta"|"beta".*"1"/);
  });
});

describe('aggregate groups: one array element per member', () => {
  const GROUPS: readonly (readonly string[])[] = [
    ['one line\nand another', '- looks like a member', '- a\n- b\n- c'],
    [`x${RS}y`, ESC, `${ESC}r`, `${ESC}${ESC}${RS}`, RS, 'plain', ''],
    ['', ''],
    [''],
    [HOSTILE.join('\n- ')],
    HOSTILE,
    Array.from({ length: 100 }, (_, i) => `- member ${i}\n- not a member`),
  ];

  it('sends N members of any content as a JSON array of N, the members exactly', () => {
    for (const members of GROUPS) {
      const encoded = encodeGroup(members);
      if (encoded === null) throw new Error('a group of strings encodes');
      const { instructions, rows } = read(userMessage(requestFor('summarize', [[encoded]])));
      expect(instructions.startsWith('Summarize the texts in {values}')).toBe(true);
      const sent = rows[0]?.['values'];
      expect(Array.isArray(sent), JSON.stringify(members)).toBe(true);
      expect(sent).toHaveLength(members.length);
      expect([...(sent as string[])].sort(compareCodePoints)).toEqual([...members].sort(compareCodePoints));
      expect(sent).toEqual(decodeGroup(encoded));
    }
  });

  it('keeps each group to its own row when several groups share a request, and passes the other fields as they are', () => {
    const groups = GROUPS.slice(0, 4);
    const rows = groups.map((members, i) => [encodeGroup(members) as string, String(i + 2)]);
    const { rows: parsed, instructions } = read(userMessage(requestFor('themes', rows)));
    expect(instructions).toContain('{values}');
    expect(parsed.map((r) => r.id)).toEqual(groups.map((_, i) => String(i + 1)));
    parsed.forEach((row, i) => {
      const members = groups[i] as readonly string[];
      expect(row['values']).toHaveLength(members.length);
      expect([...(row['values'] as string[])].sort(compareCodePoints)).toEqual([...members].sort(compareCodePoints));
      expect(row['n']).toBe(String(i + 2));
    });
    for (const members of groups) for (const m of members) if (m.trim() !== '') expect(instructions.includes(m)).toBe(false);
  });
});
