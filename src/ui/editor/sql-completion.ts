import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import { ANNOTATION_KEYS } from '../../sql';
import type { OperatorInfo, TableInfo } from '../../protocol/duckdb-worker-api';
import { completionScope, type TableRef } from '../lib/completion-scope';
import { rankedWords } from '../lib/keyword-rank';
import { sqlIdentifier } from '../lib/naming';
import { statementAt } from '../lib/statement-at';

/** What completion knows: the catalog, and how often the user wrote each word (upper case). */
export interface CompletionData {
  tables: readonly TableInfo[];
  operators: readonly OperatorInfo[];
  uses: ReadonlyMap<string, number>;
}

const ANNOTATION_HELP: Record<string, string> = {
  parallel: 'model calls in flight at once (default from settings)',
  model: 'model id for every operator in this query',
  threshold: 'cut-off for score operators used as booleans (0.5)',
  budget: 'most model calls this query may make',
  cache: 'on / off / refresh',
  temperature: 'sampling temperature (0)',
  on_error: 'null (failed rows are NULL) or fail',
  rows_per_request: 'rows sent together in one request, or auto (batch is another name for it)',
  mode: 'direct, or batch: the calls go as Message Batches (half price, slower)',
};

/** Boosts: a column of a table the statement reads beats everything; the long tail comes last. */
const BOOST = { scopedColumn: 60, table: 50, alias: 30, operator: 20, otherColumn: 0 } as const;

/**
 * Column-aware completion: after `t.` the columns of the table or alias `t`; after FROM or JOIN the
 * tables; elsewhere the columns of the tables the statement reads first, then its aliases, the
 * semantic operators, and keywords ranked by use. After `-- @`, annotation keys.
 */
export function sqlCompletionSource(data: CompletionData): CompletionSource {
  const operatorOptions = operatorCompletions(data.operators);
  const wordOptions: Completion[] = rankedWords(data.uses).map((w) => ({
    label: w.label,
    type: w.kind === 'function' ? 'function' : 'keyword',
    apply: w.kind === 'function' ? `${w.label}(` : w.label,
    boost: w.boost,
  }));
  const annotationOptions: Completion[] = ANNOTATION_KEYS.map((key) => ({
    label: key,
    apply: `${key}: `,
    type: 'keyword',
    detail: 'annotation',
    info: ANNOTATION_HELP[key] ?? '',
  }));
  const tableOptions: Completion[] = data.tables.map((t) => ({
    label: t.name,
    apply: sqlIdentifier(t.name),
    type: 'class',
    detail: `table · ${t.columns.length} columns`,
    boost: BOOST.table,
  }));

  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const annotation = /^\s*--\s*@\s*([A-Za-z_]*)$/.exec(before);
    if (annotation) return { from: context.pos - (annotation[1] ?? '').length, options: annotationOptions, validFor: /^[A-Za-z_]*$/ };
    const node = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (/String|Comment/.test(node.name)) return null;

    const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_$]*/);
    const from = word?.from ?? context.pos;
    const doc = context.state.doc.toString();
    const statement = statementAt(doc, { from: context.pos, to: context.pos });
    const scope = completionScope(statement.sql, context.pos - statement.from);

    if (scope.spot.kind === 'qualified') {
      // Right after the dot, with nothing typed yet: the columns are what the user came for.
      const columns = qualifiedColumns(data.tables, scope.refs, scope.spot.qualifier);
      return columns.length === 0 ? null : { from, options: columns, validFor: /^[A-Za-z_][A-Za-z0-9_$]*$/ };
    }
    if (!word && !context.explicit) return null;
    if (scope.spot.kind === 'table') return { from, options: [...tableOptions, ...wordOptions], validFor: /^[A-Za-z_][A-Za-z0-9_$]*$/ };
    return {
      from,
      options: [...scopedColumns(data.tables, scope.refs), ...aliasOptions(scope.refs), ...operatorOptions, ...wordOptions],
      validFor: /^[A-Za-z_][A-Za-z0-9_$]*$/,
    };
  };
}

/** Columns of the tables read under `refs`; with no table read yet, every table's, ranked low. */
function scopedColumns(tables: readonly TableInfo[], refs: readonly TableRef[]): Completion[] {
  const read = refs.map((r) => findTable(tables, r.table)).filter((t): t is TableInfo => t !== undefined);
  const source = read.length > 0 ? read : tables;
  const boost = read.length > 0 ? BOOST.scopedColumn : BOOST.otherColumn;
  const byName = new Map<string, { type: string; tables: string[] }>();
  for (const table of source) {
    for (const column of table.columns) {
      const entry = byName.get(column.name) ?? { type: column.type, tables: [] };
      entry.tables.push(table.name);
      byName.set(column.name, entry);
    }
  }
  return [...byName].map(([name, c]) => ({ label: name, apply: sqlIdentifier(name), type: 'property', detail: `${c.type} · ${c.tables.join(', ')}`, boost }));
}

function qualifiedColumns(tables: readonly TableInfo[], refs: readonly TableRef[], qualifier: string): Completion[] {
  const q = qualifier.toLowerCase();
  const ref = refs.find((r) => (r.alias ?? r.table).toLowerCase() === q) ?? refs.find((r) => r.table.toLowerCase() === q);
  const table = findTable(tables, ref?.table ?? qualifier);
  return (table?.columns ?? []).map((c) => ({ label: c.name, apply: sqlIdentifier(c.name), type: 'property', detail: c.type, boost: BOOST.scopedColumn }));
}

function aliasOptions(refs: readonly TableRef[]): Completion[] {
  return refs.filter((r) => r.alias !== null).map((r) => ({ label: r.alias as string, type: 'variable', detail: `alias of ${r.table}`, boost: BOOST.alias }));
}

function findTable(tables: readonly TableInfo[], name: string): TableInfo | undefined {
  return tables.find((t) => t.name === name) ?? tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

/** Each operator under each spelling: infix words (`ALIGNS WITH`) and function names (`sentiment(`). */
function operatorCompletions(operators: readonly OperatorInfo[]): Completion[] {
  const options: Completion[] = [];
  for (const op of operators) {
    const keywords = [...op.spellings.infix, ...(op.spellings.postfix ?? [])];
    const spellings = [
      ...keywords.map((words) => ({ label: words.join(' '), isFunction: false })),
      ...op.spellings.functions.map((label) => ({ label, isFunction: true })),
    ];
    for (const { label, isFunction } of spellings) {
      options.push({
        label,
        apply: isFunction ? `${label}(` : `${label} `,
        type: isFunction ? 'function' : 'keyword',
        detail: `${op.shape === 'aggregate' ? 'semantic aggregate' : 'semantic'} → ${op.sqlType ?? op.returns}`,
        info: `${op.description}\n\nExample: ${op.example}`,
        boost: BOOST.operator,
      });
    }
  }
  return options;
}
