import type { BatchFunction } from '../bridge/udf-bridge';
import type { OperatorDef } from '../sql';
import { cacheKey } from './cache-key';
import type { QueryRun } from './query-run';

/**
 * The batch function behind `__sem_<operator>`: answers each row from what is known and returns
 * NULL for the rest, recording them as misses. It never waits for a model: the executor resolves
 * misses between passes (DESIGN.md, "the fixpoint executor").
 */
export function semanticBatchFunction(operator: OperatorDef, activeRun: () => QueryRun | null): BatchFunction {
  return (columns, rows) => {
    const run = activeRun();
    if (!run) throw new Error(`${operator.udf} is called by semsql's rewriter; write ${operator.name}(...) or its infix form instead`);
    const prefix = run.prefix(operator);
    const out = new Array<unknown>(rows);
    const argc = columns.length;
    const row = new Array<string>(argc);
    for (let r = 0; r < rows; r++) {
      let isNull = false;
      for (let c = 0; c < argc; c++) {
        const v = (columns[c] as unknown[])[r];
        if (v === null || v === undefined) {
          isNull = true;
          break;
        }
        row[c] = typeof v === 'string' ? v : String(v);
      }
      if (isNull) {
        out[r] = null;
        continue;
      }
      const key = cacheKey(prefix, row);
      const hit = run.lookup(key, operator, () => row.slice());
      out[r] = hit.found ? hit.value : null;
    }
    return out;
  };
}
