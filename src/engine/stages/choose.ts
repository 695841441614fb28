import type { ChooseUse } from '../../sql';
import { argText, sqlString, stageError, type StageRun } from './stage-run';

/** Rows the discriminator sees: enough to judge a table by, few enough for one call. */
const SAMPLE_ROWS = 50;

/**
 * THEN CHOOSE: one call over the rows answers which condition describes them; the answer is matched
 * to a condition as written (case and spacing aside). BY names an aggregate operator of the user's
 * that answers instead (its one argument: the rows).
 */
export async function chooseBranch(run: StageRun, input: string, use: ChooseUse): Promise<string | undefined> {
  const conditions = use.branches.map((b) => argText(b.condition) ?? '');
  const at = { then: use.then, start: use.start, end: use.end };
  let answer: string | null;
  if (use.by === undefined) {
    answer = await run.ask('choose_branch', [sqlString(JSON.stringify(conditions))], at, { table: input, sample: SAMPLE_ROWS });
  } else {
    const op = run.deps.registry.get(use.by.text);
    if (op === undefined || op.shape !== 'aggregate')
      throw stageError(at, `CHOOSE BY ${use.by.text}: that is not an aggregate operator (CREATE SEMANTIC AGGREGATE FUNCTION ${use.by.text}(rows VARCHAR) ...)`);
    answer = await run.ask(op.name, [], at, { table: input, sample: SAMPLE_ROWS });
  }
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/^['"]|['"]$/g, '');
  return use.branches.find((b) => norm(argText(b.condition) ?? '') === norm(answer ?? ''))?.condition.text;
}
