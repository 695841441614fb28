import { hashString, type OperatorDef } from '../sql';

/** What, besides the arguments, changes an answer: it is part of every cache key. */
export interface AnswerScope {
  /**
   * Who answers: 'mock', or the provider and its endpoint (e.g. 'anthropic:https://api.anthropic.com').
   * Part of every key, so an answer is only ever served as the model that gave it: a mock answer
   * stored under a real model's name is never read as that model's (issue 14).
   */
  provider: string;
  model: string;
  temperature: number;
  instructions: readonly string[];
}

/**
 * The key prefix for one operator in one scope. The operator version changes when a user operator's
 * prompt changes, so stale answers are never reused for it.
 */
export function keyPrefix(operator: OperatorDef, scope: AnswerScope): string {
  const instructions = scope.instructions.length === 0 ? '-' : hashString(scope.instructions.join('\n'));
  return `${operator.name}@${operator.version}|${scope.provider}|${scope.model}|t${scope.temperature}|${instructions}|`;
}

/** Length-prefixed arguments: unambiguous whatever characters the values hold, and cheap to build. */
export function cacheKey(prefix: string, args: readonly string[]): string {
  let key = prefix;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    key = key + arg.length + ':' + arg;
  }
  return key;
}
