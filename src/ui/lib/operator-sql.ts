import type { OperatorInfo } from '../../client';
import { createFunctionSql, userOperatorProblems, type UserOperatorDef } from '../../sql';

export type AnswerType = OperatorInfo['returns'];

/** The operator form's fields. Arguments are VARCHAR: semantic operators take text. */
export interface OperatorDraft {
  name: string;
  /** Argument names, comma or space separated: "text, criterion". */
  args: string;
  returns: AnswerType;
  prompt: string;
  /** Optional infix keyword(s), e.g. REFUTES; needs exactly two arguments. */
  infix: string;
}

export const EMPTY_DRAFT: OperatorDraft = { name: '', args: 'text', returns: 'VARCHAR', prompt: '', infix: '' };

export function argNames(args: string): string[] {
  return args
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** The statement the form runs; the engine parses, checks and stores it like one typed by hand. */
export function draftSql(draft: OperatorDraft, replace: boolean): string {
  return createFunctionSql(draftDefinition(draft), replace);
}

export function dropFunctionSql(name: string): string {
  return `DROP SEMANTIC FUNCTION ${name}`;
}

/** A form filled from a registered operator, for editing. */
export function draftFromOperator(op: OperatorInfo): OperatorDraft {
  return {
    name: op.name,
    args: op.args.map((a) => a.name).join(', '),
    returns: op.returns,
    prompt: op.prompt,
    infix: op.spellings.infix[0]?.join(' ') ?? '',
  };
}

/** The definition the form describes, as the engine will check and store it. */
export function draftDefinition(draft: OperatorDraft): UserOperatorDef {
  const def: UserOperatorDef = {
    name: draft.name.trim(),
    args: argNames(draft.args).map((name) => ({ name, type: 'VARCHAR' })),
    returns: draft.returns,
    prompt: draft.prompt,
  };
  if (draft.infix.trim() !== '') def.infix = draft.infix.trim().toUpperCase();
  return def;
}

/**
 * The problems the form can show before running anything, from the same check the engine runs on
 * CREATE SEMANTIC FUNCTION (src/sql/user-functions.ts); `existing` are the operators the engine
 * knows, less the one being edited.
 */
export function draftProblems(draft: OperatorDraft, existing: readonly OperatorInfo[] = []): Partial<Record<keyof OperatorDraft, string>> {
  const others = existing.filter((op) => op.builtin || op.name !== draft.name.trim().toLowerCase());
  return Object.fromEntries(userOperatorProblems(draftDefinition(draft), others).map((p) => [p.field, capitalize(p.message)]));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}

/** Words that spell semantic operators, for highlighting: infix keywords and function names. */
export function operatorWords(operators: readonly OperatorInfo[]): { infix: string[]; functions: string[] } {
  const infix = new Set<string>();
  const functions = new Set<string>();
  for (const op of operators) {
    for (const words of [...op.spellings.infix, ...(op.spellings.postfix ?? [])])
      for (const word of words) if (/^[A-Za-z_]+$/.test(word)) infix.add(word.toLowerCase());
    for (const fn of op.spellings.functions) functions.add(fn.toLowerCase());
  }
  return { infix: [...infix].sort(), functions: [...functions].sort() };
}

/** A user operator's definition, as the operator files of src/sql export it (with its postfix form, shape and examples). */
export function userDefinition(op: OperatorInfo): UserOperatorDef {
  const def: UserOperatorDef = { name: op.name, args: op.args.map((a) => ({ name: a.name, type: a.type })), returns: op.returns, prompt: op.prompt };
  const infix = op.spellings.infix[0];
  const postfix = op.spellings.postfix?.[0];
  if (infix) def.infix = infix.join(' ');
  else if (postfix) def.postfix = postfix.join(' ');
  if (op.shape === 'aggregate') def.shape = 'aggregate';
  if (op.description) def.description = op.description;
  if (op.examples && op.examples.length > 0) def.examples = op.examples;
  return def;
}

/** An operator's spellings as words, for searching a list. */
export function spellingWords(op: OperatorInfo): string[] {
  return [...op.spellings.infix, ...(op.spellings.postfix ?? [])].map((words) => words.join(' ')).concat(op.spellings.functions);
}
