import type { EditorState } from '@codemirror/state';
import type { EditorController } from '../editor/editor-controller';
import type { EditorSchema } from '../editor/sql-extensions';
import type { RunTarget } from '../lib/statement-at';

export interface EditorHostOptions {
  /** The text the editor opens with. */
  initialSql: string;
  /** Each edit: the app saves a draft of it; the widget keeps it as the SQL it runs. */
  onChange?: (doc: string) => void;
  /** Runs what Ctrl/Cmd+Enter picked: the selection, or the statement under the cursor. */
  onRun: (target: RunTarget) => void;
}

/**
 * One SQL editor as the state sees it: the text it opens with, the CodeMirror controller while one
 * is mounted (SqlEditor attaches it), and the edits and runs it reports. With no editor mounted (the
 * widget's read-only mode, a tab not on show) reads give null, setText sets the text the next editor
 * opens with, and the other writes do nothing.
 */
export class EditorHost {
  #initialSql: string;
  #editor: EditorController | null = null;
  /** What the last editor left when it was unmounted (a tab switch): the next one continues it. */
  #saved: EditorState | null = null;
  readonly #onChange: (doc: string) => void;
  readonly #onRun: (target: RunTarget) => void;

  constructor(options: EditorHostOptions) {
    this.#initialSql = options.initialSql;
    this.#onChange = options.onChange ?? (() => {});
    this.#onRun = options.onRun;
  }

  /**
   * Read when an editor mounts: the widget changes it, then remounts to show new SQL without taking
   * focus. Setting it drops what an earlier editor left, so the next one shows this text.
   */
  get initialSql(): string {
    return this.#initialSql;
  }

  set initialSql(sql: string) {
    this.#initialSql = sql;
    this.#saved = null;
  }

  attach(editor: EditorController | null): void {
    if (editor === null && this.#editor) this.#saved = this.#editor.snapshot();
    this.#editor = editor;
  }

  /** The state to mount the next editor with, or null for a fresh one from `initialSql`. */
  get saved(): EditorState | null {
    return this.#saved;
  }

  /** The mounted editor's text changed. */
  changed(doc: string): void {
    this.#onChange(doc);
  }

  /** The whole text, or null with no editor mounted. */
  get text(): string | null {
    return this.#editor?.text ?? null;
  }

  /** The selection, or the statement under the cursor; null with no editor mounted. */
  runTarget(): RunTarget | null {
    return this.#editor?.runTarget() ?? null;
  }

  /** Ctrl/Cmd+Enter, or the Run button beside the editor: runs the run target, if there is SQL in it. */
  runFromEditor(): void {
    const target = this.runTarget();
    if (!target || target.sql === '') return;
    this.#onRun(target);
  }

  setText(sql: string): void {
    if (this.#editor) this.#editor.setText(sql);
    // Not on show: the next editor opens with this text.
    else this.initialSql = sql;
  }

  /** Adds a statement after the text and selects it (a table's starter query, an operator's example). */
  append(sql: string): void {
    this.#editor?.append(sql);
  }

  setSchema(schema: EditorSchema): void {
    this.#editor?.setSchema(schema);
  }

  showError(from: number, to: number, message: string): void {
    this.#editor?.showError(from, to, message);
  }

  clearError(): void {
    this.#editor?.clearError();
  }
}
