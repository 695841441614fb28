import type { AnswerType as ReturnType, ModelAnswer, ModelRequest as ProviderRequest } from '../../../../src/protocol/model';
import type { MockQuestion as ModelRequest } from '../../../../src/llm/mock/question';

/** A request as the engine would build it; only what the mock reads matters. */
export function request(operator: string, args: string[], returns: ReturnType, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    key: `${operator}:${JSON.stringify(args)}`,
    operator,
    returns,
    args,
    grouped: false,
    prompt: args.join('\n'),
    instructions: [],
    outputSchema: {},
    model: 'mock-1',
    temperature: 0,
    ...extra,
  };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A question as a provider request of one row: what the mock provider is called with. */
export function asRequest(question: ModelRequest): ProviderRequest {
  const { key, args, prompt, ...rest } = question;
  return { ...rest, template: prompt, fields: [], rows: [{ key, args }] };
}

/** The value of a one-row answer (throws if the row failed). */
export function valueOf(answer: ModelAnswer): unknown {
  const row = answer.rows[0];
  if (!row?.ok) throw new Error(`no value: ${row ? row.error : 'no row'}`);
  return row.value;
}
