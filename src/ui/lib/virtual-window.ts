/** The rows a fixed-row-height list must render: the visible ones plus `overscan` on each side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8): { start: number; end: number } {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

/**
 * Column widths in px from the header and a sample of values (monospace-ish estimate), clamped so a
 * long text column does not push the rest off screen; the cell viewer shows the whole value.
 */
export function columnWidths(names: readonly string[], types: readonly string[], sample: readonly (readonly string[])[], charPx = 7.4): number[] {
  return names.map((name, c) => {
    let chars = Math.max(name.length + 3, (types[c] ?? '').length + 1);
    for (const row of sample) chars = Math.max(chars, Math.min(60, (row[c] ?? '').length + 1));
    return Math.round(Math.min(420, Math.max(72, chars * charPx + 24)));
  });
}
