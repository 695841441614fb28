import type { ConnectionIdentity } from '../protocol/model-calls';
import type { ResolvedOptions } from '../protocol/resolved-options';
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
  /** Who answers the embedding operators (src/engine/embedding-hooks.ts): their answers are its, whatever the model. */
  embeddings?: { provider: string; model: string };
}

/**
 * The key prefix for one operator in one scope. The operator version changes when a user operator's
 * prompt changes, so stale answers are never reused for it.
 */
export function keyPrefix(operator: OperatorDef, scope: AnswerScope): string {
  // A vector depends on the text and the embeddings model only: not on the chat model or instructions.
  if (operator.execution === 'embeddings' && scope.embeddings)
    return `${operator.name}@${operator.version}|${scope.embeddings.provider}|${scope.embeddings.model}|t0|-|`;
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

/** A statement's scope: who answers (the provider connection's identity) and the options it runs with. */
export function answerScope(identity: ConnectionIdentity, options: Pick<ResolvedOptions, 'model' | 'temperature' | 'instructions'>): AnswerScope {
  return {
    provider: identity.provider,
    model: options.model,
    temperature: options.temperature,
    instructions: options.instructions,
    embeddings: identity.embeddings,
  };
}
