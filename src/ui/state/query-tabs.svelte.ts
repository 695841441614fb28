import { nextTabTitle, readSavedTabs, writeSavedTabs, type SavedTabs, type TabStorage } from '../lib/saved-tabs';
import type { ColumnProfiler } from './column-profiler.svelte';
import { EditorHost } from './editor-host';
import type { QueryRunner } from './query-runner.svelte';

/** One query tab: its editor, the runner of that editor's SQL, its column profile, and what the tab strip shows. */
export class QueryTab {
  readonly id: string;
  title = $state('');
  readonly editor: EditorHost;
  readonly runner: QueryRunner;
  readonly profiler: ColumnProfiler;
  /** The editor's latest text, for saving (not reactive: it changes on every key). */
  sql: string;

  constructor(init: { id: string; title: string; sql: string }, make: TabParts, onEdit: () => void) {
    this.id = init.id;
    this.title = init.title;
    this.sql = init.sql;
    this.editor = new EditorHost({
      initialSql: init.sql,
      onChange: (doc) => {
        this.sql = doc;
        onEdit();
      },
      onRun: (target) => void this.runner.run(target),
    });
    this.runner = make.runner(this.editor);
    this.profiler = make.profiler();
  }
}

/** How a tab's parts are made: the app wires history, toasts and the engine into them. */
export interface TabParts {
  runner: (editor: EditorHost) => QueryRunner;
  profiler: () => ColumnProfiler;
}

export interface QueryTabsOptions {
  /** Where tabs are kept across reloads (localStorage); null keeps them for the session. */
  storage: TabStorage | null;
  /** The first visit's text. */
  initialSql: string;
  make: TabParts;
}

/**
 * Several queries side by side, each with its own editor, run and result, kept across reloads
 * (their titles and text; results are not kept: they may be large and stale).
 */
export class QueryTabs {
  tabs = $state.raw<QueryTab[]>([]);
  activeId = $state('');
  active = $derived(this.tabs.find((t) => t.id === this.activeId) ?? (this.tabs[0] as QueryTab));

  readonly #storage: TabStorage | null;
  readonly #make: TabParts;
  #next = 0;

  constructor(options: QueryTabsOptions) {
    this.#storage = options.storage;
    this.#make = options.make;
    const saved = readSavedTabs(options.storage) ?? { tabs: [{ id: 't1', title: 'Query 1', sql: options.initialSql }], active: 't1' };
    this.tabs = saved.tabs.map((t) => this.#tab(t));
    this.activeId = saved.active;
  }

  /** Opens a new tab with `sql` and shows it. */
  open(sql: string, title = nextTabTitle(this.tabs.map((t) => t.title))): QueryTab {
    const tab = this.#tab({ id: `t${Date.now().toString(36)}_${++this.#next}`, title, sql });
    this.tabs = [...this.tabs, tab];
    this.activeId = tab.id;
    this.save();
    return tab;
  }

  select(id: string): void {
    if (!this.tabs.some((t) => t.id === id)) return;
    this.activeId = id;
    this.save();
  }

  /** Closes a tab (its running query is cancelled); the last tab is emptied instead of closed. */
  close(id: string): void {
    const index = this.tabs.findIndex((t) => t.id === id);
    const tab = this.tabs[index];
    if (!tab) return;
    tab.runner.cancel();
    if (this.tabs.length === 1) {
      tab.editor.setText('');
      tab.sql = '';
      this.save();
      return;
    }
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) this.activeId = (this.tabs[Math.min(index, this.tabs.length - 1)] as QueryTab).id;
    this.save();
  }

  rename(id: string, title: string): void {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab || title.trim() === '') return;
    tab.title = title.trim();
    this.save();
  }

  save(): void {
    const saved: SavedTabs = { tabs: this.tabs.map((t) => ({ id: t.id, title: t.title, sql: t.sql })), active: this.activeId };
    writeSavedTabs(this.#storage, saved);
  }

  #tab(init: { id: string; title: string; sql: string }): QueryTab {
    return new QueryTab(init, this.#make, () => this.save());
  }
}
