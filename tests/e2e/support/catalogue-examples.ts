import type { Page } from 'playwright-core';
import { BUILTIN_OPERATORS, PIPELINE_FORMS, PIPELINE_STAGES, type OperatorDef } from '../../../src/sql';

/** One example of the catalogue, as docs/semantic-sql.md shows it and a test runs it. */
export interface CatalogueExample {
  sql: string;
  /** The operator (or THEN stage) it belongs to. */
  owner: string;
}

/** What an example answered: its columns and first rows (values as they crossed to the page). */
export interface ExampleResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

/** Rows shown and compared per example: enough to see the answers, few enough to read. */
export const SHOWN_ROWS = 3;

/** Every example of every operator, THEN stage and pipeline form, once each (a dimension's label step shares its examples). */
export function catalogueExamples(operators: readonly OperatorDef[] = BUILTIN_OPERATORS): CatalogueExample[] {
  const seen = new Set<string>();
  const out: CatalogueExample[] = [];
  const add = (sql: string, owner: string) => {
    if (seen.has(sql)) return;
    seen.add(sql);
    out.push({ sql, owner });
  };
  for (const op of operators) for (const e of op.examples) add(e.sql, op.name);
  // A refused stage has no example: using one is an error (tests/e2e/lars-v24.test.ts).
  for (const stage of PIPELINE_STAGES) if (stage.runs !== 'refused') add(stage.example, `THEN ${stage.name}`);
  for (const form of PIPELINE_FORMS) add(form.example, form.name);
  return out;
}

/** Runs an example in the app on `page` (the mock answering) and keeps what docs show of it. */
export async function runExample(page: Page, sql: string): Promise<ExampleResult> {
  return page.evaluate(
    ({ q, shown }) =>
      window.semsql!.query(q).then((r) => ({
        columns: r.columns.map((c) => c.name),
        rows: r.rows.slice(0, shown).map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v))),
        rowCount: r.rows.length,
      })),
    { q: sql, shown: SHOWN_ROWS },
  );
}
