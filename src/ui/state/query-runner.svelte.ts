import type { ExplainResult, QueryProgress, QueryResult, SemSQL } from '../../client';
import type { CallRecord } from '../../protocol/call-log';
import { errorRange, parseErrorPosition, relocateMessage, type ErrorPosition } from '../lib/error-position';
import { errorText } from '../lib/error-text';
import type { RunTarget } from '../lib/statement-at';
import type { Toasts } from './toasts.svelte';

export type Outcome =
  | { kind: 'ok'; result: QueryResult; sql: string }
  | { kind: 'error'; message: string; position: ErrorPosition | null; sql: string }
  | { kind: 'cancelled'; sql: string; progress: QueryProgress | null };

export interface RunningQuery {
  sql: string;
  startedAt: number;
  /** What the run waits for before it starts: the engine's start, or saved tables being restored. */
  waiting: 'engine' | 'tables' | null;
}

export type ResultView = 'results' | 'profile' | 'chart' | 'timeline' | 'plan';

/** Where a run's error is underlined: the editor its SQL came from (an EditorHost). */
export interface ErrorMarks {
  /** The editor's whole text; null when none is mounted (nothing is underlined then). */
  readonly text: string | null;
  showError(from: number, to: number, message: string): void;
  clearError(): void;
}

export interface QueryRunnerOptions {
  /** The open client, or null before it opens. */
  client: () => SemSQL | null;
  /**
   * The client once the engine is ready: a run started before then waits for it (the app lets
   * people write and press Run while DuckDB boots). Without it, a run before then does nothing.
   */
  whenReady?: () => Promise<SemSQL>;
  /**
   * Makes ready what the SQL needs before it runs (the app restores saved tables it names): a
   * promise while there is work to wait for, null when there is none.
   */
  prepare?: (sql: string) => Promise<void> | null;
  /** Where a result's warnings and an explain's error are said. */
  toasts: Toasts;
  /** The editor whose SQL this runner runs, for error underlines. */
  marks?: ErrorMarks;
  /** Each progress event, after the runner took it in; `tag` is what `run` was given (the widget's request id). */
  onProgress?: (progress: QueryProgress, tag: string | undefined) => void;
  /** After each run: the app records it in the history, the widget reports it to its host. */
  onFinished?: (outcome: Outcome, queryId: string | null, tag: string | undefined) => void;
}

/**
 * Runs one editor's queries, one at a time, and holds what the run bar, results and timeline show:
 * the live progress, the calls as they settle, and the last outcome. A result is whole: nothing
 * partial is ever put in `outcome`.
 */
export class QueryRunner {
  outcome = $state.raw<Outcome | null>(null);
  running = $state.raw<RunningQuery | null>(null);
  progress = $state.raw<QueryProgress | null>(null);
  /** Calls shown in the timeline, and whose they are. */
  calls = $state.raw<CallRecord[]>([]);
  callsQueryId = $state<string | null>(null);
  plan = $state.raw<ExplainResult | null>(null);
  view = $state<ResultView>('results');
  /** Finished runs this session: lets automation wait for "the next result". */
  runCount = $state(0);

  isRunning = $derived(this.running !== null);

  readonly #client: () => SemSQL | null;
  readonly #whenReady: (() => Promise<SemSQL>) | null;
  readonly #prepare: (sql: string) => Promise<void> | null;
  readonly #toasts: Toasts;
  readonly #marks: ErrorMarks | null;
  readonly #onProgress: NonNullable<QueryRunnerOptions['onProgress']>;
  readonly #onFinished: NonNullable<QueryRunnerOptions['onFinished']>;
  #controller: AbortController | null = null;
  /** Stop here: an aggregate's running estimates become its result. */
  #stop: AbortController | null = null;

  constructor(options: QueryRunnerOptions) {
    this.#client = options.client;
    this.#whenReady = options.whenReady ?? null;
    this.#prepare = options.prepare ?? (() => null);
    this.#toasts = options.toasts;
    this.#marks = options.marks ?? null;
    this.#onProgress = options.onProgress ?? (() => {});
    this.#onFinished = options.onFinished ?? (() => {});
  }

  /** Runs SQL with progress, timeline and error underline; `tag` goes to the hooks. Does nothing while a run is on. */
  async run(target: RunTarget, tag?: string): Promise<void> {
    const ready = this.#client();
    if (this.running || (!ready && !this.#whenReady)) return;
    this.#marks?.clearError();
    const controller = new AbortController();
    this.#controller = controller;
    const stop = new AbortController();
    this.#stop = stop;
    // The previous result goes away at once: what shows while running is progress, never rows.
    this.outcome = null;
    this.plan = null;
    this.progress = null;
    this.calls = [];
    this.callsQueryId = null;
    this.running = { sql: target.sql, startedAt: Date.now(), waiting: ready === null ? 'engine' : null };
    let outcome: Outcome;
    let queryId: string | null = null;
    try {
      const db = ready ?? (await untilReady(this.#whenReady as () => Promise<SemSQL>, controller.signal));
      const preparing = this.#prepare(target.sql);
      if (preparing) {
        this.running = { ...this.running, waiting: 'tables' };
        await preparing;
      }
      if (this.running.waiting) this.running = { ...this.running, startedAt: Date.now(), waiting: null };
      const result = await db.query(target.sql, { signal: controller.signal, stop: stop.signal, onProgress: (p) => this.#progressed(p, tag) });
      queryId = result.queryId;
      outcome = { kind: 'ok', result, sql: target.sql };
      for (const warning of result.warnings) this.#toasts.show(warning, 'info', 8000);
    } catch (e) {
      // onProgress ran meanwhile; TypeScript cannot see that assignment.
      queryId = (this.progress as QueryProgress | null)?.queryId ?? null;
      outcome = controller.signal.aborted
        ? { kind: 'cancelled', sql: target.sql, progress: this.progress }
        : {
            kind: 'error',
            message: relocateMessage(errorText(e), this.#marks?.text ?? target.sql, target.from),
            position: parseErrorPosition(errorText(e)),
            sql: target.sql,
          };
    }
    if (queryId) await this.showCalls(queryId, false);
    this.running = null;
    this.#controller = null;
    this.#stop = null;
    this.outcome = outcome;
    // A chart on show stays on show for the new result, and a result a stage drew a chart or diagram
    // for shows it; every other view gives way to the result.
    if (outcome.kind === 'ok' && outcome.result.visual) this.view = 'chart';
    else if (this.view !== 'chart' || outcome.kind !== 'ok') this.view = 'results';
    this.runCount++;
    if (outcome.kind === 'error' && outcome.position) this.#underline(target.from, outcome.position);
    this.#onFinished(outcome, queryId, tag);
  }

  /** Stops the running query; false when none runs. */
  cancel(): boolean {
    if (!this.#controller) return false;
    this.#controller.abort();
    return true;
  }

  /** Stop here: the running aggregate ends with its estimates as its result; false when none runs. */
  stopHere(): boolean {
    if (!this.#stop) return false;
    this.#stop.abort();
    return true;
  }

  /** EXPLAIN SEMANTIC of the target: the plan view, or the error underlined and said. */
  async explain(target: RunTarget): Promise<void> {
    const db = this.#client();
    if (!db || target.sql === '') return;
    this.#marks?.clearError();
    try {
      await this.#prepare(target.sql);
      this.plan = await db.explain(target.sql);
      this.view = 'plan';
    } catch (e) {
      const position = parseErrorPosition(errorText(e));
      if (position) this.#underline(target.from, position);
      this.#toasts.show(position?.detail ?? errorText(e), 'error');
    }
  }

  /** The timeline of any query this session ran (the call log lives in the engine). */
  async showCalls(queryId: string, switchView = true): Promise<void> {
    const db = this.#client();
    if (!db) return;
    const log = await db.callLog(queryId).catch(() => ({ calls: [] }));
    this.calls = log.calls;
    this.callsQueryId = queryId;
    if (switchView) this.view = 'timeline';
  }

  /** Each progress event of a run: its counts, and the calls that settled since the last one. */
  #progressed(progress: QueryProgress, tag: string | undefined): void {
    this.progress = progress;
    if (progress.calls.length > 0) {
      this.calls = this.callsQueryId === progress.queryId ? [...this.calls, ...progress.calls] : progress.calls;
      this.callsQueryId = progress.queryId;
    }
    this.#onProgress(progress, tag);
  }

  /** Underlines an error in the editor; `from` is where the SQL that ran starts in its text. */
  #underline(from: number, position: ErrorPosition): void {
    const marks = this.#marks;
    const text = marks?.text ?? null;
    if (!marks || text === null) return;
    const range = errorRange(text, from, position);
    marks.showError(range.from, range.to, position.detail);
  }
}

/** The ready client, or a rejection when the run is cancelled while it waits. */
function untilReady(whenReady: () => Promise<SemSQL>, signal: AbortSignal): Promise<SemSQL> {
  return new Promise<SemSQL>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('cancelled while the engine was starting')), { once: true });
    whenReady().then(resolve, reject);
  });
}
