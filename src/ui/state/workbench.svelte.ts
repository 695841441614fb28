import { memorySavedTables, savedTablesFor, type LoadedTable, type LoadProgress, type SemSQL } from '../../client';
import { errorText } from '../lib/error-text';
import { wordUses } from '../lib/keyword-rank';
import { tablesNamedIn } from '../../sql';
import { tableNameFor } from '../lib/naming';
import { EXAMPLE_SQL, SAMPLE_DATASETS, type SampleDataset } from '../lib/samples';
import { decodeShare, encodeShare, shareUrl } from '../lib/share-link';
import { wholeText } from '../lib/statement-at';
import { Catalog } from './catalog.svelte';
import { ColumnProfiler } from './column-profiler.svelte';
import type { QueryPane } from './context';
import type { EditorHost } from './editor-host';
import { EngineConnection } from './engine-connection.svelte';
import { historyEntry, QueryHistory } from './history.svelte';
import { QueryRunner, type Outcome } from './query-runner.svelte';
import { QueryTabs } from './query-tabs.svelte';
import { TableKeeper } from './table-keeper';
import { SettingsState } from './settings.svelte';
import { Theme } from './theme.svelte';
import { Toasts } from './toasts.svelte';

/**
 * The app: one engine, its catalog, query tabs (each an editor with its query runner), and what only
 * the app has (history, settings, data loading, sharing, the sidebar). Components read these pieces
 * and call these methods; nothing else talks to the client.
 */
export class Workbench implements QueryPane {
  loading = $state.raw<string[]>([]);
  /** How far each load under way has got, by its label (large Parquet and JSON files report it). */
  loadProgress = $state.raw<Record<string, LoadProgress>>({});
  sidebar = $state<'data' | 'history' | 'operators'>('data');
  settingsOpen = $state(false);
  /** On a narrow screen the side panels are a drawer: whether it is open. */
  drawerOpen = $state(false);
  shareLink = $state<string | null>(null);

  readonly engine = new EngineConnection();
  readonly history = new QueryHistory();
  readonly settings = new SettingsState();
  readonly theme = new Theme();
  readonly toasts = new Toasts();
  readonly catalog = new Catalog({
    client: () => this.engine.client,
    onSchema: (schema) => {
      for (const tab of this.tabs.tabs) tab.editor.setSchema(schema);
    },
  });
  /** Tables loaded from files and URLs, kept across reloads and restored when first used. */
  readonly keeper = new TableKeeper({
    store: typeof indexedDB === 'undefined' ? memorySavedTables() : savedTablesFor({ namespace: null, readsAppState: false }),
    catalog: this.catalog,
    toasts: this.toasts,
    whenOpen: () => this.engine.whenOpen(),
  });
  /** Each tab keeps its text across reloads, so a reload gives back what was being written. */
  readonly tabs = new QueryTabs({
    storage: browserStorage(),
    initialSql: EXAMPLE_SQL,
    make: {
      runner: (editor) =>
        new QueryRunner({
          client: () => this.engine.client,
          whenReady: () => this.engine.whenOpen(),
          prepare: (sql) => this.#prepare(sql),
          toasts: this.toasts,
          marks: editor,
          onFinished: (outcome, queryId) => this.#finished(outcome, queryId),
        }),
      profiler: () => new ColumnProfiler({ whenReady: () => this.engine.whenOpen(), prepare: (sql) => this.#prepare(sql) }),
    },
  });

  /** The sample table's load, while it runs: queries that name it wait for it, others do not. */
  #sampleLoad: Promise<unknown> | null = null;

  /** What a query or profile waits for before it runs: saved tables it names, and the sample while it loads. */
  #prepare(sql: string): Promise<void> | null {
    const restoring = this.keeper.restoreFor(sql);
    const sample = this.#sampleLoad && tablesNamedIn(sql, [SAMPLE_DATASETS[0].table]).length > 0 ? this.#sampleLoad : null;
    return restoring || sample ? Promise.all([restoring, sample]).then(() => {}) : null;
  }

  /** The editor of the tab on show. */
  get editor(): EditorHost {
    return this.tabs.active.editor;
  }

  /** The runner of the tab on show. */
  get runner(): QueryRunner {
    return this.tabs.active.runner;
  }

  /** The column profile of the tab on show. */
  get profiler(): ColumnProfiler {
    return this.tabs.active.profiler;
  }

  /** Profiles a table's columns in the tab on show (from the data panel). */
  profileTable(table: string): void {
    this.runner.view = 'profile';
    this.drawerOpen = false;
    void this.profiler.profile({ kind: 'table', table }, `table ${table}`);
  }

  /** Opens SQL in a new tab and runs it (the failed calls of a run, a table's profile query). */
  readonly openQuery = (sql: string, title?: string): void => {
    const tab = this.tabs.open(sql, title);
    void tab.runner.run(wholeText(sql));
  };

  /**
   * Takes the client that is opening, loads the sample data, then says so on <html> (browser tests
   * wait for it). The sample's bytes are fetched while DuckDB boots, not after.
   */
  async boot(opening: Promise<SemSQL>): Promise<void> {
    const sample = SAMPLE_DATASETS[0];
    const sampleBytes = fetchBytes(sample.url);
    sampleBytes.catch(() => {}); // said by the load below, if the engine gets that far
    const shared = await decodeShare(location.hash);
    if (shared !== null) {
      // The link's SQL opens in a tab of its own; the hash goes so a reload keeps later edits.
      this.tabs.open(shared, 'Shared query');
      history.replaceState(null, '', location.pathname + location.search);
    }
    void this.history.whenLoaded().then(() => this.#countWords());
    // Saved tables are listed (not read) at once: the data panel and completion know them while DuckDB boots.
    void this.keeper.list();
    try {
      const db = await this.engine.open(
        () => opening,
        (note) => {
          this.toasts.show(note, 'error', 12_000);
          void this.catalog.refresh();
        },
      );
      // Marks for the startup benchmark: the engine answers SQL here (Run no longer waits); the sample is in below.
      performance.mark('semsql:engine-ready');
      window.semsql = db;
      // Queries run from here on; one that names the sample waits for it (#prepare). The app still
      // works without the sample: a failure is a toast, and boot goes on.
      this.#sampleLoad = this.#load(sample.url, sample.table, async () => db.load(await sampleBytes, { table: sample.table, format: 'csv', keep: false }), {
        quiet: true,
      });
      await Promise.all([this.settings.attach(db), this.#sampleLoad]);
      this.#sampleLoad = null;
      // The sample is in: `<html data-semsql-ready>` (browser tests wait for it) and the bench mark.
      performance.mark('semsql:ready');
      this.engine.ready();
      // The model workers start now, after the sample: the first semantic query need not wait for them.
      void db.prepareModels().catch(() => {});
      // The schema browser and cache size fill in a moment later; a query need not wait for them.
      void this.catalog.refresh();
      void this.settings.refreshCache();
    } catch (e) {
      this.engine.fail(e);
    }
  }

  /** Puts SQL in the editor and runs all of it: the example button, history re-runs. */
  async runSql(sql: string): Promise<void> {
    this.editor.setText(sql);
    await this.runner.run(wholeText(sql));
  }

  /** EXPLAIN SEMANTIC of the statement under the cursor (or the selection). */
  async explain(): Promise<void> {
    const target = this.editor.runTarget();
    if (target) await this.runner.explain(target);
  }

  /** After a run: it goes into the history, and what it may have changed is read again. */
  #finished(outcome: Outcome, queryId: string | null): void {
    void this.history.add(historyEntry(outcome, queryId, this.#tableNames())).then(() => this.#countWords());
    // INTO name kept saved tables: listed with the loaded ones, and back after a reload.
    if (outcome.kind === 'ok' && outcome.result.savedTables) void this.keeper.adopt(outcome.result.savedTables);
    // DDL, CREATE SEMANTIC FUNCTION and loads through SQL change the catalog.
    void this.catalog.refresh();
    void this.settings.refreshCache();
  }

  /** Loads dropped or picked files, one table each, named after the file; before the engine is open they wait for it. */
  async loadFiles(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const table = tableNameFor(file.name, this.#tableNames());
      const loaded = await this.#load(file.name, table, async (onProgress) => (await this.engine.whenOpen()).load(file, { table, onProgress }));
      if (loaded) await this.keeper.kept(loaded);
    }
  }

  async loadUrl(url: string, tableName?: string): Promise<void> {
    const trimmed = url.trim();
    if (trimmed === '') return;
    const table = tableName?.trim() || tableNameFor(trimmed, this.#tableNames());
    const absolute = new URL(trimmed, location.href);
    const loaded = await this.#load(trimmed, table, async (onProgress) => (await this.engine.whenOpen()).load(absolute, { table, onProgress }));
    if (loaded) await this.keeper.kept(loaded);
  }

  /** Drops a table; a saved one is forgotten too, so it does not come back after a reload. */
  async removeTable(table: string): Promise<void> {
    try {
      await this.keeper.remove(table);
      this.toasts.show(`Removed ${table}`, 'success');
    } catch (e) {
      this.toasts.show(`Could not remove ${table}: ${errorText(e)}`, 'error');
    }
  }

  async loadSample(sample: SampleDataset): Promise<void> {
    await this.#load(sample.url, sample.table, async () => (await this.engine.whenOpen()).load(sample.url, { table: sample.table, keep: false }));
  }

  /** `quiet`: no success toast and no catalog refresh (the boot does both its own way). Null when it failed (said in a toast). */
  async #load(
    label: string,
    table: string,
    load: (onProgress: (p: LoadProgress) => void) => Promise<LoadedTable>,
    options: { quiet?: boolean } = {},
  ): Promise<LoadedTable | null> {
    this.loading = [...this.loading, label];
    try {
      const loaded = await load((p) => {
        if (this.loading.includes(label)) this.loadProgress = { ...this.loadProgress, [label]: p };
      });
      this.catalog.loaded(loaded);
      if (options.quiet) return loaded;
      this.toasts.show(`Loaded ${loaded.rows.toLocaleString('en-US')} rows into ${loaded.table}`, 'success');
      await this.catalog.refresh();
      return loaded;
    } catch (e) {
      this.toasts.show(`Could not load ${label} as ${table}: ${errorText(e)}`, 'error');
      return null;
    } finally {
      this.loading = this.loading.filter((l) => l !== label);
      const { [label]: _done, ...rest } = this.loadProgress;
      this.loadProgress = rest;
    }
  }

  /** Completion ranks keywords by how often the user wrote them. */
  #countWords(): void {
    this.catalog.setUses(wordUses(this.history.entries.map((e) => e.sql)));
  }

  #tableNames(): string[] {
    return this.catalog.allTables.map((t) => t.name);
  }

  /** Runs SQL that is not the user's query (operator form), returning an error message or null. */
  async execute(sql: string): Promise<string | null> {
    const db = this.engine.client;
    if (!db) return 'the engine is not ready';
    try {
      await db.query(sql);
      await this.catalog.refresh();
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  /** A link with the editor's SQL in the hash (never settings or the key); copied when possible. */
  async share(): Promise<string> {
    const hash = await encodeShare(this.editor.text ?? '');
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
}

/** A file's bytes; a failure is a rejection that says which file. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** localStorage, or null where the browser refuses it (some private modes). */
function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
