import type { OperatorInfo } from '../../protocol/duckdb-worker-api';

export type ReturnType = 'BOOLEAN' | 'DOUBLE' | 'VARCHAR';

/** The operator form's fields. Arguments are VARCHAR: semantic operators take text. */
export interface OperatorDraft {
  name: string;
  /** Argument names, comma or space separated: "text, criterion". */
  args: string;
  returns: ReturnType;
  prompt: string;
  /** Optional infix keyword(s), e.g. REFUTES; needs exactly two arguments. */
  infix: string;
}

export const EMPTY_DRAFT: OperatorDraft = { name: '', args: 'text', returns: 'VARCHAR', prompt: '', infix: '' };

export function argNames(args: string): string[] {
  return args.split(/[\s,]+/).map((a) => a.trim()).filter((a) => a !== '');
}

export function quoteSqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The statement the form runs; the engine parses, checks and stores it like one typed by hand. */
export function createFunctionSql(draft: OperatorDraft, replace: boolean): string {
  const args = argNames(draft.args).map((a) => `${a} VARCHAR`).join(', ');
  const infix = draft.infix.trim() === '' ? '' : ` INFIX ${quoteSqlString(draft.infix.trim().toUpperCase())}`;
  return `CREATE ${replace ? 'OR REPLACE ' : ''}SEMANTIC FUNCTION ${draft.name.trim()}(${args}) RETURNS ${draft.returns} AS ${quoteSqlString(draft.prompt)}${infix}`;
}

export function dropFunctionSql(name: string): string {
  return `DROP SEMANTIC FUNCTION ${name}`;
}

/** A form filled from a registered operator, for editing. */
export function draftFromOperator(op: OperatorInfo): OperatorDraft {
  const returns: ReturnType = op.returns === 'BOOLEAN' || op.returns === 'DOUBLE' ? op.returns : 'VARCHAR';
  const infix = op.spellings.find((s) => !s.endsWith('(...)')) ?? '';
  return {
    name: op.name,
    args: op.args.map((a) => a.split(/\s+/)[0] ?? '').filter((a) => a !== '').join(', '),
    returns,
    prompt: op.prompt,
    infix,
  };
}

/** Problems the form can show before running anything; the engine has the last word. */
export function draftProblems(draft: OperatorDraft): Partial<Record<keyof OperatorDraft, string>> {
  const problems: Partial<Record<keyof OperatorDraft, string>> = {};
  const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
  if (!ident.test(draft.name.trim())) problems.name = 'Letters, digits and _; not starting with a digit.';
  const args = argNames(draft.args);
  if (args.length === 0) problems.args = 'At least one argument.';
  else if (args.some((a) => !ident.test(a))) problems.args = 'Argument names are identifiers, e.g. text, criterion.';
  if (draft.prompt.trim() === '') problems.prompt = 'Say what the model should do, using {{arg}} for arguments.';
  else {
    const unknown = [...draft.prompt.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] ?? '').find((p) => !args.some((a) => a.toLowerCase() === p.toLowerCase()));
    if (unknown !== undefined) problems.prompt = `{{${unknown}}} is not an argument.`;
  }
  if (draft.infix.trim() !== '' && args.length !== 2) problems.infix = 'An infix operator takes exactly two arguments.';
  return problems;
}

/** Words that spell semantic operators, for highlighting: infix keywords and function names. */
export function operatorWords(operators: readonly OperatorInfo[]): { infix: string[]; functions: string[] } {
  const infix = new Set<string>();
  const functions = new Set<string>();
  for (const op of operators) {
    for (const spelling of op.spellings) {
      if (spelling.endsWith('(...)')) functions.add(spelling.slice(0, -5).toLowerCase());
      else for (const word of spelling.split(/\s+/)) if (/^[A-Za-z_]+$/.test(word)) infix.add(word.toLowerCase());
    }
  }
  return { infix: [...infix].sort(), functions: [...functions].sort() };
}
