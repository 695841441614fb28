import { earlyLimitPlan, type ParsedStatement, type Registry, type TransactionAction, type UserOperatorDef } from '../sql';

/**
 * What the engine does with each parsed statement: pure, so every kind's routing is unit-tested
 * without DuckDB. The engine service carries the actions out.
 */
export type StatementAction =
  /** Through the fixpoint executor; `early` when the statement may stop at its LIMIT's rows. */
  | { kind: 'execute'; early: { limit: number } | null; inTransaction: boolean }
  | { kind: 'transaction'; action: TransactionAction }
  | { kind: 'explain' }
  | { kind: 'define'; definition: UserOperatorDef; registry: Registry }
  | { kind: 'drop'; name: string; registry: Registry | null }
  | { kind: 'list' }
  | { kind: 'refuse'; message: string };

export interface DispatchState {
  registry: Registry;
  /** The user's BEGIN ... COMMIT is open on the connection. */
  inTransaction: boolean;
}

export function dispatch(statement: ParsedStatement, state: DispatchState): StatementAction {
  switch (statement.kind) {
    case 'explain':
      return { kind: 'explain' };
    case 'show_functions':
      return { kind: 'list' };
    case 'create_function': {
      const def = statement.definition;
      const existing = state.registry.get(def.name);
      if (existing && !statement.orReplace)
        return { kind: 'refuse', message: `semantic function ${def.name} already exists (use CREATE OR REPLACE SEMANTIC FUNCTION)` };
      return { kind: 'define', definition: def, registry: state.registry.without(def.name).with(def) };
    }
    case 'drop_function': {
      const existing = state.registry.get(statement.name);
      if (existing?.builtin) return { kind: 'refuse', message: `${statement.name} is a built-in operator and cannot be dropped` };
      if (!existing)
        return statement.ifExists
          ? { kind: 'drop', name: statement.name, registry: null }
          : { kind: 'refuse', message: `semantic function ${statement.name} does not exist` };
      return { kind: 'drop', name: statement.name, registry: state.registry.without(statement.name) };
    }
    case 'passthrough':
    case 'query': {
      const effect = statement.effect;
      if (effect.kind === 'transaction') return { kind: 'transaction', action: effect.action };
      if (statement.kind === 'query' && state.inTransaction && effect.kind !== 'read') {
        return {
          kind: 'refuse',
          message:
            'this statement writes with semantic operators inside BEGIN ... COMMIT: semsql resolves their answers by running the statement, ' +
            'rolled back, until every answer is known, and a rollback here would undo your transaction. Run it after COMMIT, or cache the answers first with its SELECT.',
        };
      }
      let early: { limit: number } | null = null;
      if (statement.kind === 'query' && effect.kind === 'read') {
        const plan = earlyLimitPlan(statement);
        if (plan.eligible) early = { limit: plan.limit };
      }
      return { kind: 'execute', early, inTransaction: state.inTransaction };
    }
  }
}

/** The connection's transaction state after a transaction statement ran (or failed). */
export function transactionAfter(action: TransactionAction, succeeded: boolean, before: boolean): boolean {
  if (action === 'begin') return succeeded || before;
  // COMMIT and ROLLBACK end the transaction, and a failed COMMIT rolls it back.
  return false;
}
