import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, toggleComment } from '@codemirror/commands';
import { PostgreSQL, SQLDialect } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, indentOnInput, LanguageSupport, syntaxHighlighting, syntaxTree } from '@codemirror/language';
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
import type { OperatorInfo, TableInfo } from '../../protocol/duckdb-worker-api';
import { operatorWords } from '../lib/operator-sql';
import { operatorHover } from './operator-hover';
import { sqlCompletionSource } from './sql-completion';

/** What the editor knows about the database, for highlighting and completion. */
export interface EditorSchema {
  tables: readonly TableInfo[];
  operators: readonly OperatorInfo[];
  /** How often the user wrote each word (upper case) in past queries: completion ranks by it. */
  uses?: ReadonlyMap<string, number>;
}

export interface EditorCommands {
  run(): void;
  cancel(): boolean;
}

/**
 * The SQL language for one schema: DuckDB-ish SQL (the PostgreSQL dialect is the closest lang-sql
 * has) with the semantic infix words as keywords for highlighting. Completion is ours
 * (sql-completion.ts), not lang-sql's: it knows columns in scope and ranks keywords by use.
 */
export function sqlLanguage(schema: EditorSchema): Extension {
  const words = operatorWords(schema.operators);
  const dialect = SQLDialect.define({
    ...PostgreSQL.spec,
    keywords: `${PostgreSQL.spec.keywords ?? ''} ${words.infix.join(' ')} semantic function functions infix returns`,
  });
  return [
    new LanguageSupport(dialect.language, [
      dialect.language.data.of({ autocomplete: sqlCompletionSource({ tables: schema.tables, operators: schema.operators, uses: schema.uses ?? new Map() }) }),
    ]),
    semanticHighlighter(new Set([...words.infix, ...words.functions])),
    operatorHover(schema.operators),
  ];
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
  '.cm-tooltip': {
    backgroundColor: 'var(--surface-raised)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    boxShadow: 'var(--shadow)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent-solid)', color: 'var(--accent-contrast)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', fontStyle: 'normal', marginLeft: '1em' },
  '.cm-completionInfo': { maxWidth: '340px', whiteSpace: 'pre-wrap' },
  '.cm-operator-help': { padding: '8px 10px', maxWidth: '380px', fontSize: '12.5px', lineHeight: '1.45' },
  '.cm-operator-help p': { margin: '4px 0' },
  '.cm-operator-help code': { display: 'block', margin: '4px 0', fontSize: '11.5px', whiteSpace: 'pre-wrap', color: 'var(--text-muted)' },
  '.cm-operator-help-sig, .cm-operator-help-spell, .cm-operator-help-note': { color: 'var(--text-muted)' },
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
    placeholder("Write semantic SQL… e.g. SELECT * FROM tweets WHERE text MEANS 'a complaint' LIMIT 10"),
    syntaxHighlighting(highlight),
    theme,
    Prec.high(
      keymap.of([
        { key: 'Mod-Enter', run: () => (commands.run(), true), preventDefault: true },
        { key: 'Mod-/', run: toggleComment },
      ]),
    ),
    keymap.of([
      ...closeBracketsKeymap,
      ...completionKeymap,
      ...defaultKeymap,
      ...historyKeymap,
      indentWithTab,
      { key: 'Escape', run: () => commands.cancel() },
    ]),
    language.of(sqlLanguage(schema)),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': 'SQL editor', 'data-testid': 'sql-editor' }),
  ];
}
