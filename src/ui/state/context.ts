import { getContext, setContext } from 'svelte';
import type { Catalog } from './catalog.svelte';
import type { ColumnProfiler } from './column-profiler.svelte';
import type { EditorHost } from './editor-host';
import type { EngineConnection } from './engine-connection.svelte';
import type { QueryRunner } from './query-runner.svelte';
import type { Toasts } from './toasts.svelte';
import type { Workbench } from './workbench.svelte';

/**
 * What the components shared by the app and the widget read (editor, run bar, results, toasts): the
 * engine's start, one editor, the runner that runs its SQL, the catalog it completes from, and where
 * notices go. The
 * app's Workbench and the widget's EmbedWorkbench both provide it.
 */
export interface QueryPane {
  readonly engine: EngineConnection;
  readonly editor: EditorHost;
  readonly runner: QueryRunner;
  readonly catalog: Catalog;
  readonly toasts: Toasts;
  /** Opens SQL for the user to read and runs it (the app: in a new query tab); absent in the widget. */
  readonly openQuery?: (sql: string) => void;
  /** Column profiles of tables and results (the app); absent in the widget. */
  readonly profiler?: ColumnProfiler;
}

const PANE = Symbol('semsql-query-pane');
const WORKBENCH = Symbol('semsql-workbench');

export function setQueryPane<T extends QueryPane>(pane: T): T {
  return setContext(PANE, pane);
}

export function getQueryPane(): QueryPane {
  const pane = getContext<QueryPane | undefined>(PANE);
  if (!pane) throw new Error('getQueryPane() outside the app or the widget');
  return pane;
}

/** The app's workbench, for the app's own panels; it is also their query pane. */
export function setWorkbench(workbench: Workbench): Workbench {
  setQueryPane(workbench);
  return setContext(WORKBENCH, workbench);
}

export function getWorkbench(): Workbench {
  const workbench = getContext<Workbench | undefined>(WORKBENCH);
  if (!workbench) throw new Error('getWorkbench() outside the app');
  return workbench;
}
