import type { BatchFunction } from '../bridge/udf-bridge';
import type { OperatorDef } from '../sql';
import { cacheKey } from './cache-key';
import type { QueryRun } from './query-run';

/**
 * The batch function behind `__sem_<operator>`: answers each row from what is known and returns
 * NULL for the rest, recording them as misses. It never waits for a model: the executor resolves
 * misses between passes (docs/design.md, "The fixpoint executor").
 */
export function semanticBatchFunction(operator: OperatorDef, activeRun: () => QueryRun | null): BatchFunction {
  return (columns, rows) => {
    const run = activeRun();
    if (!run) throw new Error(`${operator.udf} is called by semsql's rewriter; write ${operator.name}(...) or its infix form instead`);
    const prefix = run.prefix(operator);
    const out = new Array<unknown>(rows);
    const argc = columns.length;
    const first = columns[0] as unknown[];
    // When every argument but the first is the same in the whole chunk (`text MEANS 'x'`, the
    // common case), rows are answered from a per-query memo keyed by the first argument alone:
    // no cache key is built or hashed for a value seen before (docs/design.md, "The UDF bridge": the cached path must
    // stay within a few times a native function).
    const memo =
      argc === 1 || columns.slice(1).every(isConstant)
        ? run.memo(
            cacheKey(
              prefix,
              columns.slice(1).map((c) => String(c[0])),
            ),
          )
        : null;
    const row = new Array<string>(argc);
    for (let r = 0; r < rows; r++) {
      if (memo) {
        const v = first[r];
        const known = typeof v === 'string' ? memo.get(v) : undefined;
        if (known !== undefined) {
          out[r] = known.value;
          continue;
        }
      }
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
      const hit = run.lookup(cacheKey(prefix, row), operator, () => row.slice());
      if (hit.found) {
        out[r] = hit.value;
        memo?.set(row[0] as string, { value: hit.value });
      } else {
        out[r] = null;
      }
    }
    return out;
  };
}

function isConstant(column: unknown[]): boolean {
  const v = column[0];
  if (v === null || v === undefined) return false;
  for (let i = 1; i < column.length; i++) if (column[i] !== v) return false;
  return true;
}
