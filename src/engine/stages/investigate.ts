import { generatedQuery, type QueryStatement, type StageUse } from '../../sql';
import { jsonValue, records } from './json-values';
import { argText, quoted, rowsOf, sqlString, stageError, type StageRun } from './stage-run';

/**
 * THEN INVESTIGATE: an agent over the data. Each turn the model sees the question, the rows (with the
 * query that made them and the database's tables) and every query it ran with what came back, and
 * either runs one more query or concludes. A query runs only once it is checked to be one read-only
 * statement (generatedQuery, as ASK_DATA's is), within what is left of the statement's budget; one
 * that is refused or fails is shown to the model as its error. Each turn is an ordinary call, cached
 * by its whole context: a rerun asks nothing again. The result shows every query, then the findings.
 */
export const MAX_TURNS = 8;
const CONTEXT_ROWS = 30;
const RESULT_ROWS = 10;

/** The tables and columns of the database, `t(a INTEGER, ...); ...`: what the agent may query. */
const SCHEMA =
  "SELECT string_agg(table_name || '(' || cols || ')', '; ' ORDER BY table_name) FROM (SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS cols FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT IN ('semantic_calls', 'semantic_queries') GROUP BY table_name)";

interface Ran {
  sql: string;
  columns?: string[];
  rows?: unknown[][];
  row_count?: number;
  error?: string;
}

interface Finding {
  finding: string;
  category: string;
  evidence: string;
  confidence: string | null;
}

async function contextOf(run: StageRun, input: string, use: StageUse): Promise<string> {
  const columns = await run.columns(input, use);
  const sample = await run.read(`SELECT * FROM ${quoted(input)} LIMIT ${CONTEXT_ROWS}`, use);
  const schema = (await run.read(SCHEMA, use)).rows[0]?.[0] ?? '';
  const query = run.statement.text.slice(0, Math.max(0, (run.statement.stages?.[0]?.start ?? run.statement.span.end) - run.statement.span.start)).trim();
  return [
    `Query: ${query.replace(/\s+/g, ' ')}`,
    `Columns: ${columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
    `Rows (the first ${sample.rows.length}):`,
    ...records(sample.columns, sample.rows).map((r) => JSON.stringify(r)),
    `Tables: ${String(schema)}`,
  ].join('\n');
}

/** Runs one query the model wrote, if it is one read-only query; what happened, for the next turn. */
async function runQuery(run: StageRun, sql: string): Promise<Ran> {
  let statement;
  try {
    statement = generatedQuery(sql, run.deps.registry);
  } catch (error) {
    return { sql, error: (error as Error).message.replace(/^ASK_DATA: /, '') };
  }
  const left = run.base().options;
  try {
    const result = await run.run({ ...statement, options: { ...statement.options, budget: left.budget } } as QueryStatement, sql);
    const { columns, rows } = rowsOf(result);
    return { sql, columns: columns.map((c) => c.name), rows: rows.slice(0, RESULT_ROWS).map((r) => r.map(jsonValue)), row_count: rows.length };
  } catch (error) {
    if (run.deps.signal.aborted) throw error;
    return { sql, error: (error as Error).message.split('\n')[0] ?? 'failed' };
  }
}

function parse(answer: string | null): { sql?: string; findings?: Finding[] } {
  try {
    const parsed = JSON.parse(answer ?? '') as { sql?: unknown; findings?: unknown };
    if (typeof parsed.sql === 'string') return { sql: parsed.sql };
    if (Array.isArray(parsed.findings))
      return { findings: parsed.findings.filter((f): f is Finding => f !== null && typeof f === 'object' && typeof (f as Finding).finding === 'string') };
  } catch {
    // neither: the turn ends the investigation with what it has
  }
  return {};
}

const shown = (q: Ran): Finding => ({
  finding: q.sql,
  category: 'query',
  evidence:
    q.error !== undefined
      ? `refused or failed: ${q.error}`
      : `${q.row_count ?? 0} row${q.row_count === 1 ? '' : 's'}: ${JSON.stringify((q.rows ?? []).slice(0, 3))}`,
  confidence: null,
});

export async function investigate(run: StageRun, input: string, use: StageUse): Promise<string> {
  const question = argText(use.args[0]);
  if (question === undefined) throw stageError(use, "THEN INVESTIGATE needs a question: INVESTIGATE 'why did they leave?'");
  const context = await contextOf(run, input, use);
  const queries: Ran[] = [];
  let findings: Finding[] | undefined;
  for (let turn = 1; turn <= MAX_TURNS && findings === undefined; turn++) {
    const transcript = JSON.stringify({ turns_left: MAX_TURNS - turn + 1, queries });
    const step = parse(await run.ask('investigate_step', [sqlString(question), sqlString(context), sqlString(transcript)], use));
    if (step.sql !== undefined && turn < MAX_TURNS) queries.push(await runQuery(run, step.sql));
    else findings = step.findings ?? [];
  }
  if (findings === undefined || findings.length === 0)
    findings = [
      { finding: `The investigation reached no conclusion in ${MAX_TURNS} turns`, category: 'answer', evidence: 'the queries above', confidence: 'low' },
    ];
  const rows = [...queries.map(shown), ...findings].map(
    (f) =>
      `(${[f.finding, f.category, f.evidence, f.confidence].map((v) => (v === null || v === undefined ? 'CAST(NULL AS VARCHAR)' : sqlString(String(v)))).join(', ')})`,
  );
  return run.materialize(`SELECT * FROM (VALUES ${rows.join(', ')}) AS t(finding, category, evidence, confidence)`, use);
}
