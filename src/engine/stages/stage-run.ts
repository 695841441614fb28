import type { StorageScope } from '../../protocol/duckdb-worker-api';
import type { QueryStats } from '../../protocol/progress';
import type { ColumnarResult } from '../../protocol/results';
import type { ResultVisual } from '../../protocol/visuals';
import {
  engineErrorInUserTerms,
  groupEncodingSql,
  hashString,
  materialized,
  quotedValue,
  SemanticSqlError,
  stepStatement,
  stringValue,
  writtenCallContext,
  type CallSite,
  type Fragment,
  type ParsedStatement,
  type QueryStatement,
  type Registry,
  type StageUse,
  type StepStatementBase,
} from '../../sql';
import { addStats, ZERO_STATS, type StatementOutput } from '../query-stats';

/** What a staged pipeline needs from the engine: a way to run statements, and where it stands. */
export interface StageDeps {
  /** Runs one statement through the engine (passes, cache, budget, call log), as a user's would be. */
  run(statement: ParsedStatement): Promise<StatementOutput>;
  registry: Registry;
  /** The statement's budget: every step's calls count against it. */
  budget: number;
  queryId: string;
  /** The user's script, for errors placed in it. */
  source: string;
  /** Where saved tables are kept (the app's, or an embedding host's). */
  scope: StorageScope;
  /** Tells the user something once, with the result. */
  warn(message: string): void;
  signal: AbortSignal;
}

export interface Rows {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A stage argument's value: a string's text, a quoted name's name, a number or word as written. */
export function argText(t: StageUse['args'][number] | undefined): string | undefined {
  if (t === undefined) return undefined;
  return t.kind === 'string' ? stringValue(t) : t.kind === 'quoted' ? quotedValue(t) : t.text;
}

/** An error about a stage, placed at its THEN in the user's script. */
export function stageError(use: Pick<StageUse, 'then'>, message: string): SemanticSqlError {
  return new SemanticSqlError({ line: use.then.line, column: use.then.column, offset: use.then.start, token: use.then.text, expected: '', message });
}

/** Rows of a columnar result. */
export function rowsOf(result: ColumnarResult): Rows {
  return { columns: result.columns, rows: Array.from({ length: result.rowCount }, (_, r) => result.values.map((column) => column[r] ?? null)) };
}

/**
 * One staged pipeline as it runs: the temp tables its steps make (dropped at the end), the stats and
 * budget they share, and what the steps leave for the response (a chart, saved tables).
 */
export class StageRun {
  readonly stats: QueryStats = { ...ZERO_STATS };
  visual: ResultVisual | undefined;
  readonly saved: string[] = [];
  readonly #tables: string[] = [];
  readonly #prefix: string;

  constructor(
    readonly statement: QueryStatement,
    readonly deps: StageDeps,
  ) {
    this.#prefix = `__semsql_stage_${hashString(deps.queryId).slice(0, 8)}`;
  }

  /** The base of a step's statement: the user's statement, with the budget that is left. */
  base(): StepStatementBase {
    const left = Math.max(0, this.deps.budget - this.stats.attempts);
    return { text: this.statement.text, span: this.statement.span, options: { ...this.statement.options, budget: left } };
  }

  /**
   * Runs a statement; its errors are told at the step it stands for (in `script`, the user's unless the
   * SQL is a model's), its stats added to the pipeline's.
   */
  async run(statement: ParsedStatement, script = this.deps.source): Promise<ColumnarResult> {
    const out = await this.deps.run(statement).catch((error: unknown) => {
      throw engineErrorInUserTerms(error, 'sourceMap' in statement ? statement : { sql: '' }, script);
    });
    addStats(this.stats, out.stats);
    return out.result;
  }

  /** A new temp table's name. */
  table(): string {
    const name = `${this.#prefix}_${this.#tables.length}`;
    this.#tables.push(name);
    return name;
  }

  /** Keeps `query`'s rows as a new temp table (its calls resolved first, the table written once). */
  async materialize(query: string | Fragment, at: { start: number; end: number }, callSites: CallSite[] = []): Promise<string> {
    const out = this.table();
    await this.run(materialized(this.base(), out, query, at, callSites));
    return out;
  }

  /** Runs a statement that writes (a table the user gets: INTO, TO_PROPERTY_GRAPH), once. */
  async write(sql: string, at: { start: number; end: number }): Promise<void> {
    await this.run(stepStatement(this.base(), sql, at, { kind: 'write' }));
  }

  async read(sql: string, at: { start: number; end: number }): Promise<Rows> {
    return rowsOf(await this.run(stepStatement(this.base(), sql, at, { kind: 'read' })));
  }

  async columns(table: string, at: { start: number; end: number }): Promise<{ name: string; type: string }[]> {
    const described = await this.read(`DESCRIBE SELECT * FROM ${quoted(table)}`, at);
    return described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }

  /**
   * Asks an internal operator once: `args` are SQL expressions; an aggregate one sees the first
   * `sample` rows of `table` as its group (each row as DuckDB's struct text).
   */
  async ask(operator: string, args: string[], at: { start: number; end: number }, over?: { table: string; sample: number }): Promise<string | null> {
    const op = this.deps.registry.get(operator);
    if (op === undefined) throw new Error(`${operator} is not available`);
    const cast = args.map((a) => `CAST(${a} AS VARCHAR)`);
    const sql =
      over === undefined
        ? `SELECT ${op.udf}(${cast.join(', ')}) AS answer`
        : `SELECT ${op.udf}(${[groupEncodingSql('__row'), ...cast].join(', ')}) AS answer FROM (SELECT * FROM ${quoted(over.table)} LIMIT ${over.sample}) AS __row`;
    const before = this.deps.source.slice(0, at.start);
    const site: CallSite = {
      operator: op.name,
      udf: op.udf,
      span: { start: at.start, end: at.end, line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') },
      args,
      shape: op.shape,
      spelling: 'function',
      context: writtenCallContext(),
    };
    const { rows } = rowsOf(await this.run(stepStatement(this.base(), sql, at, { kind: 'read' }, [site])));
    const answer = rows[0]?.[0];
    return answer === null || answer === undefined ? null : String(answer);
  }

  /** Drops the temp tables; a failure here must not hide the pipeline's own outcome. */
  async drop(): Promise<void> {
    for (const table of this.#tables.splice(0)) {
      await this.deps.run(stepStatement(this.base(), `DROP TABLE IF EXISTS ${quoted(table)}`, this.statement.span, { kind: 'write' })).catch(() => {});
    }
  }
}
