import type { QueryResult } from '../../client';
import { cellDisplay, cellText, isNumericType } from '../lib/format';
import { nextSort, sortedOrder, type SortState } from '../lib/sort-rows';
import { columnWidths, visibleRange } from '../lib/virtual-window';
import { toTsvRow } from '../lib/export-encode';

export const ROW_HEIGHT = 28;
export const HEADER_HEIGHT = 44;
export const INDEX_WIDTH = 64;

type Result = Pick<QueryResult, 'columns' | 'rows'>;

/**
 * A virtualized grid's state: sort order (as an index array, the rows are never copied), the
 * scroll window, and the active cell. Rendering reads `visible`; only those rows exist in the DOM.
 */
export class GridState {
  readonly result: Result;
  sort = $state.raw<SortState | null>(null);
  scrollTop = $state(0);
  viewport = $state(400);
  viewportWidth = $state(0);
  active = $state.raw<{ row: number; col: number } | null>(null);

  constructor(result: Result) {
    this.result = result;
  }

  order = $derived.by(() => sortedOrder(this.result.rows, this.sort));
  count = $derived.by(() => this.result.rows.length);
  #naturalWidths = $derived.by(() => {
    const { columns, rows } = this.result;
    // Head and tail: ids and counters are widest at the end.
    const sampleRows = rows.length <= 300 ? rows : [...rows.slice(0, 200), ...rows.slice(-100)];
    const sample = sampleRows.map((row) => row.map((v) => cellDisplay(v)));
    return columnWidths(
      columns.map((c) => c.name),
      columns.map((c) => c.type),
      sample,
    );
  });
  /** Natural widths; the widest text column (else the last) takes the room left, so the grid fills its panel. */
  widths = $derived.by(() => {
    const natural = this.#naturalWidths;
    const room = this.viewportWidth - INDEX_WIDTH - natural.reduce((a, b) => a + b, 0) - 2;
    if (room <= 0 || natural.length === 0) return natural;
    let grow = natural.length - 1;
    this.result.columns.forEach((c, i) => {
      if (!isNumericType(c.type) && (isNumericType(this.result.columns[grow]?.type ?? '') || (natural[i] ?? 0) > (natural[grow] ?? 0))) grow = i;
    });
    return natural.map((w, i) => (i === grow ? w + room : w));
  });
  totalWidth = $derived(INDEX_WIDTH + this.widths.reduce((a, b) => a + b, 0));
  range = $derived(visibleRange(this.scrollTop, this.viewport - HEADER_HEIGHT, ROW_HEIGHT, this.count, 10));

  /** The rows to render: display position and the row itself. */
  visible = $derived.by(() => {
    const out: { index: number; row: readonly unknown[] }[] = [];
    const rows = this.result.rows;
    for (let i = this.range.start; i < this.range.end; i++) out.push({ index: i, row: this.rowAt(i, rows) });
    return out;
  });

  rowAt(index: number, rows: readonly (readonly unknown[])[] = this.result.rows): readonly unknown[] {
    const source = this.order ? (this.order[index] ?? index) : index;
    return rows[source] ?? [];
  }

  toggleSort(column: number): void {
    this.sort = nextSort(this.sort, column);
  }

  /** Moves the active cell; returns the scrollTop that brings it into view, or null if visible. */
  move(dRow: number, dCol: number): number | null {
    const cols = this.result.columns.length;
    if (this.count === 0 || cols === 0) return null;
    const current = this.active ?? { row: 0, col: 0 };
    const row = Math.max(0, Math.min(this.count - 1, current.row + dRow));
    const col = Math.max(0, Math.min(cols - 1, current.col + dCol));
    this.active = { row, col };
    return this.scrollFor(row);
  }

  scrollFor(row: number): number | null {
    const top = row * ROW_HEIGHT;
    const visibleHeight = this.viewport - HEADER_HEIGHT;
    if (top < this.scrollTop) return top;
    if (top + ROW_HEIGHT > this.scrollTop + visibleHeight) return top + ROW_HEIGHT - visibleHeight;
    return null;
  }

  /** The selected cell, whole, for the cell viewer. */
  activeCell(): { column: string; type: string; value: unknown } | null {
    if (!this.active) return null;
    const column = this.result.columns[this.active.col];
    return { column: column?.name ?? '', type: column?.type ?? '', value: this.rowAt(this.active.row)[this.active.col] ?? null };
  }

  activeText(): string | null {
    if (!this.active) return null;
    return cellText(this.rowAt(this.active.row)[this.active.col]);
  }

  activeRowText(): string | null {
    if (!this.active) return null;
    return toTsvRow(this.rowAt(this.active.row));
  }
}
