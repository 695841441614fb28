import { hashString, type StatementEffect } from '../sql';
import type { QueryRun } from './query-run';

/** Runs one SQL statement with `active` as the bridge's query (null: no operator may run); cancellable. */
export type RunSql<R> = (sql: string, active: QueryRun | null, signal?: AbortSignal) => Promise<R>;

/** What the executor needs of DuckDB (src/db implements it; unit tests fake it). */
export interface Database<R> {
  /** Exclusive use of the connection for `body`: no other statement runs in between. */
  exclusive<T>(body: (run: RunSql<R>) => Promise<T>): Promise<T>;
  rowCount(result: R): number;
  /** Semantic operator calls written inside views and macros: dependency levels a statement's text does not show. */
  hiddenOperatorCalls(): number;
}

/**
 * How a pass runs: `read` as written; `write` inside a transaction that is committed only by the pass
 * that found every answer, and rolled back otherwise, so passes change nothing until the statement
 * can take effect exactly once; `write-in-transaction` as written, once, inside the user's own
 * transaction (the executor makes any miss an error there); `rollback` inside a transaction that is
 * always rolled back (EXPLAIN SEMANTIC of a write).
 */
export type PassMode = 'read' | 'write' | 'write-in-transaction' | 'rollback';

export function passMode(effect: StatementEffect): 'read' | 'write' {
  return effect.kind === 'write' ? 'write' : 'read';
}

/**
 * random() must give the same rows on every pass of a query, or the fixpoint never settles; a seed
 * per query (not one for all) keeps random() random from one query to the next.
 */
function seedFor(queryId: string): string {
  const fraction = parseInt(hashString(queryId).slice(-8), 16) / 0xffffffff;
  return (fraction * 2 - 1).toFixed(8);
}

export async function runPass<R>(db: Database<R>, sql: string, run: QueryRun, mode: PassMode, signal: AbortSignal, queryId: string): Promise<R> {
  return db.exclusive(async (exec) => {
    await exec(`SELECT setseed(${seedFor(queryId)})`, null, signal);
    if (mode !== 'write' && mode !== 'rollback') return exec(sql, run, signal);
    await exec('BEGIN TRANSACTION', null, signal);
    let committed = false;
    try {
      const result = await exec(sql, run, signal);
      if (mode === 'write' && run.missCount === 0 && !run.stoppedAtMissLimit) {
        await exec('COMMIT', null);
        committed = true;
      }
      return result;
    } finally {
      // Not the query's signal: a cancelled write must still be rolled back.
      if (!committed) await exec('ROLLBACK', null).catch(() => undefined);
    }
  });
}
