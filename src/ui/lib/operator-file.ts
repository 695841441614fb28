import type { OperatorInfo } from '../../client';
import { draftFromOperator, type AnswerType, type OperatorDraft } from './operator-sql';

/** The file the Operators panel exports and imports: the user's operators as their form fields. */
export interface OperatorFile {
  format: 'semsql-operators';
  version: 1;
  operators: OperatorDraft[];
}

const ANSWER_TYPES: readonly AnswerType[] = ['BOOLEAN', 'DOUBLE', 'VARCHAR'];

/** The user's operators (not the built-ins), as JSON text for a file. */
export function exportOperators(operators: readonly OperatorInfo[]): string {
  const file: OperatorFile = { format: 'semsql-operators', version: 1, operators: operators.filter((o) => !o.builtin).map(draftFromOperator) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The operators in an exported file, and what could not be read. Each one still goes through the
 * engine's own check when it is created (CREATE SEMANTIC FUNCTION), like one typed by hand.
 */
export function parseOperatorFile(text: string): { drafts: OperatorDraft[]; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { drafts: [], problems: [`not JSON (${(e as Error).message})`] };
  }
  const file = parsed as Partial<OperatorFile> | null;
  if (!file || typeof file !== 'object' || file.format !== 'semsql-operators' || !Array.isArray(file.operators)) {
    return { drafts: [], problems: ['not a semsql operators file (exported from the Operators panel)'] };
  }
  const drafts: OperatorDraft[] = [];
  const problems: string[] = [];
  file.operators.forEach((entry: unknown, i) => {
    const o = entry as Partial<Record<keyof OperatorDraft, unknown>> | null;
    const fields = o && typeof o === 'object' ? o : {};
    const ok = ['name', 'args', 'prompt', 'infix'].every((k) => typeof fields[k as keyof OperatorDraft] === 'string') && ANSWER_TYPES.includes(fields.returns as AnswerType);
    if (!ok) {
      problems.push(`operator ${i + 1}${typeof fields.name === 'string' ? ` (${fields.name})` : ''}: missing or wrong fields`);
      return;
    }
    drafts.push({ name: fields.name as string, args: fields.args as string, returns: fields.returns as AnswerType, prompt: fields.prompt as string, infix: fields.infix as string });
  });
  return { drafts, problems };
}
