/**
 * Reading a Messages API request the way a model would: its instructions, and the rows of its
 * `<data>` block (src/llm/prompt.ts), each with the fields shared by all rows. For fake models and
 * for tests that check what reached the provider.
 */
export interface PromptRow {
  id: string;
  [field: string]: unknown;
}

interface Body {
  messages?: { content?: unknown }[];
}

/** The user turn of a request body. */
export function userTurn(body: unknown): string {
  const content = (body as Body | undefined)?.messages?.[0]?.content;
  return typeof content === 'string' ? content : '';
}

/** The instructions: the user turn before its data block. */
export function instructionsOf(body: unknown): string {
  const text = userTurn(body);
  const at = text.indexOf('<data>');
  return (at < 0 ? text : text.slice(0, at)).trim();
}

/** The data block's JSON text, exactly as sent, or '' when there is none. */
export function dataText(body: unknown): string {
  const m = /<data>\n([\s\S]*)\n<\/data>\s*$/.exec(userTurn(body));
  return m?.[1] ?? '';
}

/** Each row's fields, the shared ones included; [] when the body holds no data block. */
export function rowsOf(body: unknown): PromptRow[] {
  const text = dataText(body);
  if (text === '') return [];
  const data = JSON.parse(text) as { shared?: Record<string, unknown>; rows?: PromptRow[] };
  return (data.rows ?? []).map((row) => ({ ...data.shared, ...row }));
}
