import { setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorSelection, EditorState, StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { statementAt, type RunTarget } from '../lib/statement-at';
import { baseExtensions, sqlLanguage, type EditorCommands, type EditorSchema } from './sql-extensions';

/**
 * The one object that touches CodeMirror. The workbench asks it for the text to run and tells it
 * where an error is; the component only mounts it.
 */
export class EditorController {
  readonly #language = new Compartment();
  readonly #view: EditorView;
  #hasError = false;

  /** `restore`: the state an earlier editor of the same tab left (text, selection, undo history). */
  constructor(
    parent: HTMLElement,
    options: { doc: string; schema: EditorSchema; commands: EditorCommands; onChange: (doc: string) => void; restore?: EditorState | null },
  ) {
    const extensions = baseExtensions(this.#language, options.schema, options.commands, (doc) => {
      // An edit makes the underline stale; clear it after this update (no dispatch inside one).
      if (this.#hasError) queueMicrotask(() => this.clearError());
      options.onChange(doc);
    });
    // A restored state is reconfigured with this controller's extensions: its old ones call back
    // into the editor that was destroyed. State fields (undo history) survive a reconfigure.
    const state = options.restore
      ? options.restore.update({ effects: StateEffect.reconfigure.of(extensions) }).state
      : EditorState.create({ doc: options.doc, extensions });
    this.#view = new EditorView({ parent, state });
  }

  /** The editor's whole state, for the next editor of the same tab. */
  snapshot(): EditorState {
    return this.#view.state;
  }

  get text(): string {
    return this.#view.state.doc.toString();
  }

  /** The selection, or the statement under the cursor. */
  runTarget(): RunTarget {
    const { from, to } = this.#view.state.selection.main;
    return statementAt(this.text, { from, to });
  }

  setSchema(schema: EditorSchema): void {
    this.#view.dispatch({ effects: this.#language.reconfigure(sqlLanguage(schema)) });
  }

  setText(text: string): void {
    this.#view.dispatch({ changes: { from: 0, to: this.#view.state.doc.length, insert: text }, selection: EditorSelection.cursor(text.length) });
    this.focus();
  }

  /** Adds a statement after the current text on its own lines and selects it. */
  append(statement: string): void {
    const doc = this.text;
    if (doc.trim() === '') return this.setText(statement);
    const sep = doc.trimEnd().endsWith(';') ? '\n\n' : ';\n\n';
    const from = doc.trimEnd().length + sep.length;
    this.#view.dispatch({
      changes: { from: doc.trimEnd().length, to: doc.length, insert: sep + statement },
      selection: EditorSelection.range(from, from + statement.length),
      scrollIntoView: true,
    });
    this.focus();
  }

  showError(from: number, to: number, message: string): void {
    const length = this.#view.state.doc.length;
    const start = Math.min(from, length);
    const end = Math.min(Math.max(to, start), length);
    this.#hasError = true;
    this.#view.dispatch(setDiagnostics(this.#view.state, [{ from: start, to: end, severity: 'error', message, source: 'semsql' }]));
    this.#view.dispatch({ selection: EditorSelection.cursor(start), scrollIntoView: true });
  }

  clearError(): void {
    if (!this.#hasError) return;
    this.#hasError = false;
    this.#view.dispatch(setDiagnostics(this.#view.state, []));
  }

  focus(): void {
    this.#view.focus();
  }

  destroy(): void {
    this.#view.destroy();
  }
}
