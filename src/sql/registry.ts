import { BUILTIN_OPERATORS } from './catalogue';
import { checkUserOperator, userOperator } from './user-functions';
import type { OperandRule, OperatorDef, UserOperatorDef } from './types';

/**
 * One infix or postfix spelling: the keyword sequence (upper case, or a symbol such as '~'), its
 * operator, and when it applies.
 */
export interface InfixSpelling {
  words: string[];
  operator: OperatorDef;
  /** `x WORDS` with no right operand. */
  postfix: boolean;
  /** What the right operand must be for this spelling to apply. */
  rule?: OperandRule;
  /** Recognised only in query expressions (not in COPY ... TO or column DEFAULTs). */
  queryOnly: boolean;
}

/**
 * Every operator the rewriter knows: the built-ins plus user definitions. Immutable; `with` and
 * `without` return a new registry so a script's CREATE/DROP can apply to the statements after it.
 */
export interface Registry {
  readonly operators: readonly OperatorDef[];
  readonly userDefs: readonly UserOperatorDef[];
  get(name: string): OperatorDef | undefined;
  byUdf(udf: string): OperatorDef | undefined;
  /** The operator a function name calls (lower-cased lookup), if any. */
  byFunction(name: string): OperatorDef | undefined;
  /** Infix and postfix spellings whose first keyword is `first` (upper case), longest first, infix before postfix. */
  infixStartingWith(first: string): readonly InfixSpelling[];
  /** What SHOW SEMANTIC FUNCTIONS lists: every operator a user can write. */
  list(): OperatorDef[];
  with(def: UserOperatorDef): Registry;
  without(name: string): Registry;
}

export function createRegistry(userDefs: readonly UserOperatorDef[] = []): Registry {
  const operators: OperatorDef[] = [...BUILTIN_OPERATORS];
  const accepted: UserOperatorDef[] = [];
  for (const def of userDefs) {
    const problem = checkUserOperator(def, operators);
    if (problem !== undefined) throw new Error(`semantic function ${def.name}: ${problem.message}`);
    operators.push(userOperator(def));
    accepted.push(def);
  }
  return build(operators, accepted);
}

function build(operators: OperatorDef[], userDefs: UserOperatorDef[]): Registry {
  const byName = new Map<string, OperatorDef>();
  const byUdf = new Map<string, OperatorDef>();
  const byFunction = new Map<string, OperatorDef>();
  const infix = new Map<string, InfixSpelling[]>();
  for (const op of operators) {
    byName.set(op.name, op);
    byUdf.set(op.udf, op);
    for (const fn of op.spellings.functions) byFunction.set(fn, op);
    const spellings = [...op.spellings.infix.map((words) => ({ words, postfix: false })), ...op.spellings.postfix.map((words) => ({ words, postfix: true }))];
    for (const { words, postfix } of spellings) {
      const first = words[0];
      if (first === undefined) continue;
      const key = words.join(' ');
      const spelling: InfixSpelling = { words, operator: op, postfix, queryOnly: op.queryOnly?.includes(key) === true };
      const rule = postfix ? undefined : op.operandRules?.[key];
      if (rule !== undefined) spelling.rule = rule;
      const list = infix.get(first) ?? [];
      list.push(spelling);
      list.sort((a, b) => b.words.length - a.words.length || Number(a.postfix) - Number(b.postfix));
      infix.set(first, list);
    }
  }
  const registry: Registry = {
    operators,
    userDefs,
    get: (name) => byName.get(name.toLowerCase()),
    byUdf: (udf) => byUdf.get(udf.toLowerCase()),
    byFunction: (name) => byFunction.get(name.toLowerCase()),
    infixStartingWith: (first) => infix.get(first) ?? [],
    list: () => operators.filter((op) => op.internal !== true),
    with: (def) => {
      const rest = userDefs.filter((d) => d.name.toLowerCase() !== def.name.toLowerCase());
      return createRegistry([...rest, def]);
    },
    without: (name) => createRegistry(userDefs.filter((d) => d.name.toLowerCase() !== name.toLowerCase())),
  };
  return registry;
}
