import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, toggleComment } from '@codemirror/commands';
import { PostgreSQL, sql, SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { Compartment, type Extension, Prec, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { ANNOTATION_KEYS } from '../../sql';
import type { OperatorInfo, TableInfo } from '../../protocol/duckdb-worker-api';
import { operatorWords } from '../lib/operator-sql';

/** What the editor knows about the database, for highlighting and completion. */
export interface EditorSchema {
  tables: readonly TableInfo[];
  operators: readonly OperatorInfo[];
}

export interface EditorCommands {
  run(): void;
  cancel(): boolean;
}

const ANNOTATION_HELP: Record<string, string> = {
  parallel: 'model calls in flight at once (default from settings)',
  model: 'model id for every operator in this query',
  threshold: 'cut-off for score operators used as booleans (0.5)',
  budget: 'most model calls this query may make',
  cache: 'on / off / refresh',
  temperature: 'sampling temperature (0)',
  on_error: 'null (failed rows are NULL) or fail',
};

/**
 * The SQL language for one schema: DuckDB-ish SQL (the PostgreSQL dialect is the closest lang-sql
 * has) with the semantic infix words as keywords, and the schema for table/column completion.
 */
export function sqlLanguage(schema: EditorSchema): Extension {
  const words = operatorWords(schema.operators);
  const dialect = SQLDialect.define({
    ...PostgreSQL.spec,
    keywords: `${PostgreSQL.spec.keywords ?? ''} ${words.infix.join(' ')} semantic function functions infix returns`,
  });
  const namespace: Record<string, SQLNamespace> = {};
  for (const table of schema.tables) {
    namespace[table.name] = table.columns.map((c): Completion => ({ label: c.name, type: 'property', detail: c.type }));
  }
  return [
    sql({ dialect, schema: namespace, upperCaseKeywords: true }),
    dialect.language.data.of({ autocomplete: semanticCompletions(schema.operators) }),
    semanticHighlighter(new Set([...words.infix, ...words.functions])),
  ];
}

/** Operators (both spellings) and, after `-- @`, annotation keys. */
function semanticCompletions(operators: readonly OperatorInfo[]) {
  const options: Completion[] = [];
  for (const op of operators) {
    const spellings = [...op.spellings.infix.map((words) => ({ label: words.join(' '), isFunction: false })), ...op.spellings.functions.map((label) => ({ label, isFunction: true }))];
    for (const { label, isFunction } of spellings) {
      options.push({
        label,
        apply: isFunction ? `${label}(` : `${label} `,
        type: isFunction ? 'function' : 'keyword',
        detail: `${op.shape === 'aggregate' ? 'semantic aggregate' : 'semantic'} → ${op.returns}`,
        info: `${op.description}\n\nExample: ${op.example}`,
        boost: isFunction ? 1 : 2,
      });
    }
  }
  const annotationOptions: Completion[] = ANNOTATION_KEYS.map((key) => ({ label: key, apply: `${key}: `, type: 'keyword', detail: 'annotation', info: ANNOTATION_HELP[key] ?? '' }));
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const annotation = /^\s*--\s*@\s*([A-Za-z_]*)$/.exec(before);
    if (annotation) return { from: context.pos - (annotation[1] ?? '').length, options: annotationOptions, validFor: /^[A-Za-z_]*$/ };
    const node = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (/String|Comment/.test(node.name)) return null;
    const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options, validFor: /^[A-Za-z_][A-Za-z0-9_]*$/ };
  };
}

const semanticMark = Decoration.mark({ class: 'cm-semantic-op' });
const annotationMark = Decoration.mark({ class: 'cm-annotation' });

/** Marks semantic operator words (outside strings and comments) and `-- @ key:` annotations. */
function semanticHighlighter(words: ReadonlySet<string>) {
  const build = (view: EditorView): DecorationSet => {
    const builder = new RangeSetBuilder<Decoration>();
    const tree = syntaxTree(view.state);
    for (const { from, to } of view.visibleRanges) {
      const text = view.state.doc.sliceString(from, to);
      const pattern = /--[ \t]*@[ \t]*[A-Za-z_]*[ \t]*:?|[A-Za-z_][A-Za-z0-9_]*/g;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const start = from + m.index;
        const end = start + m[0].length;
        if (m[0].startsWith('--')) {
          builder.add(start, end, annotationMark);
          continue;
        }
        if (!words.has(m[0].toLowerCase())) continue;
        const node = tree.resolveInner(start, 1);
        if (/String|Comment|QuotedIdentifier/.test(node.name)) continue;
        builder.add(start, end, semanticMark);
      }
    }
    return builder.finish();
  };
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = build(view);
      }
      update(update: ViewUpdate) {
        if (update.docChanged || update.viewportChanged || syntaxTree(update.startState) !== syntaxTree(update.state)) this.decorations = build(update.view);
      }
    },
    { decorations: (v) => v.decorations },
  );
}

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--syntax-keyword)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syntax-number)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--syntax-type)' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--syntax-punct)' },
  { tag: [tags.special(tags.name), tags.propertyName], color: 'var(--syntax-name)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13.5px', backgroundColor: 'var(--editor-bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--text-faint)', border: 'none', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active-line)', color: 'var(--text-muted)' },
  '.cm-semantic-op, .cm-semantic-op span': { color: 'var(--syntax-semantic) !important', fontWeight: '700' },
  '.cm-annotation, .cm-annotation span': { color: 'var(--syntax-annotation) !important', fontStyle: 'normal', fontWeight: '600' },
  '.cm-placeholder': { color: 'var(--text-faint)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface-raised)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '6px', boxShadow: 'var(--shadow)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-contrast)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', fontStyle: 'normal', marginLeft: '1em' },
  '.cm-completionInfo': { maxWidth: '340px', whiteSpace: 'pre-wrap' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--danger)', textUnderlineOffset: '3px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
});

/** Everything but the language (which changes with the schema, through `language`). */
export function baseExtensions(language: Compartment, schema: EditorSchema, commands: EditorCommands, onChange: (doc: string) => void): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ activateOnTyping: true, icons: true }),
    highlightActiveLine(),
    lintGutter(),
    placeholder('Write semantic SQL… e.g. SELECT * FROM tweets WHERE text MEANS \'a complaint\' LIMIT 10'),
    syntaxHighlighting(highlight),
    theme,
    Prec.high(keymap.of([
      { key: 'Mod-Enter', run: () => (commands.run(), true), preventDefault: true },
      { key: 'Mod-/', run: toggleComment },
    ])),
    keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab, { key: 'Escape', run: () => commands.cancel() }]),
    language.of(sqlLanguage(schema)),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': 'SQL editor', 'data-testid': 'sql-editor' }),
  ];
}
