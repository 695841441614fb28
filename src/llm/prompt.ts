import { decodeGroup, type OperatorDef } from '../sql';

/**
 * Fills an operator's template. `{{name}}` takes the argument of that name; a group argument (an
 * aggregate's values) is listed one value per line. Unknown placeholders are left as written.
 */
export function renderPrompt(operator: OperatorDef, args: readonly string[]): string {
  const byName = new Map<string, string>();
  operator.args.forEach((arg, i) => {
    if (arg.variadic) {
      byName.set(arg.name, args.slice(i).join(', '));
      args.slice(i).forEach((value, k) => byName.set(`${arg.name}${k + 1}`, value));
      return;
    }
    const value = args[i];
    if (value === undefined) return;
    byName.set(arg.name, arg.group ? decodeGroup(value).map((v) => `- ${v}`).join('\n') : value);
  });
  return operator.prompt.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => byName.get(name) ?? whole);
}

/** A rough token count (about four characters a token), for EXPLAIN's estimates. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
