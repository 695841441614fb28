import { SemSQL, type ExplainResult, type OperatorInfo, type QueryProgress, type QueryResult, type TableInfo } from '../../client';
import type { CallRecord } from '../../protocol/call-log';
import type { EditorController } from '../editor/editor-controller';
import { errorRange, parseErrorPosition, relocateMessage, type ErrorPosition } from '../lib/error-position';
import { tableNameFor } from '../lib/naming';
import { decodeShare, encodeShare, shareUrl } from '../lib/share-link';
import type { RunTarget } from '../lib/statement-at';
import { QueryHistory } from './history.svelte';
import { SettingsState } from './settings.svelte';
import { Theme } from './theme.svelte';
import { Toasts } from './toasts.svelte';

export const SAMPLE_DATASETS = [
  { table: 'tweets', url: 'data/tweets.csv', title: 'Tweets', description: '3,000 synthetic tweets: id, author, text, created_at, likes' },
] as const;

export const EXAMPLE_SQL = `-- @ parallel: 8
-- Each semantic operator is one model call per distinct input, run 8 at a time.
SELECT id, author, text,
       sentiment(text) AS mood,
       text ALIGNS 'SQL is good for AI' AS sql_for_ai
FROM tweets
LIMIT 20;`;

export type Outcome =
  | { kind: 'ok'; result: QueryResult; sql: string }
  | { kind: 'error'; message: string; position: ErrorPosition | null; sql: string }
  | { kind: 'cancelled'; sql: string; progress: QueryProgress | null };

export interface RunningQuery {
  sql: string;
  startedAt: number;
}

export type ResultView = 'results' | 'timeline' | 'plan';

const DRAFT_KEY = 'semsql-draft';

/**
 * The workbench: the open client and everything the UI shows about it. Components read these fields
 * and call these methods; nothing else talks to the client.
 */
export class Workbench {
  phase = $state<'booting' | 'ready' | 'failed'>('booting');
  bootError = $state<string | null>(null);
  engineLabel = $state('');
  tables = $state.raw<TableInfo[]>([]);
  tableRows = $state.raw<Record<string, number>>({});
  operators = $state.raw<OperatorInfo[]>([]);
  /** The last finished run (a result is whole: nothing partial is ever put here). */
  outcome = $state.raw<Outcome | null>(null);
  running = $state.raw<RunningQuery | null>(null);
  progress = $state.raw<QueryProgress | null>(null);
  /** Calls shown in the timeline, and whose they are. */
  calls = $state.raw<CallRecord[]>([]);
  callsQueryId = $state<string | null>(null);
  plan = $state.raw<ExplainResult | null>(null);
  view = $state<ResultView>('results');
  loading = $state.raw<string[]>([]);
  sidebar = $state<'data' | 'history' | 'operators'>('data');
  settingsOpen = $state(false);
  shareLink = $state<string | null>(null);
  /** Finished runs this session: lets automation wait for "the next result". */
  runCount = $state(0);

  readonly history = new QueryHistory();
  readonly settings = new SettingsState();
  readonly theme = new Theme();
  readonly toasts = new Toasts();

  /** The open client; the widget sets its own. */
  protected client: SemSQL | null = null;
  protected editor: EditorController | null = null;
  #controller: AbortController | null = null;
  /** Where the SQL that last ran started in the editor, to place its error underline. */
  #runFrom = 0;
  initialSql = readDraft() ?? EXAMPLE_SQL;

  isRunning = $derived(this.running !== null);

  get db(): SemSQL | null {
    return this.client;
  }

  /** Opens the client, loads the sample data, then says so on <html> (browser tests wait for it). */
  async boot(): Promise<void> {
    const shared = await decodeShare(location.hash);
    if (shared !== null) {
      // The link's SQL replaces the draft; the hash goes so a reload keeps later edits.
      this.initialSql = shared;
      this.editor?.setText(shared);
      history.replaceState(null, '', location.pathname + location.search);
    }
    try {
      const db = await SemSQL.open();
      // Marks for the startup benchmark: the engine answers SQL here; the sample is in below.
      performance.mark('semsql:engine-ready');
      this.client = db;
      window.semsql = db;
      this.engineLabel = `DuckDB ${db.info.duckdbVersion} · ${db.info.bundle}`;
      // The client restarts a crashed engine by itself; say so and re-read what survived.
      db.onRestart((note) => {
        this.toasts.show(note, 'error', 12_000);
        void this.refreshCatalog();
      });
      // The app still works without the sample: a failure is a toast, and boot goes on.
      const sample = SAMPLE_DATASETS[0];
      await Promise.all([this.settings.attach(db), this.#load(sample.url, sample.table, () => db.load(sample.url, { table: sample.table }), { quiet: true })]);
      this.phase = 'ready';
      performance.mark('semsql:ready');
      document.documentElement.dataset.semsqlReady = 'true';
      // The schema browser and cache size fill in a moment later; a query need not wait for them.
      void this.refreshCatalog();
      void this.settings.refreshCache();
    } catch (e) {
      this.phase = 'failed';
      this.bootError = message(e);
    }
  }

  attachEditor(editor: EditorController | null): void {
    this.editor = editor;
  }

  editorChanged(doc: string): void {
    try {
      localStorage.setItem(DRAFT_KEY, doc);
    } catch {
      // Drafts are a convenience.
    }
  }

  async refreshCatalog(): Promise<void> {
    if (!this.client) return;
    const [tables, operators] = await Promise.all([this.client.tables(), this.client.operators()]);
    this.tables = tables;
    this.operators = operators;
    this.editor?.setSchema({ tables, operators });
  }

  /** Runs the selection or the statement under the cursor (Ctrl/Cmd+Enter). */
  runFromEditor(): void {
    const target = this.editor?.runTarget();
    if (!target || target.sql === '') return;
    void this.run(target);
  }

  /** Puts SQL in the editor and runs all of it: the example button, history re-runs. */
  async runSql(sql: string): Promise<void> {
    this.editor?.setText(sql);
    await this.run({ sql: sql.trim(), from: sql.length - sql.trimStart().length, to: sql.trimEnd().length });
  }

  /** Runs SQL with progress, timeline and error underline; `tag` is passed to the hooks below. */
  async run(target: RunTarget, tag?: string): Promise<void> {
    const db = this.client;
    if (!db || this.running) return;
    this.editor?.clearError();
    const controller = new AbortController();
    this.#controller = controller;
    this.#runFrom = target.from;
    // The previous result goes away at once: what shows while running is progress, never rows.
    this.outcome = null;
    this.plan = null;
    this.progress = null;
    this.calls = [];
    this.callsQueryId = null;
    this.running = { sql: target.sql, startedAt: Date.now() };
    let outcome: Outcome;
    let queryId: string | null = null;
    try {
      const result = await db.query(target.sql, { signal: controller.signal, onProgress: (p) => this.runProgress(p, tag) });
      queryId = result.queryId;
      outcome = { kind: 'ok', result, sql: target.sql };
      for (const warning of result.warnings) this.toasts.show(warning, 'info', 8000);
    } catch (e) {
      // onProgress ran meanwhile; TypeScript cannot see that assignment.
      queryId = (this.progress as QueryProgress | null)?.queryId ?? null;
      outcome = controller.signal.aborted
        ? { kind: 'cancelled', sql: target.sql, progress: this.progress }
        : { kind: 'error', message: relocateMessage(message(e), this.editor?.text ?? target.sql, target.from), position: parseErrorPosition(message(e)), sql: target.sql };
    }
    if (queryId) await this.showCalls(queryId, false);
    this.running = null;
    this.#controller = null;
    this.outcome = outcome;
    this.view = 'results';
    this.runCount++;
    if (outcome.kind === 'error' && outcome.position && this.editor) {
      const range = errorRange(this.editor.text, this.#runFrom, outcome.position);
      this.editor.showError(range.from, range.to, outcome.position.detail);
    }
    this.runFinished(outcome, queryId, tag);
  }

  /** Each progress event of a run: its counts, and the calls that settled since the last one. */
  protected runProgress(progress: QueryProgress, _tag: string | undefined): void {
    this.progress = progress;
    if (progress.calls.length > 0) {
      this.calls = this.callsQueryId === progress.queryId ? [...this.calls, ...progress.calls] : progress.calls;
      this.callsQueryId = progress.queryId;
    }
  }

  /** After a run: the app records it in the history; the widget reports it to its host instead. */
  protected runFinished(outcome: Outcome, queryId: string | null, _tag: string | undefined): void {
    void this.#record(outcome, queryId);
    // DDL, CREATE SEMANTIC FUNCTION and loads through SQL change the catalog.
    void this.refreshCatalog();
    void this.settings.refreshCache();
  }

  cancel(): boolean {
    if (!this.#controller) return false;
    this.#controller.abort();
    return true;
  }

  async explain(): Promise<void> {
    const target = this.editor?.runTarget();
    if (!this.client || !target || target.sql === '') return;
    this.editor?.clearError();
    try {
      this.plan = await this.client.explain(target.sql);
      this.view = 'plan';
    } catch (e) {
      const position = parseErrorPosition(message(e));
      if (position && this.editor) {
        const range = errorRange(this.editor.text, target.from, position);
        this.editor.showError(range.from, range.to, position.detail);
      }
      this.toasts.show(position?.detail ?? message(e), 'error');
    }
  }

  /** The timeline of any query this session ran (the call log lives in the engine). */
  async showCalls(queryId: string, switchView = true): Promise<void> {
    if (!this.client) return;
    const log = await this.client.callLog(queryId).catch(() => ({ calls: [] }));
    this.calls = log.calls;
    this.callsQueryId = queryId;
    if (switchView) this.view = 'timeline';
  }

  async #record(outcome: Outcome, queryId: string | null): Promise<void> {
    const stats = outcome.kind === 'ok' ? outcome.result.stats : null;
    const p = outcome.kind === 'cancelled' ? outcome.progress : null;
    await this.history.add({
      sql: outcome.sql,
      at: Date.now(),
      status: outcome.kind === 'ok' ? 'ok' : outcome.kind,
      queryId,
      rows: outcome.kind === 'ok' ? outcome.result.rows.length : null,
      wallMs: stats?.wall_ms ?? p?.elapsedMs ?? 0,
      calls: stats?.calls ?? p?.done ?? 0,
      cached: stats?.cached ?? p?.cached ?? 0,
      costUsd: stats?.cost_usd ?? p?.costUsd ?? 0,
      error: outcome.kind === 'error' ? outcome.message.split('\n')[0] ?? outcome.message : null,
    });
  }

  /** Loads dropped or picked files, one table each, named after the file. */
  async loadFiles(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const table = tableNameFor(file.name, this.tables.map((t) => t.name));
      await this.#load(file.name, table, () => this.#requireDb().load(file, { table }));
    }
  }

  async loadUrl(url: string, tableName?: string): Promise<void> {
    const trimmed = url.trim();
    if (trimmed === '') return;
    const table = tableName?.trim() || tableNameFor(trimmed, this.tables.map((t) => t.name));
    await this.#load(trimmed, table, () => this.#requireDb().load(new URL(trimmed, location.href), { table }));
  }

  async loadSample(sample: (typeof SAMPLE_DATASETS)[number]): Promise<void> {
    await this.#load(sample.url, sample.table, () => this.#requireDb().load(sample.url, { table: sample.table }));
  }

  /** `quiet`: no success toast and no catalog refresh (the boot does both its own way). */
  async #load(label: string, table: string, load: () => Promise<{ table: string; rows: number }>, options: { quiet?: boolean } = {}): Promise<void> {
    this.loading = [...this.loading, label];
    try {
      const loaded = await load();
      this.tableRows = { ...this.tableRows, [loaded.table]: loaded.rows };
      if (options.quiet) return;
      this.toasts.show(`Loaded ${loaded.rows.toLocaleString('en-US')} rows into ${loaded.table}`, 'success');
      await this.refreshCatalog();
    } catch (e) {
      this.toasts.show(`Could not load ${label} as ${table}: ${message(e)}`, 'error');
    } finally {
      this.loading = this.loading.filter((l) => l !== label);
    }
  }

  insertQuery(sql: string): void {
    this.editor?.append(sql);
  }

  openSql(sql: string): void {
    this.editor?.setText(sql);
  }

  /** Runs SQL that is not the user's query (operator form), returning an error message or null. */
  async execute(sql: string): Promise<string | null> {
    if (!this.client) return 'the engine is not ready';
    try {
      await this.client.query(sql);
      await this.refreshCatalog();
      return null;
    } catch (e) {
      return message(e);
    }
  }

  /** A link with the editor's SQL in the hash (never settings or the key); copied when possible. */
  async share(): Promise<string> {
    const hash = await encodeShare(this.editor?.text ?? '');
    const url = shareUrl(location, hash);
    this.shareLink = url;
    try {
      await navigator.clipboard.writeText(url);
      this.toasts.show('Share link copied to the clipboard', 'success');
    } catch {
      this.toasts.show('Share link ready: copy it from the box', 'info');
    }
    return url;
  }

  #requireDb(): SemSQL {
    if (!this.client) throw new Error('the engine is not ready');
    return this.client;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function readDraft(): string | null {
  try {
    const draft = localStorage.getItem(DRAFT_KEY);
    return draft && draft.trim() !== '' ? draft : null;
  } catch {
    return null;
  }
}
